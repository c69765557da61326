"""The figures of the leader's dashboard and of the public statistics page (docs/reports.md,
"Dashboards and the public statistics page"), for a unit and every unit below it.

Read-only and cheap at province scale: period sums are differences of the counters summed
over all days before a boundary (C(end + 1) − C(start), as in `form06`), every boundary the
running total of its half-month plus at most 15 days of `DailyFlow`; all boundaries of a
page (today, tomorrow, this month, this year, the twelve month starts of the trend, and
the days after tomorrow and after the "due soon" limit, for the stocks) are read in one
query on `RunningTotal` and one on `DailyFlow`. The live stocks: open, overdue and paused
are the stocks at the start of tomorrow from those sums, brought back to now
(`live.stocks`: only the facts touched between now and midnight are read); due soon is the
overdue stock at the limit less the overdue now. Satisfaction is one query on the ratings
of the subtree's facts. The dossier table is never read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from motcua.accounts.models import Unit
from motcua.core.calendars import get_working_calendar
from motcua.feedback.models import Rating, RatingLevel
from motcua.reports import live
from motcua.reports.models import DailyFlow, DossierFact, RunningTotal
from motcua.reports.periods import half_of
from motcua.reports.reads import report_reads
from motcua.reports.sums import kept_through

COUNTERS = (
    "received_online",
    "received_direct",
    "received_postal",
    "closed_early",
    "closed_on_time",
    "closed_late",
    "withdrawn",
    "digitised",
    "result_electronic",
)
TREND_MONTHS = 12
SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class Flows:
    """What happened over a period of days (sums of `DailyFlow` counters)."""

    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    closed_early: int = 0
    closed_on_time: int = 0
    closed_late: int = 0
    withdrawn: int = 0
    digitised: int = 0
    result_electronic: int = 0

    @property
    def received(self) -> int:
        return self.received_online + self.received_direct + self.received_postal

    @property
    def closed(self) -> int:
        """Closed in the period: results, stop notices and withdrawals (form 06 column 7)."""
        return self.closed_early + self.closed_on_time + self.closed_late + self.withdrawn

    @property
    def closed_in_time(self) -> int:
        """Early or on time, withdrawals included (form 06 columns 8 + 9)."""
        return self.closed_early + self.closed_on_time + self.withdrawn

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.closed_in_time, self.closed)

    @property
    def online_rate(self) -> float | None:
        return _rate(self.received_online, self.received)

    @property
    def digitised_rate(self) -> float | None:
        """Digitised at intake among the dossiers received."""
        return _rate(self.digitised, self.received)

    @property
    def electronic_result_rate(self) -> float | None:
        """Electronic results among the dossiers closed with an answer (not withdrawn)."""
        return _rate(self.result_electronic, self.closed - self.withdrawn)


@dataclass(frozen=True)
class Satisfaction:
    ratings: int = 0
    satisfied: int = 0  # "hài lòng" or "rất hài lòng"

    @property
    def rate(self) -> float | None:
        return _rate(self.satisfied, self.ratings)


@dataclass(frozen=True)
class Period:
    flows: Flows
    satisfaction: Satisfaction


@dataclass(frozen=True)
class MonthFlows:
    month: dt.date  # its first day
    flows: Flows


@dataclass(frozen=True)
class Stocks:
    """Open dossiers now: how many, overdue, due within the next working days, paused."""

    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    paused: int = 0


@dataclass(frozen=True)
class Dashboard:
    unit: Unit
    now: dt.datetime
    today: dt.date
    soon_until: dt.datetime  # "due soon" ends here (exclusive)
    stocks: Stocks
    day: Flows
    month: Period
    year: Period
    trend: list[MonthFlows] = field(default_factory=list)

    @property
    def soon_last_day(self) -> dt.date:
        """The last day "due soon" covers."""
        tz = timezone.get_default_timezone()
        return timezone.localtime(self.soon_until, tz).date() - dt.timedelta(days=1)


def _rate(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def subtree(unit: Unit) -> QuerySet[Unit, Any]:
    """The ids of `unit` and the units below it, as a subquery."""
    return Unit.objects.filter(path__startswith=unit.path).values("pk")


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month `back` months before the one holding `day`."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def totals_before(
    units: QuerySet[Unit, Any], boundaries: set[dt.date], through: dt.date | None
) -> dict[dt.date, Counter[str]]:
    """C(d) for every boundary d: the counters summed over all the days before d, for the
    units. Two queries whatever the number of boundaries: the running totals of the kept
    half-months they fall in, and the days from those half-months' starts to the boundaries
    (at most 15 days each when the totals are kept up to date)."""
    base: dict[dt.date, dt.date | None] = {
        d: (min(half_of(d), through) if through is not None else None) for d in boundaries
    }
    summed = (*COUNTERS, *live.STOCK_COLUMNS)  # the flows, and the stocks' changes
    sums = {c: Sum(c) for c in summed}
    kept: dict[dt.date, Counter[str]] = {}
    starts = {b for b in base.values() if b is not None}
    if starts:
        rows = (
            RunningTotal.objects.filter(unit__in=units, start__in=starts)
            .order_by()
            .values("start")
            .annotate(**sums)
        )
        for row in rows:
            values: dict[str, Any] = dict(row)
            kept[values["start"]] = Counter({c: int(values[c] or 0) for c in summed})
    # The days between a base and its boundary: one query over the union of the ranges.
    ranges = [(b, d) for d, b in base.items() if b is None or b < d]
    days: dict[dt.date, Counter[str]] = {}
    if ranges:
        first = None if any(b is None for b, _ in ranges) else min(b for b, _ in ranges if b)
        last = max(d for _, d in ranges)
        flows = DailyFlow.objects.filter(unit__in=units, day__lt=last)
        if first is not None:
            flows = flows.filter(day__gte=first)
        for day_row in flows.order_by().values("day").annotate(**sums):
            values = dict(day_row)
            days[values["day"]] = Counter({c: int(values[c] or 0) for c in summed})
    out: dict[dt.date, Counter[str]] = {}
    for d, b in base.items():
        total = Counter(kept.get(b, Counter())) if b is not None else Counter()
        for day, counters in days.items():
            if (b is None or day >= b) and day < d:
                total.update(counters)
        out[d] = total
    return out


def flows_between(totals: dict[dt.date, Counter[str]], start: dt.date, end: dt.date) -> Flows:
    """The flows of the days `start` to `end - 1`: C(end) − C(start)."""
    return Flows(**{c: totals[end][c] - totals[start][c] for c in COUNTERS})


def soon_limit(unit: Unit, now: dt.datetime) -> dt.datetime:
    """The end of the second working day after today (Hà Nội time): "due soon" is due from
    now up to then."""
    calendar = get_working_calendar(unit)
    day = timezone.localtime(now, timezone.get_default_timezone()).date()
    for _ in range(SOON_WORKING_DAYS):
        day = calendar.next_working_day(day)
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)


open_facts = live.open_facts


OVERDUE = "overdue"
DUE_SOON = "due_soon"


def due_soon(now: dt.datetime, until: dt.datetime) -> Q:
    """Among open dossiers: running and due between now and `until` (the list behind "due
    soon"; overdue now is form 06's column 13)."""
    return Q(paused_at__isnull=True, due_at__gte=now, due_at__lt=until)


def stocks_now(
    units: QuerySet[Unit, Any],
    now: dt.datetime,
    totals: dict[dt.date, Counter[str]],
    until: dt.datetime,
    through: dt.date | None,
) -> Stocks:
    """Open, overdue and paused: the rollups' stocks at the start of tomorrow, brought back
    to now (`live.stocks`). Due soon: running and due before `until` (a midnight), that is
    overdue at `until` by the rollups (whose changes reach into the days ahead: a dossier
    due on D adds +1 overdue on D + 1) but not now. `totals`: `totals_before` of the day
    after tomorrow and of the day after `until`'s day."""
    tomorrow = live.today_of(now) + dt.timedelta(days=1)
    at_midnight = totals[tomorrow + dt.timedelta(days=1)]
    stock = live.stocks(
        units,
        now,
        (),
        through=through,
        at_midnight={(): {c: at_midnight[c] for c in live.STOCK_COLUMNS}},
    ).get((), dict.fromkeys(live.STOCKS, 0))
    overdue_then = totals[live.today_of(until) + dt.timedelta(days=1)]["overdue_change"]
    return Stocks(
        open=stock["open"],
        overdue=stock["overdue"],
        due_soon=overdue_then - stock["overdue"],
        paused=stock["paused"],
    )


def satisfaction(
    units: QuerySet[Unit, Any], periods: dict[str, tuple[dt.datetime, dt.datetime]]
) -> dict[str, Satisfaction]:
    """Ratings given in each period to dossiers of the units (one query): all of them, and
    those "hài lòng" or better."""
    good = Q(level__gte=RatingLevel.SATISFIED)
    aggregates = {}
    for name, (start, end) in periods.items():
        when = Q(created_at__gte=start, created_at__lt=end)
        aggregates[f"{name}_all"] = Count("pk", filter=when)
        aggregates[f"{name}_good"] = Count("pk", filter=when & good)
    earliest = min(start for start, _ in periods.values())
    row = (
        Rating.objects.filter(
            dossier_id__in=DossierFact.objects.filter(unit__in=units).values("dossier_id"),
            created_at__gte=earliest,
        )
        .order_by()
        .aggregate(**aggregates)
    )
    return {
        name: Satisfaction(ratings=row[f"{name}_all"] or 0, satisfied=row[f"{name}_good"] or 0)
        for name in periods
    }


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_default_timezone())


