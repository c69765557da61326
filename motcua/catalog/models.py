"""The catalogue of administrative procedures (thủ tục hành chính, TTHC) — domain.md A2.

A `Procedure` is the stable identity (its national code `d.dddddd`). Everything that is
published about it lives in a `ProcedureVersion` with effective dates: a dossier pins the
version in force when it was received, and a new version never changes it. Each version has
its components, fees, variants (trường hợp) and internal electronic process (ordered steps
with role, unit kind and working-hour budgets; NĐ 61/2018, TT 01/2018 and the provinces'
published "quy trình nội bộ").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, UnitKind
from motcua.catalog.folding import search_text

HOURS_PER_WORKING_DAY = Decimal(8)


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    SAME_DAY = "same_day", _("trong ngày")


class OnlineMode(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class AuthorityLevel(models.TextChoices):
    MINISTRY = "ministry", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    VERTICAL = "vertical", _("Cơ quan ngành dọc")


class CopyType(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    COPY_WITH_ORIGINAL = "copy_with_original", _("Bản sao kèm bản chính để đối chiếu")
    PHOTOCOPY = "photocopy", _("Bản sao")
    ELECTRONIC = "electronic", _("Bản điện tử")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Lệ phí")
    CHARGE = "charge", _("Phí")


class FeeCollection(models.TextChoices):
    AT_INTAKE = "at_intake", _("Khi nộp hồ sơ")
    AT_SUPPLEMENT = "at_supplement", _("Khi bổ sung hồ sơ")
    AT_RETURN = "at_return", _("Khi nhận kết quả")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")
    WITHDRAWN = "withdrawn", _("Đã bãi bỏ")


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. Hộ tịch, Chứng thực, Đất đai."""

    code = models.CharField(_("mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A reusable kind of paper (giấy tờ), e.g. a birth certificate or an identity card.

    Components name the type they correspond to, so that a citizen's document store can
    offer a paper the state already issued instead of asking for it again (NĐ 45/2020, TT
    03/2025 on reuse of digitised results); a procedure version names the type its result
    is (`ProcedureVersion.result_document_type`), so the store knows what it keeps.
    `valid_days` is how long a paper of the type is usable from its issue date (Giấy xác
    nhận tình trạng hôn nhân: 6 months, NĐ 123/2015 Art. 23); null when it does not expire.
    """

    code = models.CharField(_("mã loại giấy tờ"), max_length=50, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=255)
    valid_days = models.PositiveIntegerField(
        _("thời hạn sử dụng (ngày)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Số ngày giấy tờ còn được dùng kể từ ngày cấp, ví dụ 180 cho Giấy xác nhận tình "
            "trạng hôn nhân; để trống nếu không có thời hạn."
        ),
    )

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


procedure_code_validator = RegexValidator(
    r"^\d\.\d{6}$", _("Mã thủ tục quốc gia có dạng d.dddddd, ví dụ 1.001193.")
)


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def published(self) -> ProcedureQuerySet:
        """Procedures with a version in force today."""
        today = timezone.localdate()
        return (
            self.filter(
                versions__status=VersionStatus.PUBLISHED,
                versions__effective_from__lte=today,
            )
            .filter(Q(versions__effective_to__isnull=True) | Q(versions__effective_to__gt=today))
            .distinct()
        )


class Procedure(models.Model):
    """An administrative procedure's stable identity: its national code.

    `search_text` holds the folded words of the name, codes and field of the version in
    force (" dang ky khai sinh 1.001193 ho tich "), refreshed whenever a version is
    published or withdrawn, so that search is a scan of one small column on SQLite and
    PostgreSQL alike, matching whole words.
    """

    code = models.CharField(
        _("mã thủ tục"), max_length=20, unique=True, validators=[procedure_code_validator]
    )
    local_code = models.CharField(
        _("mã thủ tục địa phương"),
        max_length=60,
        blank=True,
        help_text=_("Mã quốc gia kèm mã định danh cơ quan, ví dụ 1.001193.H56."),
    )
    search_text = models.TextField(editable=False, default="")

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        current = self.current_version()
        return f"{self.code} {current.name}" if current else self.code

    def version_on(self, day: dt.date) -> ProcedureVersion | None:
        """The published version in force on `day` (the one a dossier received then pins)."""
        return (
            self.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
            .order_by("-effective_from", "-number")
            .first()
        )

    def current_version(self) -> ProcedureVersion | None:
        return self.version_on(timezone.localdate())

    def refresh_search_text(self) -> None:
        version = self.current_version()
        parts = [self.code, self.local_code]
        if version is not None:
            parts += [version.name, version.field.name]
        self.search_text = search_text(" ".join(p for p in parts if p))
        self.save(update_fields=["search_text"])


class ProcedureVersion(models.Model):
    """One published state of a procedure, in force from `effective_from` (to `effective_to`).

    Holds every field provinces publish (domain.md A2, B9 item 1). A version is edited while
    it is a draft; publishing checks that everything required is present and that the step
    budgets add up to the time limit (see `motcua.catalog.publishing`).
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("số phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("lĩnh vực")
    )
    authority_level = models.CharField(
        _("cấp thực hiện"), max_length=12, choices=AuthorityLevel.choices
    )
    competent_unit_kind = models.CharField(
        _("loại cơ quan có thẩm quyền"), max_length=20, choices=UnitKind.choices
    )
    competent_authority = models.CharField(
        _("cơ quan có thẩm quyền quyết định"), max_length=255, blank=True
    )
    implementing_agency = models.CharField(_("cơ quan thực hiện"), max_length=255, blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    sequence = models.TextField(_("trình tự thực hiện"), blank=True)
    manner = models.TextField(_("cách thức thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    publication_decision = models.CharField(_("quyết định công bố"), max_length=255, blank=True)
    publication_date = models.DateField(_("ngày công bố"), null=True, blank=True)
    time_limit_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    time_limit_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices
    )
    online_time_limit_value = models.DecimalField(
        _("thời hạn giải quyết trực tuyến"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Để trống nếu như thời hạn chung; cùng đơn vị với thời hạn giải quyết."),
    )
    online_mode = models.CharField(
        _("mức độ dịch vụ công trực tuyến"), max_length=10, choices=OnlineMode.choices
    )
    legacy_level = models.PositiveSmallIntegerField(
        _("mức độ (cũ, 1–4)"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 5)],
    )
    postal_allowed = models.BooleanField(_("tiếp nhận qua bưu chính công ích"), default=True)
    non_boundary = models.BooleanField(
        _("tiếp nhận không phụ thuộc địa giới hành chính"), default=False
    )
    result_name = models.CharField(_("kết quả thực hiện"), max_length=500)
    result_electronic = models.BooleanField(_("kết quả có thể cấp bản điện tử"), default=False)
    result_document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="result_of",
        verbose_name=_("loại giấy tờ của kết quả"),
        help_text=_(
            "Loại giấy tờ mà kết quả là, để lưu vào kho dữ liệu của công dân và dùng lại "
            "cho thủ tục khác; để trống nếu kết quả không phải giấy tờ dùng lại được."
        ),
    )
    number_of_sets = models.PositiveSmallIntegerField(_("số lượng bộ hồ sơ"), default=1)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_version_number"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="version_effective_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} — {self.name}"

    @property
    def time_limit_hours(self) -> Decimal:
        """The legal limit as working hours, the unit step budgets are counted in.

        Same-day procedures count as one working day (8 h); calendar days as 8 h a day,
        the ceiling their working-hour steps may not exceed.
        """
        return limit_in_hours(self.time_limit_value, self.time_limit_unit)

    @property
    def online_time_limit_hours(self) -> Decimal | None:
        if self.online_time_limit_value is None:
            return None
        return limit_in_hours(self.online_time_limit_value, self.time_limit_unit)

    def time_limit_display(self, *, online: bool = False) -> str:
        value = self.online_time_limit_value if online else self.time_limit_value
        if value is None:
            return ""
        return format_limit(value, self.time_limit_unit)


# What a version publishes (everything but its number, status and dates): compared between
# versions and carried by the interchange format, in this order.
VERSION_CONTENT = (
    "name",
    "field",
    "authority_level",
    "competent_unit_kind",
    "competent_authority",
    "implementing_agency",
    "applicants",
    "conditions",
    "sequence",
    "manner",
    "legal_basis",
    "publication_decision",
    "publication_date",
    "time_limit_value",
    "time_limit_unit",
    "online_time_limit_value",
    "online_mode",
    "legacy_level",
    "postal_allowed",
    "non_boundary",
    "result_name",
    "result_electronic",
    "result_document_type",
    "number_of_sets",
    "notes",
)


def limit_in_hours(value: Decimal, unit: str) -> Decimal:
    if unit == TimeUnit.WORKING_HOURS:
        return Decimal(value)
    if unit == TimeUnit.SAME_DAY:
        return HOURS_PER_WORKING_DAY
    return Decimal(value) * HOURS_PER_WORKING_DAY


def format_limit(value: Decimal, unit: str) -> str:
    """ "3 ngày làm việc", "0,5 ngày làm việc", "Trong ngày"."""
    if unit == TimeUnit.SAME_DAY:
        return str(_("Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)"))
    number = f"{value.normalize():f}".replace(".", ",")
    return f"{number} {TimeUnit(unit).label}"


class Variant(models.Model):
    """A case (trường hợp) of a procedure with its own time limit, e.g. "cần xác minh"."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="variants",
        verbose_name=_("phiên bản"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("trường hợp"), max_length=500)
    time_limit_value = models.DecimalField(_("thời hạn"), max_digits=6, decimal_places=2)
    time_limit_unit = models.CharField(_("đơn vị"), max_length=16, choices=TimeUnit.choices)
    online_time_limit_value = models.DecimalField(
        _("thời hạn trực tuyến"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """A paper in the dossier (thành phần hồ sơ), with its copy type and count."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("phiên bản"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    copy_type = models.CharField(_("loại bản"), max_length=20, choices=CopyType.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    sample_form = models.FileField(
        _("mẫu đơn, tờ khai"), upload_to="catalog/forms/", blank=True, max_length=255
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("loại giấy tờ (tái sử dụng)"),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) and when it is collected."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="fees",
        verbose_name=_("phiên bản"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices, default=FeeKind.FEE)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    amount = models.DecimalField(
        _("mức thu (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    online_amount = models.DecimalField(
        _("mức thu trực tuyến (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    formula = models.CharField(
        _("cách tính"),
        max_length=500,
        blank=True,
        help_text=_("Khi mức thu không cố định, ví dụ theo trang hoặc theo nghị quyết HĐND tỉnh."),
    )
    collected = models.CharField(
        _("thời điểm thu"),
        max_length=15,
        choices=FeeCollection.choices,
        default=FeeCollection.AT_INTAKE,
    )
    exemptions = models.TextField(_("đối tượng miễn, giảm"), blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """A step of the internal electronic process (quy trình nội bộ), with its budget.

    Budgets are in working hours (1 day = 8 h). The final return step is not counted
    (`counted=False`); the counted budgets add up to the time limit.
    """

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("phiên bản"),
    )
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("nội dung công việc"), max_length=500)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    unit_kind = models.CharField(_("đơn vị thực hiện"), max_length=20, choices=UnitKind.choices)
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    online_budget_hours = models.DecimalField(
        _("thời gian trực tuyến (giờ)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    counted = models.BooleanField(_("tính vào thời hạn"), default=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"
