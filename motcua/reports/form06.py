"""Report form 06 (Biểu số 06/VPCP/KSTT, TT 01/2020/TT-VPCP; domain.md A7, B1.7): the
situation and results of handling procedures at the handling units, for a unit subtree and
a period of Hà Nội days, grouped by level and field. A pure function over the rollups: it
reads `DailyFlow` (and, for a period that reaches today, the open `DossierFact` rows),
never the dossiers.

Counting rules (docs/reports.md):
- a dossier counts for the unit competent to decide it, from its acceptance (online
  dossiers still waiting for acceptance and refused dossiers are not received);
- columns 4 and 5: received in the period online (channel 2) / in person or by post (1, 3);
- column 6: carried over = received before the period and not closed before it;
- columns 7–10: closed in the period (result ready, withdrawn or stopped), early / on time /
  late by day against the appointment; withdrawn dossiers count as on time;
- columns 11–13: open at the end of the period, within deadline (waiting for a supplement
  or a payment included) or overdue. For a period ending today or later, the end is now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from motcua.accounts.models import Unit
from motcua.catalog.models import AuthorityLevel, Field
from motcua.reports.models import (
    DailyFlow,
    DossierFact,
    FoldLock,
    MonthlyFlow,
    MonthStartStock,
)


@dataclass(frozen=True)
class Cells:
    """Columns 3–13 of form 06 (1 is the row number, 2 the label)."""

    received: int = 0  # 3 = 4 + 5 + 6
    received_online: int = 0  # 4
    received_direct_postal: int = 0  # 5
    carried_over: int = 0  # 6
    closed: int = 0  # 7 = 8 + 9 + 10
    closed_early: int = 0  # 8
    closed_on_time: int = 0  # 9
    closed_late: int = 0  # 10
    open: int = 0  # 11 = 3 − 7 = 12 + 13
    open_within: int = 0  # 12
    open_overdue: int = 0  # 13

    def __add__(self, other: Cells) -> Cells:
        return Cells(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Cells)}
        )

    def as_columns(self) -> dict[int, int]:
        """The cells by column number of the form (3–13)."""
        return {n: getattr(self, f.name) for n, f in enumerate(fields(Cells), start=3)}


@dataclass(frozen=True)
class FieldRow:
    field_id: int
    name: str
    cells: Cells


@dataclass(frozen=True)
class LevelGroup:
    level: str
    label: str
    rows: list[FieldRow]
    subtotal: Cells


@dataclass(frozen=True)
class Form06:
    unit: Unit
    start: dt.date
    end: dt.date
    as_of: dt.datetime  # the moment columns 11–13 describe
    groups: list[LevelGroup] = field(default_factory=list)
    total: Cells = field(default_factory=Cells)


Group = tuple[str, int]  # (level, field id)


def _sum_by_group(rows: QuerySet[Any], sums: dict[str, str]) -> dict[Group, dict[str, int]]:
    out: dict[Group, dict[str, int]] = {}
    aggregates = {name: Sum(column) for name, column in sums.items()}
    # order_by(): no ORDER BY, and none of the joins the models' default orderings bring
    for row in rows.order_by().values("level", "field_id").annotate(**aggregates):
        values: dict[str, Any] = dict(row)
        out[(values["level"], values["field_id"])] = {k: int(values[k] or 0) for k in sums}
    return out


def _add(into: dict[Group, dict[str, int]], part: dict[Group, dict[str, int]]) -> None:
    for group, values in part.items():
        target = into.setdefault(group, {})
        for name, value in values.items():
            target[name] = target.get(name, 0) + value


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _sum_days(
    units: QuerySet[Any], start: dt.date | None, end: dt.date, **sums: str
) -> dict[Group, dict[str, int]]:
    """Sums of counters over the days `start` (None: since the beginning) to `end`: the
    whole months inside from `MonthlyFlow`, the days at either edge from `DailyFlow`."""
    # the last month that ends inside the period (as its first day)
    last_full = end.replace(day=1)
    if _next_month(last_full) - dt.timedelta(days=1) != end:
        last_full = (last_full - dt.timedelta(days=1)).replace(day=1)
    days = DailyFlow.objects.filter(unit__in=units)
    first_full: dt.date | None = None  # the first month that starts inside the period
    if start is not None:
        first_full = start if start.day == 1 else _next_month(start.replace(day=1))
        if first_full > last_full:  # no whole month inside
            return _sum_by_group(days.filter(day__gte=start, day__lte=end), sums)
    out: dict[Group, dict[str, int]] = {}
    months = MonthlyFlow.objects.filter(unit__in=units, month__lte=last_full)
    if first_full is not None:
        months = months.filter(month__gte=first_full)
    _add(out, _sum_by_group(months, sums))
    if start is not None and first_full is not None and start < first_full:
        _add(out, _sum_by_group(days.filter(day__gte=start, day__lt=first_full), sums))
    after = _next_month(last_full)
    if after <= end:
        _add(out, _sum_by_group(days.filter(day__gte=after, day__lte=end), sums))
    return out


def _stock(
    units: QuerySet[Any], day: dt.date, stocks_through: dt.date | None, **stocks: str
) -> dict[Group, dict[str, int]]:
    """The stocks on `day` (its start): the sums of the changes up to that day — the
    month-start stocks of its month plus the changes of its days so far, or, where those
    are not kept, every earlier month and day."""
    changes = {name: f"{column}_change" for name, column in stocks.items()}
    month = day.replace(day=1)
    if stocks_through is None or month > stocks_through:
        return _sum_days(units, None, day, **changes)
    out = _sum_by_group(MonthStartStock.objects.filter(unit__in=units, month=month), stocks)
    days = DailyFlow.objects.filter(unit__in=units, day__gte=month, day__lte=day)
    _add(out, _sum_by_group(days, changes))
    return out


def build_form06(
    unit: Unit, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> Form06:
    """Form 06 for `unit` and every unit below it, for the days `start` to `end`."""
    if end < start:
        raise ValueError("end before start")
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    today = timezone.localtime(now, tz).date()
    units = Unit.objects.filter(path__startswith=unit.path).values("pk")
    period = _sum_days(
        units,
        start,
        end,
        online="received_online",
        direct="received_direct",
        postal="received_postal",
        early="closed_early",
        on_time="closed_on_time",
        late="closed_late",
        withdrawn="withdrawn",
    )
    stocks_through = FoldLock.objects.values_list("stocks_through", flat=True).first()
    carried = _stock(units, start, stocks_through, open="open")
    ending: dict[Group, dict[str, int]]
    if end < today:
        as_of = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        ending = _stock(
            units, end + dt.timedelta(days=1), stocks_through, open="open", overdue="overdue"
        )
    else:
        as_of = now
        ending = {}
        rows = (
            DossierFact.objects.filter(unit__in=units, closed_at__isnull=True, received_at__lte=now)
            .order_by()
            .values("level", "field_id")
            .annotate(
                open=Count("pk"),
                overdue=Count("pk", filter=Q(paused_at__isnull=True, due_at__lt=now)),
            )
        )
        for row in rows:
            ending[(row["level"], row["field_id"])] = {
                "open": row["open"],
                "overdue": row["overdue"],
            }

    cells: dict[Group, Cells] = {}
    for group in period.keys() | carried.keys() | ending.keys():
        p = period.get(group, {})
        carried_over = carried.get(group, {}).get("open", 0)
        online = p.get("online", 0)
        direct_postal = p.get("direct", 0) + p.get("postal", 0)
        early, late = p.get("early", 0), p.get("late", 0)
        on_time = p.get("on_time", 0) + p.get("withdrawn", 0)
        still_open = ending.get(group, {}).get("open", 0)
        overdue = ending.get(group, {}).get("overdue", 0)
        line = Cells(
            received=online + direct_postal + carried_over,
            received_online=online,
            received_direct_postal=direct_postal,
            carried_over=carried_over,
            closed=early + on_time + late,
            closed_early=early,
            closed_on_time=on_time,
            closed_late=late,
            open=still_open,
            open_within=still_open - overdue,
            open_overdue=overdue,
        )
        if any(line.as_columns().values()):
            cells[group] = line
    return _arrange(unit, start, end, as_of, cells)


def _arrange(
    unit: Unit, start: dt.date, end: dt.date, as_of: dt.datetime, cells: dict[Group, Cells]
) -> Form06:
    names = dict(Field.objects.filter(pk__in={f for _, f in cells}).values_list("pk", "name"))
    groups: list[LevelGroup] = []
    total = Cells()
    for level in AuthorityLevel:
        rows = sorted(
            (FieldRow(f, names.get(f, ""), c) for (lv, f), c in cells.items() if lv == level),
            key=lambda r: (r.name, r.field_id),
        )
        if not rows:
            continue
        subtotal = _total(r.cells for r in rows)
        groups.append(LevelGroup(level=level, label=str(level.label), rows=rows, subtotal=subtotal))
        total = total + subtotal
    return Form06(unit=unit, start=start, end=end, as_of=as_of, groups=groups, total=total)


def _total(cells: Iterable[Cells]) -> Cells:
    total = Cells()
    for c in cells:
        total = total + c
    return total
