"""Properties of the deadline arithmetic, checked by Hypothesis over 2024–2026 (every
minute, holidays and make-up Saturdays included)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.holiday_data import national_calendar
from motcua.core.workdays import (
    VN_TZ,
    add_working_hours,
    pause,
    working_time_between,
)

CALENDAR = national_calendar(culture_day=True)
FIRST = dt.datetime(2024, 1, 1, tzinfo=VN_TZ)

starts = st.integers(min_value=0, max_value=3 * 366 * 24 * 60).map(
    lambda minutes: FIRST + dt.timedelta(minutes=minutes)
)
# limits in whole minutes up to 80 working days, expressed in hours
limits = st.integers(min_value=0, max_value=80 * 8 * 60)
positive_limits = st.integers(min_value=1, max_value=80 * 8 * 60)


def due(start: dt.datetime, minutes: int) -> dt.datetime:
    return add_working_hours(CALENDAR, start, minutes / 60).due_at


@given(starts, starts, limits)
def test_the_due_time_never_goes_back_when_the_start_is_later(
    a: dt.datetime, b: dt.datetime, minutes: int
) -> None:
    early, late = min(a, b), max(a, b)
    assert due(early, minutes) <= due(late, minutes)


@given(starts, limits, limits)
def test_the_due_time_never_goes_back_when_the_limit_is_longer(
    start: dt.datetime, a: int, b: int
) -> None:
    assert due(start, min(a, b)) <= due(start, max(a, b))


@given(starts, positive_limits)
@settings(max_examples=300)
def test_the_due_time_lies_inside_working_time_or_on_the_end_of_a_period(
    start: dt.datetime, minutes: int
) -> None:
    moment = due(start, minutes)
    day = moment.date()
    assert CALENDAR.is_working_day(day)
    clock = moment.timetz().replace(tzinfo=None)
    assert any(begin < clock <= end for begin, end in CALENDAR.hours_on(day).periods)


@given(starts, limits, positive_limits)
def test_adding_a_then_b_equals_adding_a_plus_b(start: dt.datetime, a: int, b: int) -> None:
    assert due(due(start, a), b) == due(start, a + b)


@given(starts, limits, starts)
def test_a_zero_pause_changes_nothing(
    start: dt.datetime, minutes: int, paused_at: dt.datetime
) -> None:
    deadline = add_working_hours(CALENDAR, start, minutes / 60)
    assert pause(deadline, paused_at, paused_at).due_at == deadline.due_at


@given(starts, limits)
def test_the_working_time_between_start_and_due_equals_the_limit(
    start: dt.datetime, minutes: int
) -> None:
    moment = due(start, minutes)
    assert working_time_between(CALENDAR, start, moment) == dt.timedelta(minutes=minutes)


@given(starts, limits, st.integers(min_value=0, max_value=40 * 8 * 60))
def test_a_pause_adds_exactly_the_working_time_paused(
    start: dt.datetime, minutes: int, paused_minutes: int
) -> None:
    deadline = add_working_hours(CALENDAR, start, minutes / 60)
    resumed = due(deadline.clock_start, paused_minutes)
    paused = pause(deadline, deadline.clock_start, resumed)
    assert working_time_between(CALENDAR, deadline.due_at, paused.due_at) == dt.timedelta(
        minutes=paused_minutes
    )
