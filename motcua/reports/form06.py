"""Report form 06 (Biểu số 06/VPCP/KSTT, TT 01/2020/TT-VPCP; domain.md A7, B1.7): the
situation and results of handling procedures at the handling units, for a unit subtree and
a period of Hà Nội days, grouped by level and field. A pure function over the rollups: it
reads `RunningTotal` and `DailyFlow` (and, for a period that reaches today, the open
`DossierFact` rows), never the dossiers.

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

from django.utils import timezone

from motcua.accounts.models import Unit
from motcua.catalog.models import AuthorityLevel, Field
from motcua.reports import live
from motcua.reports.reads import report_reads
from motcua.reports.sums import Sums, kept_through, minus, sums_around


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


Totals = Sums
PERIOD_COUNTERS = (
    "received_online",
    "received_direct",
    "received_postal",
    "closed_early",
    "closed_on_time",
    "closed_late",
    "withdrawn",
)
GROUP = ("level", "field_id")


@report_reads
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
    through = kept_through()
    columns = (*PERIOD_COUNTERS, *live.STOCK_COLUMNS)
    # C(d) = the sum over the days before d. Flows of the period: C(end + 1) − C(start)
    # (nothing is received or closed after today, so a period reaching past today ends
    # today); a stock on a day d (its start) is the sum of its changes up to d: C(d + 1).
    last = min(end, today)
    at_start, after_start = sums_around(units, start, through, columns, GROUP)
    at_end, after_end = sums_around(units, last + dt.timedelta(days=1), through, columns, GROUP)
    period = minus(at_end, at_start, PERIOD_COUNTERS)
    carried = {g: {"open": v.get("open_change", 0)} for g, v in after_start.items()}
    ending: Totals
    if end < today:
        as_of = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        ending = {
            g: {"open": v.get("open_change", 0), "overdue": v.get("overdue_change", 0)}
            for g, v in after_end.items()
        }
    else:  # the stocks at the start of tomorrow (after_end), brought back to now
        as_of = now
        ending = live.stocks(units, now, GROUP, through=through, at_midnight=after_end)

    cells: dict[Group, Cells] = {}
    for group in period.keys() | carried.keys() | ending.keys():
        p = period.get(group, {})
        carried_over = carried.get(group, {}).get("open", 0)
        online = p.get("received_online", 0)
        direct_postal = p.get("received_direct", 0) + p.get("received_postal", 0)
        early, late = p.get("closed_early", 0), p.get("closed_late", 0)
        on_time = p.get("closed_on_time", 0) + p.get("withdrawn", 0)
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
