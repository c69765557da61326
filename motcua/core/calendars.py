"""Build the `WorkingCalendar` a deadline is computed with, and cache it.

`holiday_data.national_calendar()` needs no database: the `holidays` package plus the
shipped overrides (and the Culture Day switch). `get_working_calendar(unit)` adds the
administrators' `CalendarOverride` and `WorkingHoursProfile` rows: the national ones,
then those of each unit from the root down to `unit`, each level winning over the one
before.

Calendars are cached per process. Saving or deleting an override or a profile clears this
process's cache at once (signals in models.py); other processes rebuild theirs after
`CACHE_SECONDS` at the latest.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from motcua.accounts.models import Unit
from motcua.core.holiday_data import builtin_exceptions, culture_day_enabled
from motcua.core.models import CalendarOverride, CalendarOverrideKind, WorkingHoursProfile
from motcua.core.workdays import DayException, HoursProfile, WorkingCalendar, WorkingHours

CACHE_SECONDS = 300

_lock = threading.Lock()
_from_db: dict[tuple[int | None, bool], tuple[float, WorkingCalendar]] = {}


def invalidate_calendars() -> None:
    """Forget every calendar built from the database (the national one stays valid)."""
    with _lock:
        _from_db.clear()


def _override_exception(row: CalendarOverride) -> DayException:
    return DayException(
        day=row.day,
        working=row.kind == CalendarOverrideKind.WORKING_DAY,
        name=row.name,
        occasion=row.occasion or row.name,
        source=row.legal_source,
    )


def _profile(row: WorkingHoursProfile) -> HoursProfile:
    hours = WorkingHours(
        periods=((row.morning_start, row.morning_end), (row.afternoon_start, row.afternoon_end)),
        cutoff=row.cutoff,
    )
    return HoursProfile(hours, row.valid_from, row.valid_to, row.yearly, row.name)


def _build(unit: Unit | None, culture_day: bool) -> WorkingCalendar:
    chain: list[int] = unit.ancestor_ids if unit is not None else []
    if unit is not None and not chain:
        chain = [unit.pk]
    level: dict[int | None, int] = {unit_id: index for index, unit_id in enumerate(chain)}
    level[None] = -1
    scope = Q(unit__isnull=True) | Q(unit_id__in=chain)

    overrides = sorted(
        CalendarOverride.objects.filter(scope), key=lambda row: (level[row.unit_id], row.pk)
    )
    by_year: dict[int, list[DayException]] = {}
    for row in overrides:  # ascending precedence: a later row replaces an earlier one
        by_year.setdefault(row.day.year, []).append(_override_exception(row))

    def exceptions(year: int) -> Iterable[DayException]:
        days = {exc.day: exc for exc in builtin_exceptions(year, culture_day=culture_day)}
        for exc in by_year.get(year, []):
            days[exc.day] = exc
        return days.values()

    profiles = sorted(
        WorkingHoursProfile.objects.filter(scope),
        key=lambda row: (
            level[row.unit_id],
            row.valid_from is not None or row.valid_to is not None,
            row.pk,
        ),
    )
    name = f"lịch làm việc của {unit.name}" if unit is not None else "lịch làm việc toàn quốc"
    return WorkingCalendar(
        exceptions=exceptions, profiles=[_profile(p) for p in profiles], name=name
    )


def get_working_calendar(unit: Unit | None = None) -> WorkingCalendar:
    """The calendar for `unit` (or the national one) with the database's rows, cached."""
    flag = culture_day_enabled()
    key = (unit.pk if unit is not None else None, flag)
    now = time.monotonic()
    with _lock:
        cached = _from_db.get(key)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
    calendar = _build(unit, flag)
    with _lock:
        _from_db[key] = (now, calendar)
    return calendar


@dataclass(frozen=True)
class CalendarCell:
    """One day of a month grid on the public calendar page."""

    day: dt.date
    working: bool
    weekend: bool
    exception: DayException | None

    @property
    def status(self) -> str:
        """holiday (a day off on a weekday, or a named day off), makeup, weekend or work."""
        if self.exception is not None:
            return "makeup" if self.working else "holiday"
        return "work" if self.working else "weekend"


@dataclass(frozen=True)
class MonthGrid:
    month: int
    year: int
    weeks: list[list[CalendarCell | None]]  # Monday first; None pads the first/last week
    working_days: int


def year_overview(calendar: WorkingCalendar, year: int) -> list[MonthGrid]:
    """The twelve month grids of `year` for display."""
    months: list[MonthGrid] = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        cells: list[CalendarCell | None] = [None] * first.weekday()
        day = first
        while day < following:
            info = calendar.day_info(day)
            cells.append(CalendarCell(day, info.working, info.weekend, info.exception))
            day += dt.timedelta(days=1)
        cells.extend([None] * (-len(cells) % 7))
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
        working = sum(1 for cell in cells if cell is not None and cell.working)
        months.append(MonthGrid(month, year, weeks, working))
    return months
