"""Rollups for reports (docs/reports.md): small tables that reports read instead of the
dossiers.

- `DossierFact` — one narrow row per dossier received for handling (accepted): what the
  dossier adds to the rollups, as a pure function of the dossier and its events. Folding a
  dossier again takes its old contribution out and puts the new one in, so folding is
  idempotent and order does not matter; a recount gives the same tables by construction.
- `DailyFlow` — unit × procedure × day (Hà Nội date): dossiers received per channel, closed
  early / on time / late / withdrawn, supplements requested, digitised, electronic results,
  and the day's changes of the stocks (open, paused, overdue) from which the stock on any
  day boundary is a sum; `RunningTotal` — every counter summed over all days before each
  half-month (1st, 15th), so that any sum over days is a difference of two of them.
- `PendingFold` — dossiers waiting to be folded, one row per event, written in the event's
  transaction (no event can be missed, whatever order transactions commit in).
- `FoldLock` — one row: whoever holds its lock folds (or recounts); the others skip.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Unit
from motcua.catalog.models import AuthorityLevel, Field, Procedure
from motcua.dossiers.models import Channel, Dossier


class Outcome(models.TextChoices):
    """How the handling of a dossier ended, for report form 06 (columns 8–10)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")


# The counters of `DailyFlow`, in the order of the table (the fold and recount add them).
FLOW_COUNTERS = (
    "received_online",
    "received_direct",
    "received_postal",
    "closed_early",
    "closed_on_time",
    "closed_late",
    "withdrawn",
    "supplements_requested",
    "digitised",
    "result_electronic",
    "closed_multi_supplement",
    "online_with_result",
    "digitised_with_result",
    "reused",
    "handling_hours",
    "open_change",
    "paused_change",
    "overdue_change",
)


