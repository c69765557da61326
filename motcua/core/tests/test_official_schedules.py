"""The official civil-service schedules of 2024–2026 (domain.md B3.8) as the calendar
sees them, and due dates across every holiday and make-up Saturday.

2025's Tết has no make-up Saturday: Thông báo 6150/TB-BLĐTBXH gives 25/1–2/2 as five Tết
days (27–31/1) and four weekly rest days; B3.8's "Sat 8/2/2025 worked" was from memory
(domain.md B10 #8) and is not carried (docs/calendar.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.holiday_data import national_calendar
from motcua.core.workdays import (
    VN_TZ,
    WorkingCalendar,
    add_calendar_days,
    add_working_days,
    same_day,
)

D = dt.date

# Weekdays off and weekend days worked, per year (culture day on: the default).
OFFICIAL = {
    2024: (
        {
            D(2024, 1, 1),
            *(D(2024, 2, d) for d in (8, 9, 12, 13, 14)),
            D(2024, 4, 18),
            D(2024, 4, 29),
            D(2024, 4, 30),
            D(2024, 5, 1),
            D(2024, 9, 2),
            D(2024, 9, 3),
        },
        {D(2024, 5, 4)},
    ),
    2025: (
        {
            D(2025, 1, 1),
            *(D(2025, 1, d) for d in (27, 28, 29, 30, 31)),
            D(2025, 4, 7),
            D(2025, 4, 30),
            D(2025, 5, 1),
            D(2025, 5, 2),
            D(2025, 9, 1),
            D(2025, 9, 2),
        },
        {D(2025, 4, 26)},
    ),
    2026: (
        {
            D(2026, 1, 1),
            D(2026, 1, 2),
            *(D(2026, 2, d) for d in (16, 17, 18, 19, 20)),
            D(2026, 4, 27),
            D(2026, 4, 30),
            D(2026, 5, 1),
            D(2026, 8, 31),
            D(2026, 9, 1),
            D(2026, 9, 2),
            D(2026, 11, 24),
        },
        {D(2026, 1, 10), D(2026, 8, 22)},
    ),
}


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return national_calendar(culture_day=True)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def _every_day(year: int) -> list[dt.date]:
    first = D(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((D(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_weekdays_off_of_each_year_are_exactly_the_official_ones(
    calendar: WorkingCalendar, year: int
) -> None:
    days_off = {d for d in _every_day(year) if d.weekday() < 5 and not calendar.is_working_day(d)}
    assert days_off == OFFICIAL[year][0]


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_weekend_days_worked_of_each_year_are_exactly_the_make_up_saturdays(
    calendar: WorkingCalendar, year: int
) -> None:
    worked = {d for d in _every_day(year) if d.weekday() >= 5 and calendar.is_working_day(d)}
    assert worked == OFFICIAL[year][1]


def test_every_day_off_and_make_up_day_has_a_vietnamese_name_and_a_source(
    calendar: WorkingCalendar,
) -> None:
    for year in range(2021, 2031):
        for exc in calendar.exceptions_in_year(year).values():
            assert exc.name
            assert exc.occasion
            assert exc.source
            for english in ("Day", "Lunar", "observed", "substituted", "Hung"):
                assert english not in exc.name, exc


def test_the_2026_hung_kings_day_falls_on_sunday_and_is_made_up_on_monday(
    calendar: WorkingCalendar,
) -> None:
    sunday = calendar.exception_on(D(2026, 4, 26))
    monday = calendar.exception_on(D(2026, 4, 27))
    assert sunday is not None
    assert sunday.occasion == "Giỗ Tổ Hùng Vương"
    assert monday is not None
    assert not monday.working
    assert "nghỉ bù" in monday.name.lower()
    assert "Điều 111" in monday.source


def test_the_new_year_2026_swap_cites_the_government_office_letter(
    calendar: WorkingCalendar,
) -> None:
    friday, saturday = calendar.exception_on(D(2026, 1, 2)), calendar.exception_on(D(2026, 1, 10))
    assert friday is not None
    assert not friday.working
    assert saturday is not None
    assert saturday.working
    assert "12729/VPCP-KGVX" in friday.source
    assert "12729/VPCP-KGVX" in saturday.source


# (start, working days, expected due): one case per official holiday or make-up day.
WORKING_DAY_CASES = [
    # 2024
    (at(2023, 12, 29), 1, at(2024, 1, 2), "Tết Dương lịch 2024"),
    (at(2024, 2, 7), 2, at(2024, 2, 16), "Tết Giáp Thìn 8/2–14/2/2024"),
    (at(2024, 4, 17, 14), 1, at(2024, 4, 19, 14), "Giỗ Tổ Hùng Vương 18/4/2024"),
    (at(2024, 4, 26), 1, at(2024, 5, 2), "30/4–1/5/2024 with Mon 29/4 swapped"),
    (at(2024, 5, 3), 1, at(2024, 5, 4), "make-up Saturday 4/5/2024"),
    (at(2024, 8, 30), 1, at(2024, 9, 4), "Quốc khánh 31/8–3/9/2024"),
    # 2025
    (at(2024, 12, 31), 1, at(2025, 1, 2), "Tết Dương lịch 2025"),
    (at(2025, 1, 24), 1, at(2025, 2, 3), "Tết Ất Tỵ 25/1–2/2/2025"),
    (at(2025, 2, 7), 1, at(2025, 2, 10), "no make-up Saturday 8/2/2025 (notice 6150)"),
    (at(2025, 4, 4), 1, at(2025, 4, 8), "Giỗ Tổ Hùng Vương 7/4/2025"),
    (at(2025, 4, 25), 1, at(2025, 4, 26), "make-up Saturday 26/4/2025"),
    (at(2025, 4, 29), 1, at(2025, 5, 5), "30/4–4/5/2025 with Fri 2/5 swapped"),
    (at(2025, 8, 29), 1, at(2025, 9, 3), "Quốc khánh 30/8–2/9/2025"),
    # 2026
    (at(2025, 12, 31), 1, at(2026, 1, 5), "Tết Dương lịch 1/1–4/1/2026 with Fri 2/1 swapped"),
    (at(2026, 1, 9), 1, at(2026, 1, 10), "make-up Saturday 10/1/2026"),
    (at(2026, 2, 13), 1, at(2026, 2, 23), "Tết Bính Ngọ 14/2–22/2/2026"),
    (at(2026, 4, 24), 1, at(2026, 4, 28), "Giỗ Tổ Hùng Vương, observed Monday 27/4/2026"),
    (at(2026, 4, 29), 1, at(2026, 5, 4), "30/4–3/5/2026"),
    (at(2026, 8, 21), 1, at(2026, 8, 22), "make-up Saturday 22/8/2026"),
    (at(2026, 8, 28), 1, at(2026, 9, 3), "Quốc khánh 29/8–2/9/2026 with Mon 31/8 swapped"),
    (at(2026, 11, 23), 1, at(2026, 11, 25), "Ngày Văn hóa Việt Nam 24/11/2026 (switch on)"),
    # a longer limit across Tết 2026: 10 working days from Mon 9/2
    (at(2026, 2, 9), 10, at(2026, 3, 2), "ten working days across Tết 2026"),
]


@pytest.mark.parametrize(
    ("start", "days", "expected", "case"), WORKING_DAY_CASES, ids=[c[3] for c in WORKING_DAY_CASES]
)
def test_working_days_skip_the_official_days_off_and_count_make_up_saturdays(
    calendar: WorkingCalendar, start: dt.datetime, days: int, expected: dt.datetime, case: str
) -> None:
    assert add_working_days(calendar, start, days).due_at == expected


def test_a_same_day_procedure_at_the_cut_off_before_a_make_up_saturday_is_due_that_saturday(
    calendar: WorkingCalendar,
) -> None:
    assert same_day(calendar, at(2026, 1, 9, 15)).due_at == at(2026, 1, 10, 17)
    assert same_day(calendar, at(2026, 1, 9, 14, 59)).due_at == at(2026, 1, 9, 17)


def test_a_same_day_procedure_after_the_cut_off_on_new_years_eve_is_due_after_the_holiday(
    calendar: WorkingCalendar,
) -> None:
    assert same_day(calendar, at(2025, 12, 31, 15, 30)).due_at == at(2026, 1, 5, 17)


def test_a_calendar_day_limit_ending_inside_tet_moves_to_the_first_working_day_after_it(
    calendar: WorkingCalendar,
) -> None:
    deadline = add_calendar_days(calendar, at(2026, 2, 12, 10), 3)
    assert deadline.due_at == at(2026, 2, 23, 17)
    assert any("chuyển sang thứ Hai 23/02/2026" in line for line in deadline.ledger)


def test_a_calendar_day_limit_ending_on_a_make_up_saturday_ends_that_saturday(
    calendar: WorkingCalendar,
) -> None:
    assert add_calendar_days(calendar, at(2026, 8, 17, 10), 5).due_at == at(2026, 8, 22, 17)


def test_turning_culture_day_off_makes_24_november_a_working_day() -> None:
    without = national_calendar(culture_day=False)
    assert without.is_working_day(D(2026, 11, 24))
    assert add_working_days(without, at(2026, 11, 23), 1).due_at == at(2026, 11, 24)
    assert not national_calendar(culture_day=True).is_working_day(D(2026, 11, 24))
