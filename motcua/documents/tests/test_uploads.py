import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils.datastructures import MultiValueDict
from fpdf import FPDF
from PIL import Image

from motcua.documents.models import Document, DocumentKind
from motcua.documents.uploads import (
    CheckedUpload,
    DossierFileField,
    DossierFilesField,
    UploadRefused,
    check_upload,
    save_upload,
)


def pdf_bytes(text: str = "To khai") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def image_bytes(format: str, size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=format)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> UploadedFile[Any]:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


# --- Refusals ------------------------------------------------------------------------------

REFUSED_CONTENT = [
    ("giay-to.pdf", b"MZ\x90\x00 this is a windows program", "không phải PDF, JPEG hoặc PNG"),
    ("giay-to.pdf", b"<html><script>alert(1)</script></html>", "không phải PDF, JPEG hoặc PNG"),
    ("anh.pdf", image_bytes("PNG"), "nội dung là PNG nên tên tệp phải kết thúc bằng .png"),
    ("anh.png", image_bytes("JPEG"), "phải kết thúc bằng .jpg hoặc .jpeg"),
    ("to-khai.jpg", pdf_bytes(), "nội dung là PDF nên tên tệp phải kết thúc bằng .pdf"),
    ("hong.pdf", b"%PDF-1.7\n1 0 obj garbage\n%%EOF\n", "không phải tệp PDF hợp lệ"),
    ("cut.pdf", pdf_bytes()[:400], "không phải tệp PDF hợp lệ"),
    ("anh.png", image_bytes("PNG")[:30], "không phải ảnh PNG hợp lệ"),
    ("trong.pdf", b"", "rỗng (0 byte)"),
]

REFUSED_NAMES = [
    ("../../etc/passwd.pdf", "không được chứa dấu «/», «\\» hay «..»"),
    ("a\\b.pdf", "không được chứa dấu «/», «\\» hay «..»"),
    ("ho..so.pdf", "không được chứa dấu «/», «\\» hay «..»"),
    ("to-khai.pdf.exe", "phần mở rộng «.exe» của tệp chạy được"),
    ("giay.php.pdf", "phần mở rộng «.php» của tệp chạy được"),
    ("anh.svg.png", "phần mở rộng «.svg» của tệp chạy được"),
    ("trang.HTML.pdf", "phần mở rộng «.HTML» của tệp chạy được"),
    ("to\x00khai.pdf", "ký tự điều khiển"),
    ("to\nkhai.pdf", "ký tự điều khiển"),
    ("hoa-don\u202efdp.exe", "ký tự điều khiển"),  # right-to-left override: shows "exe.pdf"
    (".pdf", "cần có tên và phần mở rộng"),
    ("to-khai", "cần có tên và phần mở rộng"),
    ("x" * 300 + ".pdf", "dài quá"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_CONTENT)
def test_content_that_is_not_a_sound_pdf_jpeg_or_png_is_refused(
    media: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(UploadRefused, match=re.escape(message)) as refused:
        save_upload(upload(name, content), kind=DocumentKind.COMPONENT)
    assert f"«{name}»" in str(refused.value)
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "message"), REFUSED_NAMES)
def test_names_with_paths_control_characters_or_executable_extensions_are_refused(
    media: Path, name: str, message: str
) -> None:
    # Django strips directories from multipart names; API callers pass the name apart.
    with pytest.raises(UploadRefused, match=re.escape(message)):
        check_upload(upload("x.pdf", pdf_bytes()), filename=name)
    assert str(UploadRefused("x")) == "x"
    assert stored_files(media) == []


def test_the_refusal_message_is_a_full_vietnamese_sentence() -> None:
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("giay-to.pdf", b"GIF89a..."))
    assert str(refused.value) == (
        "Tệp «giay-to.pdf» không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."
    )


