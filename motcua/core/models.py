"""Calendar data administrators edit: day overrides and working-hours profiles.

The national calendar (the `holidays` package plus the overrides shipped in
`data/calendar_overrides.json`) is built in; these rows add to it and win over it.
`motcua.core.calendars` turns them into a cached `WorkingCalendar`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CalendarOverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarOverride(models.Model):
    """A day that is off or worked against the national calendar, with its legal source.

    Examples: a make-up Saturday the package does not know yet, an extra day off decided by
    the Prime Minister, a province's own day off (set `unit` to the province: it applies to
    that unit and every unit below it). Without a unit it applies everywhere. A row wins
    over the built-in calendar; a unit's row wins over a row of a unit above it.
    """

    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarOverrideKind.choices)
    name = models.CharField(
        _("tên"), max_length=200, help_text=_("Ví dụ: Nghỉ hoán đổi dịp Tết Dương lịch.")
    )
    occasion = models.CharField(
        _("dịp"),
        max_length=120,
        blank=True,
        help_text=_("Nhóm các ngày cùng một dịp nghỉ, ví dụ: Tết Dương lịch. Để trống: dùng tên."),
    )
    legal_source = models.CharField(
        _("căn cứ pháp lý"),
        max_length=255,
        help_text=_("Số, ngày và cơ quan ban hành văn bản, ví dụ: Công văn 12729/VPCP-KGVX."),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("phạm vi áp dụng"),
        help_text=_(
            "Để trống: áp dụng toàn hệ thống. Chọn tỉnh hoặc đơn vị: áp dụng cho đơn vị "
            "đó và các đơn vị cấp dưới."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(unit__isnull=True),
                name="calendar_override_one_national",
            ),
            models.UniqueConstraint(fields=["day", "unit"], name="calendar_override_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.get_kind_display()} · {self.name}"


class WorkingHoursProfile(models.Model):
    """Working hours: a morning and an afternoon period and the same-day cut-off.

    Without dates a profile is the standing hours; with dates it applies over that range
    (inclusive), every year when `yearly` is set (summer or winter hours, e.g. 15/4–14/10).
    A unit's profile covers the unit and the units below it. For a given day the most
    specific profile wins: a unit's over a unit above it, and a dated one over a standing one.
    """

    name = models.CharField(_("tên"), max_length=120, help_text=_("Ví dụ: Giờ làm việc mùa hè."))
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_hours_profiles",
        verbose_name=_("đơn vị"),
        help_text=_("Để trống: áp dụng toàn hệ thống."),
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    yearly = models.BooleanField(
        _("lặp lại hằng năm"),
        default=False,
        help_text=_("Chỉ xét ngày và tháng của khoảng thời gian, áp dụng mọi năm."),
    )
    morning_start = models.TimeField(_("buổi sáng từ"), default=dt.time(7, 30))
    morning_end = models.TimeField(_("buổi sáng đến"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("buổi chiều từ"), default=dt.time(13, 0))
    afternoon_end = models.TimeField(_("buổi chiều đến"), default=dt.time(17, 0))
    cutoff = models.TimeField(
        _("giờ chốt trong ngày"),
        default=dt.time(15, 0),
        help_text=_(
            "Thủ tục giải quyết trong ngày: tiếp nhận từ giờ này thì hẹn ngày làm việc tiếp theo."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["unit_id", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="working_hours_periods_in_order",
            ),
            models.CheckConstraint(
                condition=Q(yearly=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="working_hours_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        times = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if None not in times and not (
            self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end
        ):
            raise ValidationError(
                _(
                    "Giờ buổi sáng phải trước giờ buổi chiều; "
                    "mỗi buổi, giờ bắt đầu phải trước giờ kết thúc."
                )
            )
        if (
            not self.yearly
            and self.valid_from is not None
            and self.valid_to is not None
            and self.valid_to < self.valid_from
        ):
            raise ValidationError({"valid_to": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})


def _calendar_data_changed(**kwargs: object) -> None:
    from django.db import transaction

    from motcua.core.calendars import invalidate_calendars

    # Now, for this connection, and again after the commit, so that a calendar rebuilt by
    # another thread while the transaction was open does not keep the old rows.
    invalidate_calendars()
    transaction.on_commit(invalidate_calendars)


for _model in (CalendarOverride, WorkingHoursProfile):
    models.signals.post_save.connect(_calendar_data_changed, sender=_model, weak=False)
    models.signals.post_delete.connect(_calendar_data_changed, sender=_model, weak=False)