@report_reads
def build_dashboard(
    unit: Unit, *, now: dt.datetime | None = None, stocks: bool = True
) -> Dashboard:
    """Every figure of the dashboard for `unit` and the units below it. `stocks=False`
    skips the live stocks (the public page does not show them)."""
    now = now or timezone.now()
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    tomorrow = today + dt.timedelta(days=1)
    this_month = month_start(today)
    this_year = dt.date(today.year, 1, 1)
    months = [month_start(today, back) for back in range(TREND_MONTHS - 1, -1, -1)]
    units = subtree(unit)
    until = soon_limit(unit, now) if stocks else now
    # the stocks at the start of tomorrow and of `until`'s day (C of the day after each)
    at_stock_days = {tomorrow + dt.timedelta(days=1), live.today_of(until) + dt.timedelta(days=1)}
    boundaries = {today, tomorrow, this_month, this_year, *months, *at_stock_days}
    through = kept_through()
    totals = totals_before(units, boundaries, through)
    rated = satisfaction(
        units,
        {
            "month": (_midnight(this_month), now),
            "year": (_midnight(this_year), now),
        },
    )
    trend = [
        MonthFlows(m, flows_between(totals, m, nxt))
        for m, nxt in zip(months, [*months[1:], tomorrow], strict=True)
    ]
    return Dashboard(
        unit=unit,
        now=now,
        today=today,
        soon_until=until,
        stocks=(stocks_now(units, now, totals, until, through) if stocks else Stocks()),
        day=flows_between(totals, today, tomorrow),
        month=Period(flows_between(totals, this_month, tomorrow), rated["month"]),
        year=Period(flows_between(totals, this_year, tomorrow), rated["year"]),
        trend=trend,
    )
