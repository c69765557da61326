"""The dossier (hồ sơ) and everything recorded about it (domain.md A1–A6, B2–B3).

Only `motcua.dossiers.actions` changes these rows; everything else reads them. Every change
of status or of a due time is recorded: `DossierEvent` is the legal processing history
(append-only), `DeadlineChange` the deadline ledger that explains every due time.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, Unit
from motcua.catalog.models import Component, CopyType, ProcedureVersion, Variant
from motcua.dossiers.status import COLOUR, NATIONAL_CODE, OPEN, DossierStatus

LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk


def new_lookup_secret() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(6))


class Channel(models.TextChoices):
    """How the dossier reached us (report form 06 channels: 1 direct, 2 online, 3 postal)."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua bưu chính công ích")


class ReturnChannel(models.TextChoices):
    DESK = "desk", _("Tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class Digitisation(models.TextChoices):
    NONE = "none", _("Chưa số hóa")
    PARTIAL = "partial", _("Số hóa một phần")
    FULL = "full", _("Đã số hóa đầy đủ")


class Dossier(models.Model):
    """A dossier submitted to solve one administrative procedure for one applicant.

    It pins the procedure version in force when it was received (a later version never
    changes it) and records separately where it was received (`reception_point`), the
    receiving centre (`receiving_centre`, whose identifier starts the dossier code) and the
    unit competent to decide (`competent_unit`) — reception is province-wide, non-boundary.
    The code (TT 03/2025 Art. 13 style) is issued once, when the dossier is created, and
    never changes; the lookup secret is printed on the receipt for public tracking.
    """

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    lookup_secret = models.CharField(_("mã tra cứu"), max_length=12, default=new_lookup_secret)
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục (phiên bản)"),
    )
    variant = models.ForeignKey(
        Variant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("trường hợp"),
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.SUBMITTED,
    )
    # The status to go back to when the requested supplement or payment arrives.
    resume_status = models.CharField(max_length=24, blank=True, editable=False)

    # These four keys lead the queue and applicant indexes (Meta.indexes), which serve their
    # look-ups too: no index of their own (one less to write per dossier).
    reception_point = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("nơi tiếp nhận"),
    )
    receiving_centre = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("trung tâm tiếp nhận"),
    )
    competent_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("cơ quan giải quyết"),
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        db_index=False,
        verbose_name=_("tài khoản người nộp"),
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150)
    applicant_identity_number = models.CharField(_("số định danh"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    representative_name = models.CharField(_("người được ủy quyền"), max_length=150, blank=True)
    # The applicant's and representative's names folded (no case, no diacritics), written once
    # at creation like the names themselves, so that name search compares plain text.
    applicant_search = models.CharField(max_length=310, blank=True, editable=False)
    representative_identity_number = models.CharField(
        _("số định danh người được ủy quyền"), max_length=12, blank=True
    )
    request_summary = models.CharField(_("nội dung yêu cầu"), max_length=500, blank=True)
    return_channel = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ReturnChannel.choices,
        default=ReturnChannel.DESK,
    )
    return_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=255, blank=True)

    # NULL, not "", for dossiers without a key: the unique constraint ignores NULLs.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=80, null=True, blank=True, editable=False
    )

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    intake_due_at = models.DateTimeField(_("hạn tiếp nhận"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("hạn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    pause_reason = models.CharField(max_length=40, blank=True)
    paused_seconds = models.PositiveBigIntegerField(
        _("thời gian tạm dừng (giây làm việc)"), default=0
    )
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    extended_at = models.DateTimeField(_("thời điểm gia hạn"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    result_summary = models.CharField(_("kết quả giải quyết"), max_length=500, blank=True)
    result_number = models.CharField(_("số, ký hiệu văn bản kết quả"), max_length=60, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    returned_via = models.CharField(
        _("đã trả qua"), max_length=10, choices=ReturnChannel.choices, blank=True
    )
    postal_tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    due_soon_at = models.DateTimeField(_("cảnh báo sắp đến hạn"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("ghi nhận quá hạn"), null=True, blank=True)
    digitisation = models.CharField(
        _("số hóa thành phần hồ sơ"),
        max_length=8,
        choices=Digitisation.choices,
        default=Digitisation.NONE,
    )
    result_electronic = models.BooleanField(_("kết quả cấp bản điện tử"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["competent_unit", "status", "due_at"], name="dossier_unit_queue"),
            models.Index(
                fields=["receiving_centre", "status", "due_at"], name="dossier_centre_queue"
            ),
            models.Index(
                fields=["reception_point", "status", "due_at"], name="dossier_point_queue"
            ),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["applicant", "submitted_at"], name="dossier_applicant"),
            models.Index(fields=["applicant_identity_number"], name="dossier_identity"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                name="dossier_idempotency",
                condition=Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return DossierStatus(self.status) in OPEN

    @property
    def national_status_code(self) -> int:
        return NATIONAL_CODE[DossierStatus(self.status)]

    @property
    def status_colour(self) -> str:
        return COLOUR[DossierStatus(self.status)]

    @property
    def is_overdue(self) -> bool:
        """Derived, never stored as a status: open, clock running, past its due time."""
        return (
            self.is_open
            and self.paused_at is None
            and self.due_at is not None
            and timezone.now() > self.due_at
        )


class Arrival(models.TextChoices):
    """How a component reached the dossier (for digitisation and reuse statistics)."""

    PAPER = "paper", _("Bản giấy, chưa số hóa")
    SCANNED = "scanned", _("Số hóa khi tiếp nhận")
    UPLOADED = "uploaded", _("Nộp trực tuyến")
    REUSED = "reused", _("Lấy từ kho dữ liệu")
    EXEMPT = "exempt", _("Không phải số hóa")


class Exemption(models.TextChoices):
    """Papers that need not be scanned at intake (TT 03/2025/TT-VPCP Art. 5(2))."""

    SHOWN = "shown", _("Giấy tờ chỉ xuất trình")
    EXCHANGED = "exchanged", _("Kết quả xác minh, ý kiến trao đổi giữa các cơ quan")
    CLASSIFIED = "classified", _("Tài liệu mật")


class DossierComponent(models.Model):
    """A paper received with the dossier, as ticked at the desk or uploaded online."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(
        Component, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    copy_type = models.CharField(_("loại bản"), max_length=20, choices=CopyType.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    supplemented_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)
    arrival = models.CharField(
        _("hình thức nhận"), max_length=10, choices=Arrival.choices, default=Arrival.PAPER
    )
    exemption = models.CharField(
        _("lý do không số hóa"), max_length=10, choices=Exemption.choices, blank=True
    )
    keep_in_store = models.BooleanField(_("người nộp đồng ý lưu vào kho dữ liệu"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nhận")
        verbose_name_plural = _("thành phần hồ sơ đã nhận")
        ordering = ["dossier", "position"]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    PROCESS = "process", _("Bước xử lý")
    CONSULTATION = "consultation", _("Lấy ý kiến, phối hợp liên thông")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Chưa đến")
    ACTIVE = "active", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    SENT_BACK = "sent_back", _("Đã trả lại")
    CANCELLED = "cancelled", _("Đã hủy")


class Punctuality(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DossierStep(models.Model):
    """One step of the dossier's internal process, copied from the pinned procedure version,
    or an inter-agency consultation opened during a step (`kind=consultation`, `parent`).

    Each step has its own unit, owner and due time, so that a late hand-over is attributed to
    the unit that held the dossier (the control slip, form 06, marks each one early / on time
    / late).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("bước"))
    kind = models.CharField(max_length=14, choices=StepKind.choices, default=StepKind.PROCESS)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="consultations"
    )
    name = models.CharField(_("nội dung công việc"), max_length=500)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_steps",
        verbose_name=_("người xử lý"),
    )
    budget_seconds = models.PositiveIntegerField(_("thời gian (giây làm việc)"), default=0)
    counted = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    punctuality = models.CharField(max_length=8, choices=Punctuality.choices, blank=True)
    note = models.TextField(blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "position", "id"]
        indexes = [
            models.Index(fields=["unit", "role", "status", "due_at"], name="step_queue"),
            models.Index(fields=["assignee", "status", "due_at"], name="step_assignee_queue"),
            models.Index(fields=["status", "due_at"], name="step_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.position}. {self.name}"

    @property
    def hours(self) -> float:
        return self.budget_seconds / 3600


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp hồ sơ trực tuyến")
    RECEIVED = "received", _("Nhận hồ sơ tại bộ phận một cửa")
    ACCEPTED = "accepted", _("Tiếp nhận hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Nhận hồ sơ bổ sung")
    ASSIGNED = "assigned", _("Phân công xử lý")
    FORWARDED = "forwarded", _("Chuyển bước xử lý")
    SENT_BACK = "sent_back", _("Trả lại bước trước")
    CONSULTATION_OPENED = "consultation_opened", _("Gửi lấy ý kiến, phối hợp")
    CONSULTATION_ANSWERED = "consultation_answered", _("Trả lời ý kiến, phối hợp")
    APPROVED = "approved", _("Lãnh đạo phê duyệt")
    RESULT_READY = "result_ready", _("Có kết quả")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    PAYMENT_RECORDED = "payment_recorded", _("Ghi nhận đã nộp phí, lệ phí")
    RETURNED = "returned", _("Trả kết quả")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết")
    EXTENDED = "extended", _("Xin lỗi và gia hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class DossierEventQuerySet(models.QuerySet["DossierEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Dossier events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Dossier events are append-only.")


class DossierEvent(models.Model):
    """One entry of the legal processing history: who did what, when, from which status to
    which, why, at which step, and which form it issued. Append-only: rows are never
    changed or deleted, by code or in the admin."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    kind = models.CharField(_("sự kiện"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    from_status = models.CharField(max_length=24, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=DossierStatus.choices, blank=True)
    step = models.ForeignKey(
        DossierStep, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    reason = models.TextField(_("lý do, ghi chú"), blank=True)
    form = models.CharField(_("mẫu phiếu"), max_length=4, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = DossierEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Dossier events are append-only.")


class DeadlineChange(models.Model):
    """One line of the deadline ledger: a due time set or moved, and why, in Vietnamese.

    The dossier's (or a step's) current due time is always the `new_due_at` of its latest
    entry; nothing moves a due time without writing one.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_changes")
    step = models.ForeignKey(
        DossierStep,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_changes",
    )
    at = models.DateTimeField()
    old_due_at = models.DateTimeField(null=True, blank=True)
    new_due_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    explanation = models.JSONField(default=list, blank=True)  # the engine's ledger lines

    class Meta:
        verbose_name = _("thay đổi thời hạn")
        verbose_name_plural = _("sổ thời hạn")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return self.reason


class DossierCodeCounter(models.Model):
    """The running number of dossier codes per receiving agency per day (A6).

    Incremented with a conditional UPDATE inside the creating transaction, so that two
    desks can never draw the same number.
    """

    agency_code = models.CharField(max_length=35)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm mã hồ sơ")
        verbose_name_plural = _("bộ đếm mã hồ sơ")
        ordering = ["-day", "agency_code"]
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="one_counter_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last_number}"


class Payment(models.Model):
    """A financial obligation (status 6) or a fee collected at the desk, and its payment."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    description = models.CharField(_("khoản thu"), max_length=255)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    requested_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("khoản thu")
        verbose_name_plural = _("khoản thu")
        ordering = ["dossier", "requested_at", "id"]

    def __str__(self) -> str:
        return self.description
