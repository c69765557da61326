"""Due times of dossiers and steps, from the pinned procedure version and the working
calendar of the competent unit (domain.md A5, B3). The arithmetic is `motcua.core.workdays`;
this module only chooses the rule (legal limit, online limit, variant) and the calendar.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.catalog.models import ProcedureVersion, TimeUnit, Variant
from motcua.core import workdays
from motcua.core.calendars import get_working_calendar
from motcua.core.workdays import Deadline, StepBudget, WorkingCalendar
from motcua.dossiers.models import Channel, Dossier


def calendar_for(dossier: Dossier) -> WorkingCalendar:
    return get_working_calendar(dossier.competent_unit)


def limit_of(
    version: ProcedureVersion, variant: Variant | None, channel: str
) -> tuple[Decimal, str, bool]:
    """(value, unit, online) of the limit that applies: the variant's if any, and the online
    limit for an online dossier when one is set (the legal limit is kept for reporting)."""
    source: ProcedureVersion | Variant = variant if variant is not None else version
    value = source.time_limit_value
    unit = source.time_limit_unit
    online = channel == Channel.ONLINE and source.online_time_limit_value is not None
    if online and source.online_time_limit_value is not None:
        value = source.online_time_limit_value
    return Decimal(value), unit, online


def legal_deadline(
    calendar: WorkingCalendar,
    version: ProcedureVersion,
    variant: Variant | None,
    channel: str,
    start: dt.datetime,
) -> Deadline:
    """The appointment (due) time for a dossier whose clock starts at `start`."""
    value, unit, _online = limit_of(version, variant, channel)
    if unit == TimeUnit.SAME_DAY:
        return workdays.same_day(calendar, start)
    if unit == TimeUnit.WORKING_HOURS:
        return workdays.add_working_hours(calendar, start, value)
    if unit == TimeUnit.CALENDAR_DAYS:
        return workdays.add_calendar_days(calendar, start, int(value))
    return workdays.add_working_days(calendar, start, value)


def intake_due(calendar: WorkingCalendar, submitted_at: dt.datetime) -> dt.datetime:
    """An online dossier must be accepted or refused within the working day it arrives
    (the next working day when it arrives after hours)."""
    start = workdays.normalise_start(calendar, submitted_at)
    day = start.astimezone(calendar.tz).date()
    return calendar.from_seconds(calendar.closing_seconds(day))


def step_budgets(version: ProcedureVersion, *, online: bool) -> list[tuple[int, StepBudget]]:
    """(step position, budget) of the counted steps, the online budget for online dossiers."""
    budgets = []
    for step in version.steps.all():
        if not step.counted:
            continue
        hours = (
            step.online_budget_hours
            if online and step.online_budget_hours is not None
            else step.budget_hours
        )
        budgets.append((step.position, StepBudget(step.name, Decimal(hours))))
    return budgets


def shift(calendar: WorkingCalendar, moment: dt.datetime, seconds: int) -> dt.datetime:
    """`moment` plus `seconds` of working time."""
    return calendar.from_seconds(calendar.shift_seconds(calendar.to_seconds(moment), seconds))


def add(calendar: WorkingCalendar, start: dt.datetime, seconds: int) -> dt.datetime:
    """Due time of `seconds` of working time from `start` (moved into working time first)."""
    return calendar.from_seconds(calendar.add_seconds(calendar.to_seconds(start), seconds)[1])


def worked_between(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> int:
    return calendar.between_seconds(calendar.to_seconds(start), calendar.to_seconds(end))


def hours_text(seconds: int) -> str:
    return workdays.format_number(Decimal(seconds) / 3600) + " giờ làm việc"