class DossierFact(models.Model):
    """The report's view of one dossier received for handling (accepted).

    `received_at` is the acceptance (a dossier refused or still waiting for acceptance is
    not received); `closed_at` the end of handling: the result ready, or the withdrawal or
    stop notice. `due_at` is the appointment statistics judge by: the one given at
    acceptance, moved by the supplement and payment pauses, never by an extension (form
    04). `paused_at` is set while the clock stands still. `stock_changes` lists, per Hà Nội
    day, the changes of the open / paused / overdue stocks at the start of that day that
    this dossier makes (see docs/reports.md), so that its old contribution can be taken
    out exactly when it is folded again — for a dossier ever paused; one never paused keeps
    `[]`, its changes following from its days (`projection.changes_of`).
    """

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, primary_key=True, related_name="report_fact"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=AuthorityLevel.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField()
    received_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    supplement_days = models.JSONField(default=list, blank=True)
    digitised = models.BooleanField(default=False)
    result_electronic = models.BooleanField(default=False)
    # Decision 766 (docs/reports.md): two or more supplement requests (2.1), online and
    # counted by 3.3 (electronic result, or a result that is not a document), a component
    # reused from the store or obtained by exchange (4.3).
    multi_supplement = models.BooleanField(default=False)
    online_counted = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    # 2.2: hours from reception to the end of handling, less the pauses (supplement and
    # payment waits), by the calendar; 0 while open (projection.handling_hours).
    handling_hours = models.IntegerField(default=0)
    stock_changes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("số liệu hồ sơ cho báo cáo")
        verbose_name_plural = _("số liệu hồ sơ cho báo cáo")
        ordering = ["dossier"]
        indexes = [
            # Dossiers open now, per unit: the live split of a period that ends today.
            models.Index(
                fields=["unit", "due_at"],
                name="fact_open_by_unit",
                condition=models.Q(closed_at__isnull=True),
            ),
            # By day for periods; the moment too, for the live stocks (live.py: received
            # or closed later today than a given moment, read from the index alone).
            models.Index(fields=["unit", "received_on", "received_at"], name="fact_received_at"),
            models.Index(fields=["unit", "closed_on", "closed_at"], name="fact_closed_at"),
            # Dossiers with two or more supplement requests, by closing day (NULL while
            # open): those still open at the end of a period (766 2.1, indicators.py).
            models.Index(
                fields=["unit", "closed_on"],
                name="fact_multi_supplement",
                condition=models.Q(multi_supplement=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class FlowCounters(models.Model):
    """The counters shared by the day and month tables (see `FLOW_COUNTERS`)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=AuthorityLevel.choices)
    received_online = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    closed_early = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    closed_late = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    supplements_requested = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    result_electronic = models.IntegerField(default=0)
    # Decision 766 (docs/reports.md): closed early / on time / withdrawn after two or more
    # supplement requests, by closing day (2.1 counts them late); by reception day, online
    # dossiers counted by 3.3, dossiers digitised at intake with an electronic result (4.2),
    # dossiers with a component reused from the store or obtained by exchange (4.3).
    closed_multi_supplement = models.IntegerField(default=0)
    online_with_result = models.IntegerField(default=0)
    digitised_with_result = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    # 2.2: the handling hours of the dossiers closed with a result (early, on time, late),
    # by closing day: their average is this over closed_early + closed_on_time + closed_late.
    handling_hours = models.IntegerField(default=0)
    # Changes of the stocks at the start of a day: the stock on a day boundary is the sum of
    # the changes up to that day (a dossier due on day D adds +1 overdue on D + 1 when it is
    # folded, so the passage of time needs no event).
    open_change = models.IntegerField(default=0)
    paused_change = models.IntegerField(default=0)
    overdue_change = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyFlow(FlowCounters):
    """What happened on one Hà Nội day at one competent unit for one procedure.

    Field and level are those of the procedure version the dossiers pinned (they are part
    of the key, so that report form 06 groups without a join). Rows whose counters are all
    zero are deleted.
    """

    day = models.DateField()

    class Meta:
        verbose_name = _("số liệu theo ngày")
        verbose_name_plural = _("số liệu theo ngày")
        ordering = ["day", "unit", "procedure"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "procedure", "field", "level", "day"], name="one_flow_per_day"
            )
        ]
        indexes = [
            models.Index(fields=["day", "unit"], name="flow_day_unit"),
            # A subtree's days since a half-month read unit by unit (the plan PostgreSQL
            # takes when it expects few units) without scanning each unit's whole key.
            models.Index(fields=["unit", "day"], name="flow_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.procedure_id}"


class RunningTotal(FlowCounters):
    """Every counter summed over all the days before `start`, the first day of a half-month
    (motcua/reports/periods.py: the 1st and the 15th) — a running total (lũy kế).

    Any sum over days is then a difference of two running totals, each one half-month of
    these rows plus at most 15 days of `DailyFlow`: a period's flows are the totals at its
    end minus those at its start, a stock on a day is the total of its changes up to that
    day. Kept by the fold for every half-month up to `FoldLock.totals_through` (the next
    one); rows whose counters are all zero are deleted.
    """

    start = models.DateField()

    class Meta:
        verbose_name = _("số liệu lũy kế")
        verbose_name_plural = _("số liệu lũy kế")
        ordering = ["start", "unit", "procedure"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "procedure", "field", "level", "start"],
                name="one_running_total",
            )
        ]
        indexes = [
            # Covering (PostgreSQL; a plain index elsewhere): the reports read the totals of
            # one half-month for a set of units, grouped by procedure or unit, from the
            # index alone (an index-only scan once the table is vacuumed).
            models.Index(
                fields=["start", "unit"],
                name="total_start_unit_cover",
                include=["procedure", "field", "level", *FLOW_COUNTERS],
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} {self.unit_id} {self.procedure_id}"


class PendingFold(models.Model):
    """A dossier that has a new event and waits for the fold (written with the event)."""

    dossier_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("hồ sơ chờ tổng hợp")
        verbose_name_plural = _("hồ sơ chờ tổng hợp")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class FoldLock(models.Model):
    """The single row whose lock one folder (or a recount) holds at a time."""

    folded_at = models.DateTimeField(null=True, blank=True)
    folded_dossiers = models.BigIntegerField(default=0)
    # `RunningTotal` rows are kept for every half-month up to this one (its first day).
    totals_through = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("khóa tổng hợp")
        verbose_name_plural = _("khóa tổng hợp")

    def __str__(self) -> str:
        return f"{self.folded_at}"
