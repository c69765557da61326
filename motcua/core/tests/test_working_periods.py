"""Where the clock starts and where a due time lands, at the edges of the working day
(domain.md A5): 07:30–11:30 and 13:00–17:00, cut-off 15:00. Monday 16 March 2026 is an
ordinary Monday."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.holiday_data import national_calendar
from motcua.core.workdays import (
    VN_TZ,
    CalendarError,
    HoursProfile,
    WorkingCalendar,
    WorkingHours,
    add_calendar_days,
    add_working_days,
    add_working_hours,
    normalise_start,
    same_day,
)

UTC = dt.UTC


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return national_calendar(culture_day=True)


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(16, 6, 0), at(16, 7, 30)),  # before opening → opening
        (at(16, 7, 30), at(16, 7, 30)),
        (at(16, 11, 29), at(16, 11, 29)),
        (at(16, 11, 30), at(16, 13, 0)),  # the end of the morning is lunch
        (at(16, 12, 0), at(16, 13, 0)),  # lunch → afternoon opening
        (at(16, 16, 59, 59), at(16, 16, 59, 59)),
        (at(16, 17, 0), at(17, 7, 30)),  # closing → next working day's opening
        (at(13, 18, 0), at(16, 7, 30)),  # Friday evening → Monday
        (at(14, 10, 0), at(16, 7, 30)),  # Saturday → Monday
    ],
)
def test_a_start_outside_working_time_moves_to_the_next_working_period(
    calendar: WorkingCalendar, start: dt.datetime, expected: dt.datetime
) -> None:
    assert normalise_start(calendar, start) == expected


def test_a_start_before_opening_counts_from_the_opening(calendar: WorkingCalendar) -> None:
    assert add_working_hours(calendar, at(16, 6), 1).due_at == at(16, 8, 30)


def test_a_start_during_lunch_moves_to_the_afternoon_opening(calendar: WorkingCalendar) -> None:
    assert add_working_hours(calendar, at(16, 12, 15), 0.5).due_at == at(16, 13, 30)


def test_a_start_at_1130_counts_from_the_afternoon(calendar: WorkingCalendar) -> None:
    assert add_working_hours(calendar, at(16, 11, 30), 1).due_at == at(16, 14, 0)


def test_a_start_at_closing_counts_from_the_next_morning(calendar: WorkingCalendar) -> None:
    assert add_working_hours(calendar, at(16, 17, 0), 1).due_at == at(17, 8, 30)


def test_a_due_time_landing_on_the_end_of_the_morning_stays_at_1130(
    calendar: WorkingCalendar,
) -> None:
    assert add_working_days(calendar, at(16, 7, 30), 0.5).due_at == at(16, 11, 30)
    assert add_working_hours(calendar, at(16, 9, 0), 2.5).due_at == at(16, 11, 30)


def test_a_due_time_landing_on_closing_stays_at_1700_the_same_day(
    calendar: WorkingCalendar,
) -> None:
    assert add_working_hours(calendar, at(16, 16, 0), 1).due_at == at(16, 17, 0)
    assert add_working_days(calendar, at(16, 7, 30), 1).due_at == at(16, 17, 0)


def test_one_working_day_is_eight_working_hours(calendar: WorkingCalendar) -> None:
    assert (
        add_working_days(calendar, at(16, 9), 1.25).due_at
        == add_working_hours(calendar, at(16, 9), 10).due_at
        == at(17, 11, 0)
    )


def test_a_limit_across_a_weekend_skips_saturday_and_sunday(calendar: WorkingCalendar) -> None:
    deadline = add_working_hours(calendar, at(13, 16, 0), 2)
    assert deadline.due_at == at(16, 8, 30)
    assert "bỏ qua 14/03–15/03/2026: nghỉ cuối tuần" in deadline.ledger


def test_a_start_on_a_make_up_saturday_counts_that_saturday(calendar: WorkingCalendar) -> None:
    start = dt.datetime(2026, 1, 10, 9, 0, tzinfo=VN_TZ)
    assert add_working_days(calendar, start, 1).due_at == dt.datetime(
        2026, 1, 12, 9, 0, tzinfo=VN_TZ
    )
    assert same_day(calendar, start).due_at == dt.datetime(2026, 1, 10, 17, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(16, 14, 59, 59), at(16, 17)),
        (at(16, 15, 0), at(17, 17)),  # exactly at the cut-off: next working day
        (at(16, 16, 30), at(17, 17)),
        (at(16, 6, 0), at(16, 17)),
        (at(16, 12, 0), at(16, 17)),
        (at(13, 15, 0), at(16, 17)),  # Friday at the cut-off: Monday
        (at(16, 17, 30), at(17, 17)),  # after closing: moved to Tuesday 07:30, before cut-off
    ],
)
def test_same_day_procedures_are_due_today_before_the_cut_off_and_tomorrow_from_it(
    calendar: WorkingCalendar, start: dt.datetime, expected: dt.datetime
) -> None:
    assert same_day(calendar, start).due_at == expected


def test_the_same_day_cut_off_is_configurable(calendar: WorkingCalendar) -> None:
    assert same_day(calendar, at(16, 15, 30), cutoff=dt.time(16, 0)).due_at == at(16, 17)
    later = WorkingCalendar(default_hours=WorkingHours(cutoff=dt.time(16, 0)))
    assert same_day(later, at(16, 15, 30)).due_at == at(16, 17)


def test_a_calendar_day_limit_is_due_at_closing_of_the_nth_day(calendar: WorkingCalendar) -> None:
    assert add_calendar_days(calendar, at(16, 10), 3).due_at == at(19, 17)
    assert add_calendar_days(calendar, at(16, 10), 0).due_at == at(16, 17)
    # the 5th day is Saturday 21/3: the next working day's closing time
    assert add_calendar_days(calendar, at(16, 10), 5).due_at == at(23, 17)
    # counted from the moved start: Friday after closing starts on Monday
    assert add_calendar_days(calendar, at(13, 18), 1).due_at == at(17, 17)


def test_a_zero_limit_is_due_when_the_clock_starts(calendar: WorkingCalendar) -> None:
    assert add_working_hours(calendar, at(16, 12), 0).due_at == at(16, 13)


def test_times_in_another_zone_are_read_as_the_same_instant(calendar: WorkingCalendar) -> None:
    start = dt.datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    assert add_working_days(calendar, start, 2).due_at == at(18, 9)


def test_naive_times_and_negative_or_non_numeric_limits_are_refused(
    calendar: WorkingCalendar,
) -> None:
    with pytest.raises(CalendarError):
        add_working_days(calendar, dt.datetime(2026, 3, 16, 9), 1)  # noqa: DTZ001
    with pytest.raises(CalendarError):
        add_working_days(calendar, at(16, 9), -1)
    with pytest.raises(CalendarError):
        add_working_hours(calendar, at(16, 9), float("nan"))
    with pytest.raises(CalendarError):
        add_calendar_days(calendar, at(16, 9), -2)


def test_summer_hours_apply_only_inside_their_dates_every_year() -> None:
    summer = WorkingHours(
        periods=((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))),
    )
    profile = HoursProfile(summer, dt.date(2000, 4, 15), dt.date(2000, 10, 14), yearly=True)
    calendar = WorkingCalendar(profiles=[profile])
    assert normalise_start(calendar, at(16, 6, 0, month=6)) == at(16, 7, 0, month=6)
    assert normalise_start(calendar, at(16, 12, 0, month=6)) == at(16, 13, 30, month=6)
    assert normalise_start(calendar, at(16, 6, 0, month=3)) == at(16, 7, 30, month=3)
    # 8 working hours from 07:00 in summer: 4.5 h in the morning, 3.5 h in the afternoon
    assert add_working_days(calendar, at(16, 7, 0, month=6), 1).due_at == at(16, 17, 0, month=6)


def test_a_winter_range_wraps_over_the_new_year() -> None:
    winter = HoursProfile(
        WorkingHours(periods=((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0)))),
        dt.date(2000, 10, 15),
        dt.date(2000, 4, 14),
        yearly=True,
    )
    assert winter.applies_to(dt.date(2026, 12, 1))
    assert winter.applies_to(dt.date(2027, 1, 5))
    assert not winter.applies_to(dt.date(2026, 6, 1))


def test_far_future_limits_grow_the_tables_on_demand(calendar: WorkingCalendar) -> None:
    start = dt.datetime(2039, 12, 30, 9, 0, tzinfo=VN_TZ)
    deadline = add_working_days(calendar, start, 2000)
    assert deadline.due_at.year in (2047, 2048)
    assert add_working_days(calendar, dt.datetime(2005, 3, 1, 9, tzinfo=VN_TZ), 1).due_at == (
        dt.datetime(2005, 3, 2, 9, tzinfo=VN_TZ)
    )
