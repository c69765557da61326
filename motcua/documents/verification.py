"""Checking the digital signatures of a PDF, and the public page that does it (/xac-thuc/).

Anyone may check a PDF they hold: upload it, or give a dossier's code and lookup secret
(printed on the receipt) to check the dossier's signed forms and results as stored, or open
`/xac-thuc/<public id>/` from the QR code of one document. Validation runs offline: the trust
roots are the CertificationAuthority rows, nothing is fetched from the network, and missing
revocation information does not fail a signature (soft-fail). Without a timestamp authority
(PAdES B-B), the signing time is the one the signer declared, and the certificate is checked
as of that time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Literal
from uuid import UUID

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.documents.models import CertificationAuthority, Document, DocumentKind
from motcua.documents.pki import trusted_roots
from motcua.documents.signing import to_asn1
from motcua.dossiers.models import Dossier

logger = logging.getLogger(__name__)

Changes = Literal["none", "signatures", "other"]
Verdict = Literal["valid", "invalid", "unsigned", "unreadable"]

_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"})
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a PDF, as the verification page reports it."""

    field_name: str
    signer_name: str  # the certificate's common name
    signer_organisation: str
    signed_at: dt.datetime | None  # as the signer declared it (no timestamp authority)
    reason: str
    intact: bool  # the signed bytes hash to what was signed, and the signature checks out
    covers_whole_document: bool
    changes_after: Changes
    trusted: bool  # the certificate chains to one of our CertificationAuthority rows
    valid_at_signing_time: bool
    demo: bool  # issued by the demo CA: no legal value
    broken: bool = False  # pyHanko could not even read the signature

    @property
    def modified_after_signing(self) -> bool:
        return self.changes_after == "other"

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.trusted
            and self.valid_at_signing_time
            and not self.modified_after_signing
        )

    @property
    def summary(self) -> str:
        """One Vietnamese sentence for this signature."""
        if self.broken:
            return _("Không kiểm tra được chữ ký này: dữ liệu chữ ký bị hỏng hoặc đã bị thay đổi.")
        who = self.signer_name or _("không rõ người ký")
        if self.signer_organisation:
            who = f"{who} ({self.signer_organisation})"
        if not self.intact:
            return _(
                "Chữ ký của %(who)s không hợp lệ: nội dung tài liệu đã bị thay đổi sau khi ký."
            ) % {"who": who}
        parts = [_("Chữ ký của %(who)s còn nguyên vẹn") % {"who": who}]
        if self.changes_after == "other":
            parts.append(_("nhưng tài liệu đã bị thay đổi (thêm nội dung) sau khi ký"))
        elif self.changes_after == "signatures":
            # how a later officer's signature (a new signature field) shows to an earlier one
            parts.append(_("sau khi ký tài liệu chỉ được ký số thêm"))
        else:
            parts.append(_("tài liệu không bị thay đổi sau khi ký"))
        if self.trusted:
            parts.append(_("chứng thư do tổ chức chứng thực được hệ thống tin cậy cấp"))
        else:
            parts.append(_("chứng thư KHÔNG do tổ chức chứng thực được hệ thống tin cậy cấp"))
        if not self.valid_at_signing_time:
            parts.append(_("chứng thư không còn hiệu lực tại thời điểm ký"))
        sentence = "; ".join(parts) + "."
        if self.demo:
            sentence += " " + _("Chứng thư do CA thử nghiệm cấp, không có giá trị pháp lý.")
        return sentence


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureCheck] = field(default_factory=list)
    problem: str = ""  # set when the file is not a readable PDF or has no signature
    readable: bool = True

    @property
    def verdict(self) -> Verdict:
        if self.problem and not self.signatures:
            return "unsigned" if self.readable else "unreadable"
        return "valid" if all(s.ok for s in self.signatures) else "invalid"

    @property
    def message(self) -> str:
        verdict = self.verdict
        if verdict in ("unsigned", "unreadable"):
            return self.problem
        if verdict == "valid":
            return _("Tất cả chữ ký số trên tài liệu đều hợp lệ (%(n)d chữ ký).") % {
                "n": len(self.signatures)
            }
        return _(
            "Tài liệu có chữ ký số không hợp lệ hoặc đã bị thay đổi sau khi ký. "
            "Xem chi tiết từng chữ ký bên dưới."
        )


def _attribute(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)


def _text(sig: EmbeddedPdfSignature, key: str) -> str:
    value = sig.sig_object.get(key)
    return str(value) if value is not None else ""


def _changes(coverage: Any, level: ModificationLevel | None) -> Changes:
    """What follows the signed bytes. Bytes that are not a recognised update (level NONE
    while the signature does not reach the end of the file) count as a modification."""
    if coverage == SignatureCoverageLevel.ENTIRE_FILE or level == ModificationLevel.LTA_UPDATES:
        return "none"
    if level == ModificationLevel.FORM_FILLING:
        return "signatures"
    return "other"


def _check(
    sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate], demo: set[str]
) -> SignatureCheck:
    claimed = sig.self_reported_timestamp
    moment = claimed or timezone.now()
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=moment
    )
    status = validate_pdf_signature(sig, context, key_usage_settings=_KEY_USAGE)
    certificate = sig.signer_cert
    root = status.validation_path.first if status.validation_path is not None else None
    return SignatureCheck(
        field_name=str(sig.field_name or ""),
        signer_name=_attribute(certificate.subject, "common_name"),
        signer_organisation=_attribute(certificate.subject, "organization_name"),
        signed_at=claimed,
        reason=_text(sig, "/Reason"),
        intact=bool(status.intact and status.valid),
        covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        changes_after=_changes(status.coverage, status.modification_level),
        trusted=bool(status.trusted),
        valid_at_signing_time=certificate.not_valid_before <= moment <= certificate.not_valid_after,
        demo=root is not None and hashlib.sha256(root.dump()).hexdigest() in demo,
    )


