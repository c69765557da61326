"""Files of a dossier (issued forms, digitised components, results), the signing
certificates of officers, and the citizen's document store (kho dữ liệu)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import DocumentType
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent


def document_path(instance: Document, filename: str) -> str:
    """A random storage name: the name a user gave never reaches the storage, and no URL
    built from a dossier code or an id can guess it."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class DocumentKind(models.TextChoices):
    FORM = "form", _("Mẫu phiếu")
    COMPONENT = "component", _("Thành phần hồ sơ")
    RESULT = "result", _("Kết quả giải quyết")


class Document(models.Model):
    """One stored file of a dossier. Files are never served from the storage's own URL:
    `public_id` names them in download links, behind the access check."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=10, choices=DocumentKind.choices)
    form = models.CharField(_("mẫu phiếu"), max_length=2, blank=True)
    event = models.ForeignKey(
        DossierEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    component = models.ForeignKey(
        DossierComponent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
    )
    reused_from = models.ForeignKey(
        "StoreItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("lấy từ kho dữ liệu"),
    )
    title = models.CharField(_("tên tài liệu"), max_length=1000)
    file = models.FileField(upload_to=document_path, max_length=255)
    filename = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ký số"),
    )
    signed_at = models.DateTimeField(_("thời điểm ký số"), null=True, blank=True)
    signer_subject = models.CharField(_("chủ thể chứng thư"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["dossier", "created_at", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="document_dossier_kind")]

    def __str__(self) -> str:
        return self.title


class CertificationAuthority(models.Model):
    """A certification authority whose certificates the verification page trusts. The
    demo creates its own (with its key, encrypted, to issue officer certificates); a real
    deployment adds the public certificate of the authority that issued its officers'."""

    name = models.CharField(_("tên"), max_length=300)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    fingerprint = models.CharField(max_length=64, unique=True)  # SHA-256, hex
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    demo = models.BooleanField(_("CA thử nghiệm"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tổ chức cung cấp dịch vụ chứng thực")
        verbose_name_plural = _("tổ chức cung cấp dịch vụ chứng thực")

    def __str__(self) -> str:
        return self.name


class SigningCertificate(models.Model):
    """An officer's signing certificate with its private key, kept as a PKCS#12 blob
    encrypted with a passphrase derived from the deployment's secret key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signing_certificates"
    )
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=64)
    fingerprint = models.CharField(max_length=64, unique=True)  # SHA-256, hex
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    pkcs12 = models.BinaryField(editable=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chứng thư số của cán bộ")
        verbose_name_plural = _("chứng thư số của cán bộ")

    def __str__(self) -> str:
        return self.subject


class StoreSource(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục")
    COMPONENT = "component", _("Thành phần hồ sơ đã số hóa")


class StoreItem(models.Model):
    """A paper in a citizen's document store (kho quản lý dữ liệu điện tử): an electronic
    result, or a digitised component the citizen agreed to keep, offered again when a later
    procedure needs a paper of the same type."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_items"
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loại giấy tờ"),
    )
    title = models.CharField(_("tên giấy tờ"), max_length=1000)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="store_items")
    source = models.CharField(_("nguồn"), max_length=10, choices=StoreSource.choices)
    source_dossier = models.ForeignKey(
        Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("thời điểm lưu"), default=timezone.now)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("giấy tờ trong kho dữ liệu")
        ordering = ["owner", "-added_at"]
        indexes = [models.Index(fields=["owner", "document_type"], name="store_owner_type")]

    def __str__(self) -> str:
        return self.title

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class StoreAccess(models.Model):
    """An officer opening a citizen's stored paper, through a dossier that reuses it."""

    item = models.ForeignKey(StoreItem, on_delete=models.CASCADE, related_name="accesses")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lượt cán bộ xem kho dữ liệu")
        verbose_name_plural = _("lượt cán bộ xem kho dữ liệu")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.officer_id} → {self.item_id}"
