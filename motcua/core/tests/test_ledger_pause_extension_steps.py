"""The ledger that explains a due date, and the later changes: pause, extension, steps."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.holiday_data import national_calendar
from motcua.core.workdays import (
    VN_TZ,
    CalendarError,
    StepBudget,
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    extend,
    lay_out_steps,
    pause,
    working_time_between,
)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return national_calendar(culture_day=True)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def test_the_ledger_names_tet_with_its_dates_and_source(calendar: WorkingCalendar) -> None:
    ledger = add_working_days(calendar, at(2026, 2, 13), 1).ledger
    assert ledger[0] == "bắt đầu tính từ 09:00 thứ Sáu 13/02/2026"
    assert ledger[1] == "cộng 1 ngày làm việc (8 giờ làm việc)"
    tet = [
        line for line in ledger if line.startswith("bỏ qua 14/02–22/02/2026: nghỉ Tết Nguyên đán")
    ]
    assert len(tet) == 1
    assert "9441/TB-BNV" in tet[0]
    assert ledger[-1] == "hạn: 09:00 thứ Hai 23/02/2026"


def test_the_ledger_explains_a_moved_start(calendar: WorkingCalendar) -> None:
    ledger = add_working_hours(calendar, at(2026, 3, 16, 12, 10), 1).ledger
    assert ledger[0] == (
        "tiếp nhận lúc 12:10 thứ Hai 16/03/2026 (giờ nghỉ trưa): "
        "bắt đầu tính từ 13:00 thứ Hai 16/03/2026"
    )


def test_the_ledger_counts_a_make_up_saturday_with_its_source(calendar: WorkingCalendar) -> None:
    ledger = add_working_days(calendar, at(2026, 1, 9), 2).ledger
    assert any(
        line.startswith("tính thứ Bảy 10/01/2026 là ngày làm việc: Làm bù") and "12729" in line
        for line in ledger
    )


def test_the_ledger_summarises_many_weekends(calendar: WorkingCalendar) -> None:
    ledger = add_working_days(calendar, at(2026, 3, 2), 30).ledger
    assert "bỏ qua 12 ngày nghỉ cuối tuần" in ledger


def test_a_pause_adds_the_working_time_paused_to_the_due_time(calendar: WorkingCalendar) -> None:
    deadline = add_working_days(calendar, at(2026, 3, 16), 2)  # due Wed 18/3 09:00
    # paused Mon 10:00 → Wed 08:00: 5.5 h on Monday, 8 h on Tuesday, 0.5 h on Wednesday
    paused = pause(deadline, at(2026, 3, 16, 10), at(2026, 3, 18, 8, 0))
    assert working_time_between(calendar, at(2026, 3, 16, 10), at(2026, 3, 18, 8)) == (
        dt.timedelta(hours=14)
    )
    assert paused.due_at == at(2026, 3, 19, 16, 30)
    assert paused.original_due_at == deadline.due_at
    assert (
        "cộng 14 giờ làm việc tạm dừng chờ bổ sung "
        "(từ 10:00 thứ Hai 16/03/2026 đến 08:00 thứ Tư 18/03/2026)"
    ) in paused.ledger


def test_a_pause_of_twelve_and_a_half_hours_is_written_with_a_decimal_comma(
    calendar: WorkingCalendar,
) -> None:
    deadline = add_working_days(calendar, at(2026, 3, 16), 2)
    paused = pause(deadline, at(2026, 3, 16, 9), at(2026, 3, 17, 15, 0))
    assert any(line.startswith("cộng 12,5 giờ làm việc tạm dừng") for line in paused.ledger)


def test_a_pause_that_ends_before_it_starts_is_refused(calendar: WorkingCalendar) -> None:
    deadline = add_working_days(calendar, at(2026, 3, 16), 2)
    with pytest.raises(CalendarError):
        pause(deadline, at(2026, 3, 17), at(2026, 3, 16))


def test_a_pause_over_a_holiday_adds_only_working_time(calendar: WorkingCalendar) -> None:
    deadline = add_working_days(calendar, at(2026, 2, 12), 3)
    paused = pause(deadline, at(2026, 2, 13, 7, 30), at(2026, 2, 23, 7, 30))
    assert paused.pauses[0].worked_seconds == 8 * 3600
    assert working_time_between(calendar, paused.due_at, deadline.due_at) == -dt.timedelta(hours=8)


def test_an_extension_moves_the_due_date_once_and_keeps_the_original(
    calendar: WorkingCalendar,
) -> None:
    deadline = add_working_days(calendar, at(2026, 3, 16), 5)  # due Mon 23/3 09:00
    extended = extend(
        deadline, dt.date(2026, 3, 27), reason="cần xác minh thực địa", issued_at=at(2026, 3, 19)
    )
    assert extended.due_at == at(2026, 3, 27, 17)
    assert extended.original_due_at == at(2026, 3, 23, 9)
    assert any(line.startswith("gia hạn từ 09:00 thứ Hai 23/03/2026") for line in extended.ledger)
    with pytest.raises(CalendarError):
        extend(extended, dt.date(2026, 3, 30), reason="lần hai")


def test_an_extension_less_than_a_working_day_before_the_due_date_is_refused(
    calendar: WorkingCalendar,
) -> None:
    deadline = add_working_days(calendar, at(2026, 3, 16), 5)  # due Mon 23/3 09:00
    with pytest.raises(CalendarError):
        extend(deadline, dt.date(2026, 3, 27), reason="muộn", issued_at=at(2026, 3, 20, 10))
    with pytest.raises(CalendarError):
        extend(deadline, at(2026, 3, 20), reason="hạn mới sớm hơn")


def test_step_budgets_are_laid_end_to_end(calendar: WorkingCalendar) -> None:
    steps = lay_out_steps(
        calendar,
        at(2026, 2, 12, 16, 0),
        [
            StepBudget("Tiếp nhận", 4),
            StepBudget("Thẩm định", 16),
            StepBudget("Ký duyệt", 4),
            StepBudget("Trả kết quả", 0),
        ],
    )
    assert [s.due_at for s in steps] == [
        at(2026, 2, 13, 10, 30),  # 1 h on Thursday, 3 h on Friday
        at(2026, 2, 24, 10, 30),  # 5 h on Friday, Tết, 8 h on 23/2, 3 h on 24/2
        at(2026, 2, 24, 16, 0),
        at(2026, 2, 24, 16, 0),
    ]
    assert steps[1].clock_start == steps[0].due_at
    total = add_working_hours(calendar, at(2026, 2, 12, 16, 0), 24)
    assert steps[-1].due_at == total.due_at
    assert steps[1].ledger[1] == "bước 2 «Thẩm định»: cộng 16 giờ làm việc"


def test_a_step_ending_at_1130_hands_over_without_losing_the_lunch(
    calendar: WorkingCalendar,
) -> None:
    first, second = lay_out_steps(
        calendar, at(2026, 3, 16, 7, 30), [StepBudget("A", 4), StepBudget("B", 1)]
    )
    assert first.due_at == at(2026, 3, 16, 11, 30)
    assert second.due_at == at(2026, 3, 16, 14, 0)


def test_early_on_time_and_late_are_judged_by_day_against_the_original_due_date(
    calendar: WorkingCalendar,
) -> None:
    deadline = add_working_days(calendar, at(2026, 3, 16), 2)  # due Wed 18/3 09:00
    assert deadline.punctuality(at(2026, 3, 17, 16)) == "early"
    assert deadline.punctuality(at(2026, 3, 18, 16, 30)) == "on_time"  # later that day
    assert deadline.punctuality(at(2026, 3, 19, 8)) == "late"
    extended = extend(deadline, dt.date(2026, 3, 20), reason="xác minh")
    assert extended.punctuality(at(2026, 3, 19, 8)) == "late"
    assert extended.punctuality(at(2026, 3, 19, 8), against_original=False) == "early"


def test_absurdly_large_limits_are_refused_at_once(calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarError, match="quá lớn"):
        add_working_days(calendar, at(2026, 3, 16), 10**9)
    with pytest.raises(CalendarError, match="quá lớn"):
        add_working_hours(calendar, at(2026, 3, 16), 1e12)