def verify_pdf(data: bytes) -> VerificationReport:
    """Check every signature of `data`. Never raises for a bad file: the report says why."""
    if PDF_MAGIC not in data[:1024]:
        return VerificationReport(problem=_("Tệp này không phải là tệp PDF."), readable=False)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # pyhanko raises many kinds on malformed files
        logger.info("unreadable PDF submitted for verification", exc_info=True)
        return VerificationReport(
            problem=_("Không đọc được tệp PDF: tệp bị hỏng hoặc không đúng định dạng."),
            readable=False,
        )
    if not embedded:
        return VerificationReport(problem=_("Tài liệu này không có chữ ký số."))
    roots = [to_asn1(c) for c in trusted_roots()]
    demo = set(
        CertificationAuthority.objects.filter(demo=True).values_list("fingerprint", flat=True)
    )
    checks = []
    for sig in embedded:
        try:
            checks.append(_check(sig, roots, demo))
        except Exception:  # a signature pyhanko cannot even parse counts as broken
            logger.info("signature could not be validated", exc_info=True)
            checks.append(_broken(sig))
    return VerificationReport(signatures=checks)


def _broken(sig: EmbeddedPdfSignature) -> SignatureCheck:
    return SignatureCheck(
        field_name=str(sig.field_name or ""),
        signer_name="",
        signer_organisation="",
        signed_at=None,
        reason="",
        intact=False,
        covers_whole_document=False,
        changes_after="other",
        trusted=False,
        valid_at_signing_time=False,
        demo=False,
        broken=True,
    )


def check_document(document: Document) -> VerificationReport:
    """Check a stored document's signatures, from the bytes in storage."""
    with document.file.open("rb") as handle:
        return verify_pdf(handle.read())


# --- The public page --------------------------------------------------------------------------

LOOKUPS_PER_WINDOW = 20
WINDOW_SECONDS = 600
SIGNED_KINDS = (DocumentKind.FORM, DocumentKind.RESULT)


class UploadForm(forms.Form):
    filename = ""
    tep = forms.FileField(label=gettext_lazy("Tệp PDF có chữ ký số"))

    def clean_tep(self) -> bytes:
        upload = self.cleaned_data["tep"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn: tối đa %(mb)d MB.")
                % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        self.filename = str(upload.name)
        data: bytes = upload.read()
        if PDF_MAGIC not in data[:1024]:
            raise forms.ValidationError(_("Tệp này không phải là tệp PDF."))
        return data


class DossierForm(forms.Form):
    ma = forms.CharField(label=gettext_lazy("Mã hồ sơ"), max_length=60, strip=True)
    k = forms.CharField(label=gettext_lazy("Mã tra cứu"), max_length=12, strip=True)


@dataclass(frozen=True)
class CheckedDocument:
    document: Document
    report: VerificationReport


def _over_limit(request: HttpRequest) -> bool:
    key = f"motcua:verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > LOOKUPS_PER_WINDOW


def _find_dossier(code: str, secret: str) -> Dossier | None:
    """The same answer for a wrong code and a wrong secret."""
    dossier = Dossier.objects.filter(code=code.strip()).first()
    if dossier is None or not hmac.compare_digest(dossier.lookup_secret, secret.strip().upper()):
        return None
    return dossier


def _signed_documents(dossier: Dossier) -> list[CheckedDocument]:
    documents = dossier.documents.filter(kind__in=SIGNED_KINDS, signed_at__isnull=False)
    return [CheckedDocument(d, check_document(d)) for d in documents.order_by("created_at", "id")]


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF, or give a dossier's code and secret, and see its signatures checked."""
    upload_form = UploadForm()
    dossier_form = DossierForm()
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and request.POST.get("cach") == "tep":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            context["report"] = verify_pdf(upload_form.cleaned_data["tep"])
            context["filename"] = upload_form.filename
        else:
            status = 400
    elif request.method == "POST" and request.POST.get("cach") == "ho-so":
        dossier_form = DossierForm(request.POST)
        if dossier_form.is_valid():
            if _over_limit(request):
                context["limited"] = True
                status = 429
            else:
                dossier = _find_dossier(
                    dossier_form.cleaned_data["ma"], dossier_form.cleaned_data["k"]
                )
                if dossier is None:
                    context["not_found"] = True
                    status = 404
                else:
                    context["dossier"] = dossier
                    context["checked"] = _signed_documents(dossier)
        else:
            status = 400
    context.update(
        upload_form=upload_form,
        dossier_form=dossier_form,
        max_mb=settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    )
    response = render(request, "documents/verify.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@never_cache
def verify_document(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One stored form or result, from the QR code printed on it."""
    document = (
        Document.objects.select_related("dossier")
        .filter(public_id=public_id, kind__in=SIGNED_KINDS)
        .first()
    )
    if document is None:
        raise Http404
    report = check_document(document) if document.signed_at else None
    return render(
        request, "documents/verify_document.html", {"document": document, "report": report}
    )
