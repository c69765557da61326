"""Accepting a file a citizen or an officer uploads into a dossier.

Only PDF, JPEG and PNG are accepted, and the type is decided by the file's content (its
first bytes), never by its name or the browser's Content-Type. The content is then parsed:
images by Pillow (`verify()`, with Pillow's decompression-bomb limit), PDFs by pyHanko's
reader (the same parser that verifies signed PDFs): the cross-reference table and the
document catalog must be readable, and a PDF that needs a password to open is refused.

The name a user gave is kept only as the download name (NFC-normalised) after strict
checks; the storage name is random (`models.document_path`). Each refusal is an
`UploadRefused` whose text is a Vietnamese sentence to show next to the field.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.files import store_bytes
from motcua.documents.models import Document

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# Content type → (magic bytes, extensions allowed as the name's last extension).
ACCEPTED: dict[str, tuple[bytes, tuple[str, ...]]] = {
    PDF: (b"%PDF-", ("pdf",)),
    JPEG: (b"\xff\xd8\xff", ("jpg", "jpeg")),
    PNG: (b"\x89PNG\r\n\x1a\n", ("png",)),
}
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# Extensions that a browser, a desktop or a web server would run or render as a page: a
# name carrying one of them anywhere after its stem ("giay.php.pdf", "to-khai.pdf.exe")
# is refused, since a misconfigured server or a careless download could act on it.
DANGEROUS_EXTENSIONS = frozenset(
    {
        # Windows executables and scripts
        "exe", "com", "scr", "pif", "msi", "msp", "dll", "cpl", "sys", "bat", "cmd", "ps1",
        "psm1", "vb", "vbs", "vbe", "js", "jse", "mjs", "cjs", "wsf", "wsh", "hta", "lnk",
        "reg", "inf", "jar", "appx", "msix", "application", "gadget",
        # Unix and server-side scripts
        "sh", "bash", "zsh", "csh", "ksh", "run", "bin", "elf", "py", "pyc", "pl", "rb",
        "cgi", "php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "ashx",
        "asmx", "cer", "jsp", "jspx", "war",
        # Markup a browser renders (and runs scripts in)
        "html", "htm", "xhtml", "shtml", "shtm", "mht", "mhtml", "svg", "svgz", "xml", "xsl",
        "xslt", "swf",
        # Packages and disk images that open as programs
        "apk", "app", "dmg", "deb", "rpm", "iso",
    }
)  # fmt: skip

READ_CHUNK = 64 * 1024
MAX_NAME_LENGTH = 200  # Document.filename holds 255; leave room for a storage suffix


class UploadRefused(Exception):
    """An upload that may not be stored; `str(error)` is the Vietnamese reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with its content read once."""

    filename: str  # the user's name, NFC-normalised, safe to offer as a download name
    content_type: str  # decided by content: PDF, JPEG or PNG
    extension: str  # lower case, without the dot
    size: int
    sha256: str
    content: bytes = field(repr=False)


# --- Checks --------------------------------------------------------------------------------


def _shown(name: str) -> str:
    """The name as a message may show it: control characters made visible, length capped."""
    visible = "".join(
        "\N{REPLACEMENT CHARACTER}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name
    )
    return visible if len(visible) <= 80 else visible[:77] + "…"


def _size_label(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    if limit >= 1024:
        return f"{limit / 1024:g} KB"
    return f"{limit} byte"


def check_filename(name: str) -> str:
    """The name normalised to NFC, or UploadRefused when it is not a plain file name."""
    name = unicodedata.normalize("NFC", name or "").strip()
    shown = _shown(name)
    if not name:
        raise UploadRefused("Tệp tải lên không có tên.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise UploadRefused(
            f"Tên tệp «{shown}» không hợp lệ: có ký tự điều khiển hoặc ký tự ẩn. "
            "Hãy đổi tên tệp rồi tải lên lại."
        )
    if "/" in name or "\\" in name or ".." in name:
        raise UploadRefused(
            f"Tên tệp «{shown}» không hợp lệ: tên tệp không được chứa dấu «/», «\\» hay «..». "
            "Hãy đổi tên tệp rồi tải lên lại."
        )
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(
            f"Tên tệp «{shown}» không hợp lệ: dài quá {MAX_NAME_LENGTH} ký tự. "
            "Hãy đặt tên ngắn hơn."
        )
    stem, _dot, _extension = name.partition(".")
    if not stem.strip() or "." not in name:
        raise UploadRefused(
            f"Tên tệp «{shown}» không hợp lệ: cần có tên và phần mở rộng .pdf, .jpg hoặc .png."
        )
    for segment in name.split(".")[1:]:
        if segment.strip().lower() in DANGEROUS_EXTENSIONS:
            raise UploadRefused(
                f"Tên tệp «{shown}» không hợp lệ: có phần mở rộng «.{segment}» của tệp chạy "
                "được hoặc trang web. Hãy đổi tên tệp, chỉ để một phần mở rộng .pdf, .jpg "
                "hoặc .png."
            )
    return name


def _read(f: UploadedFile[Any], shown: str) -> tuple[bytes, str]:
    """The content and its SHA-256, read in chunks and stopped as soon as it is too big."""
    limit: int = settings.UPLOAD_MAX_BYTES
    too_big = UploadRefused(f"Tệp «{shown}» lớn hơn {_size_label(limit)} cho phép.")
    if f.size is not None and f.size > limit:
        raise too_big
    digest = hashlib.sha256()
    buffer = bytearray()
    if hasattr(f, "seek"):
        f.seek(0)
    for chunk in f.chunks(READ_CHUNK):
        buffer += chunk
        if len(buffer) > limit:
            raise too_big
        digest.update(chunk)
    if not buffer:
        raise UploadRefused(f"Tệp «{shown}» rỗng (0 byte).")
    return bytes(buffer), digest.hexdigest()


def _detect(content: bytes, shown: str) -> str:
    for content_type, (magic, _extensions) in ACCEPTED.items():
        if content.startswith(magic):
            return content_type
    raise UploadRefused(
        f"Tệp «{shown}» không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."
    )


def _verify_pdf(content: bytes, shown: str) -> None:
    broken = UploadRefused(f"Tệp «{shown}» không phải tệp PDF hợp lệ hoặc đã bị hỏng.")
    if b"%%EOF" not in content[-2048:]:
        raise broken
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        if reader.encrypted and reader.decrypt("").status == AuthStatus.FAILED:
            raise UploadRefused(
                f"Tệp «{shown}» được đặt mật khẩu nên cán bộ không mở được. "
                "Hãy nộp bản PDF không đặt mật khẩu."
            )
        pages = reader.root["/Pages"]
        int(pages["/Count"])
    except UploadRefused:
        raise
    except Exception:  # any parser failure on hostile input means "not a usable PDF"
        raise broken from None


def _verify_image(content: bytes, content_type: str, shown: str) -> None:
    label = TYPE_LABELS[content_type]
    broken = UploadRefused(f"Tệp «{shown}» không phải ảnh {label} hợp lệ hoặc đã bị hỏng.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[label]) as image:
                width, height = image.size
                limit = Image.MAX_IMAGE_PIXELS
                if limit is not None and width * height > limit:
                    raise Image.DecompressionBombError
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(
            f"Ảnh «{shown}» có quá nhiều điểm ảnh để xử lý an toàn. "
            "Hãy giảm độ phân giải rồi tải lên lại."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise broken from None


def check_upload(f: UploadedFile[Any], *, filename: str | None = None) -> CheckedUpload:
    """Check an upload (name, size, type by content, parse) and read it once.

    `filename` replaces `f.name` when the name arrives apart from the file (an API payload):
    Django already strips directories from names in multipart uploads, this does not rely
    on it."""
    name = check_filename(filename if filename is not None else (f.name or ""))
    shown = _shown(name)
    content, sha256 = _read(f, shown)
    content_type = _detect(content, shown)
    label = TYPE_LABELS[content_type]
    extensions = ACCEPTED[content_type][1]
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in extensions:
        wanted = " hoặc ".join(f".{e}" for e in extensions)
        raise UploadRefused(
            f"Tên tệp «{shown}» không khớp nội dung: nội dung là {label} nên tên tệp phải "
            f"kết thúc bằng {wanted}."
        )
    if content_type == PDF:
        _verify_pdf(content, shown)
    else:
        _verify_image(content, content_type, shown)
    return CheckedUpload(
        filename=name,
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=sha256,
        content=content,
    )


def save_upload(f: UploadedFile[Any] | CheckedUpload, **fields: Any) -> Document:
    """Check the upload (unless a form field already did) and store it with its Document
    row; `fields` are the row's other fields (kind, dossier, component, title,
    created_by…). Raises UploadRefused before anything is written; a failed row write
    leaves no file behind (`files.store_bytes`)."""
    checked = f if isinstance(f, CheckedUpload) else check_upload(f)
    fields.setdefault("title", checked.filename)
    return store_bytes(
        checked.content,
        filename=checked.filename,
        content_type=checked.content_type,
        **fields,
    )


# --- Form fields ---------------------------------------------------------------------------

ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class DossierFileField(forms.FileField):
    """A file field for a dossier's papers: `check_upload` runs in `clean`, its refusal
    shows next to the field, and `cleaned_data` holds a `CheckedUpload` (None when no
    file was given) to hand to `save_upload`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"PDF, JPEG hoặc PNG, tối đa {_size_label(settings.UPLOAD_MAX_BYTES)}.",
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        return attrs

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            try:
                return check_upload(value)
            except UploadRefused as refused:
                raise forms.ValidationError(refused.message, code="upload_refused") from None
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DossierFilesField(DossierFileField):
    """Several files at once (scans of one paper, page by page): `cleaned_data` holds a
    list of `CheckedUpload`; every refused file is reported."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        checked: list[CheckedUpload] = []
        errors: list[forms.ValidationError] = []
        for one in files:
            try:
                checked.append(super().clean(one, initial))
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return checked