def test_a_file_over_the_limit_is_refused_while_it_is_read(media: Path) -> None:
    with override_settings(UPLOAD_MAX_BYTES=500):
        with pytest.raises(UploadRefused) as refused:
            save_upload(upload("to-khai.pdf", pdf_bytes()), kind=DocumentKind.COMPONENT)
        assert str(refused.value) == "Tệp «to-khai.pdf» lớn hơn 500 byte cho phép."
        # A size the client under-reports is caught by counting what is read.
        lying = upload("to-khai.pdf", pdf_bytes())
        lying.size = 10
        with pytest.raises(UploadRefused, match="lớn hơn 500 byte"):
            check_upload(lying)
    with (
        override_settings(UPLOAD_MAX_BYTES=20 * 1024 * 1024),
        pytest.raises(UploadRefused, match="lớn hơn 20 MB cho phép"),
    ):
        check_upload(upload("to-khai.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024)))
    assert stored_files(media) == []


def test_an_image_with_too_many_pixels_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(UploadRefused, match="quá nhiều điểm ảnh"):
        check_upload(upload("anh.png", image_bytes("PNG", (40, 30))))  # 1,200 pixels
    with pytest.raises(UploadRefused, match="quá nhiều điểm ảnh"):
        check_upload(upload("anh.jpg", image_bytes("JPEG", (100, 100))))  # over twice the limit
    check_upload(upload("nho.png", image_bytes("PNG", (30, 30))))


def test_a_pdf_that_needs_a_password_is_refused() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="bi-mat", owner_password="chu", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(UploadRefused, match="đặt mật khẩu"):
        check_upload(upload("khoa.pdf", locked.getvalue()))
    # Restrictions without an opening password (owner password only) are fine.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="", owner_password="chu", algorithm="AES-256")
    restricted = io.BytesIO()
    writer.write(restricted)
    assert check_upload(upload("han-che.pdf", restricted.getvalue())).content_type == (
        "application/pdf"
    )


@pytest.mark.django_db
def test_no_file_is_left_when_the_row_cannot_be_written(media: Path) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        save_upload(upload("to-khai.pdf", pdf_bytes()), kind=None)
    assert stored_files(media) == []
    assert not Document.objects.exists()


# --- Accepted files ------------------------------------------------------------------------

ACCEPTED = [
    ("Tờ khai đăng ký.pdf", pdf_bytes(), "application/pdf", "pdf"),
    ("ẢNH CCCD mặt trước.JPG", image_bytes("JPEG"), "image/jpeg", "jpg"),
    ("anh-the.jpeg", image_bytes("JPEG"), "image/jpeg", "jpeg"),
    ("so-do.png", image_bytes("PNG"), "image/png", "png"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "content_type", "extension"), ACCEPTED)
def test_a_sound_file_is_stored_under_a_random_name_with_its_hash(
    media: Path, name: str, content: bytes, content_type: str, extension: str
) -> None:
    document = save_upload(
        upload(name, content, content_type="application/octet-stream"),
        kind=DocumentKind.COMPONENT,
    )
    document.refresh_from_db()
    assert document.filename == name
    assert document.title == name
    assert document.content_type == content_type  # by content, not the browser's claim
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    [path] = stored_files(media)
    assert path.read_bytes() == content
    assert path.name.endswith(f".{extension.lower()}")
    stem = name.rsplit(".", 1)[0]
    assert stem not in str(document.file.name)
    assert stem.lower() not in path.name.lower()


def test_names_are_normalised_to_nfc() -> None:
    decomposed = "To\u0302\u0300 khai.pdf"  # "Tồ khai" with combining marks
    checked = check_upload(upload("x.pdf", pdf_bytes()), filename=decomposed)
    assert checked.filename == "T\u1ed3 khai.pdf"
    assert checked.extension == "pdf"


# --- Form fields ---------------------------------------------------------------------------


class PaperForm(forms.Form):
    paper = DossierFileField()
    pages = DossierFilesField(required=False)


def test_the_form_field_shows_the_refusal_next_to_the_field_and_returns_a_checked_upload() -> None:
    form = PaperForm(
        data={}, files=MultiValueDict({"paper": [upload("giay.php.pdf", pdf_bytes())]})
    )
    assert not form.is_valid()
    assert "phần mở rộng «.php»" in form.errors["paper"][0]
    assert 'accept=".pdf,.jpg' in str(form["paper"])

    form = PaperForm(data={}, files=MultiValueDict({"paper": [upload("to-khai.pdf", pdf_bytes())]}))
    assert form.is_valid(), form.errors
    checked = form.cleaned_data["paper"]
    assert isinstance(checked, CheckedUpload)
    assert checked.content_type == "application/pdf"
    assert form.cleaned_data["pages"] == []


def test_the_multiple_file_field_checks_every_file() -> None:
    files: MultiValueDict[str, UploadedFile[Any]] = MultiValueDict(
        {
            "paper": [upload("to-khai.pdf", pdf_bytes())],
            "pages": [upload("trang-1.png", image_bytes("PNG")), upload("trang-2.png", b"xx")],
        }
    )
    form = PaperForm(data={}, files=files)
    assert not form.is_valid()
    assert form.errors["pages"] == [
        "Tệp «trang-2.png» không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."
    ]
    files.setlist("pages", [upload("trang-1.png", image_bytes("PNG"))])
    form = PaperForm(data={}, files=files)
    assert form.is_valid(), form.errors
    assert [c.filename for c in form.cleaned_data["pages"]] == ["trang-1.png"]
