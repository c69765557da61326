"""Per-unit targets (chỉ tiêu) for the Decision 766 figures, e.g. 50 % of dossiers online in
2026, with the progress shown on the indicators and rankings pages.

The model lives here rather than in `reports/models.py` while the rollup tables are being
changed; it is registered with the reports app (explicit `app_label`) when the admin or the
pages import it, and its migration is `reports/migrations/0005_unit_target.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Unit


class TargetIndicator(models.TextChoices):
    """What a target is set on: the total score or one of the headline rates."""

    TOTAL = "total", _("Tổng điểm Bộ chỉ số 766 (trên 100)")
    ON_TIME = "2.1", _("Tỷ lệ hồ sơ trước hạn, đúng hạn (2.1)")
    ONLINE = "3.3", _("Tỷ lệ hồ sơ trực tuyến (3.3)")
    ELECTRONIC_RESULT = "4.1", _("Tỷ lệ hồ sơ có kết quả điện tử (4.1)")
    DIGITISED = "4.2", _("Tỷ lệ hồ sơ được số hóa (4.2)")
    SATISFACTION = "5.4", _("Mức độ hài lòng (5.4)")


class UnitTarget(models.Model):
    """A unit's target for one indicator in one calendar year: a percentage (or, for the
    total score, points out of 100). The figure of the unit's subtree for a period within
    the year is compared with it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị")
    )
    indicator = models.CharField(_("chỉ số"), max_length=8, choices=TargetIndicator.choices)
    target = models.DecimalField(
        _("chỉ tiêu (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Phần trăm cần đạt, ví dụ 50 cho 50 % hồ sơ trực tuyến; điểm với tổng điểm."),
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )

    class Meta:
        app_label = "reports"
        verbose_name = _("chỉ tiêu của đơn vị")
        verbose_name_plural = _("chỉ tiêu của đơn vị")
        ordering = ["-year", "unit", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "year"], name="one_target_per_unit_indicator_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_indicator_display()} · {self.year}: {self.target}"


@dataclass(frozen=True)
class Progress:
    """A target and where the figure stands against it."""

    target: UnitTarget
    value: float | None  # percent, or points for the total score

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= float(self.target.target)

    @property
    def ratio(self) -> float | None:
        """The figure as a share of the target (1 = reached), for a progress bar."""
        if self.value is None:
            return None
        goal = float(self.target.target)
        return 1.0 if goal <= 0 else min(1.0, self.value / goal)

    @property
    def bar_percent(self) -> int:
        return round(100 * (self.ratio or 0.0))
