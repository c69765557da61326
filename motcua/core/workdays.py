"""Working time and deadline arithmetic (domain.md A5 and B3).

Pure functions over a `WorkingCalendar`: no database access, no clock. The calendar is
built once (from the `holidays` package, the shipped overrides and the database; see
`motcua.core.calendars`) and passed in; it precomputes, for every day of a span of years,
the working periods as absolute local seconds and the cumulative working seconds before
each period, so that adding N working hours is two bisects rather than a walk over days.

Rules, in one place:

- a start outside working time moves to the next working period (before opening →
  opening; lunch → afternoon opening; after closing or on a day off → the next working
  day's opening);
- N working days = N × 8 working hours counted inside working periods from the moved
  start (fractional days allowed); working hours likewise; a due time that lands exactly
  on the end of a period stays there (11:30, 17:00);
- calendar days: the closing time of the N-th calendar day after the moved start's day,
  or of the next working day when that day is not a working day;
- same day: a moved start before the cut-off (15:00 by default) is due at that day's
  closing time, at or after it at the next working day's closing time;
- a pause adds the working time paused to the due time; an extension sets a new due time
  (once); step budgets are laid end to end.

Every result is a `Deadline` whose `ledger` explains the date in plain Vietnamese.
Times are aware datetimes; results are in Asia/Ho_Chi_Minh and exact to the second.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TypeVar
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_WORKING_DAY = 8
SECONDS_PER_WORKING_DAY = HOURS_PER_WORKING_DAY * 3600
DAY = 86400
# No procedure runs for decades; larger limits are typing mistakes, refused before any work.
MAX_LIMIT_DAYS = 5000
MAX_LIMIT_SECONDS = MAX_LIMIT_DAYS * SECONDS_PER_WORKING_DAY
MAX_CALENDAR_DAYS = 7300
# Local seconds are counted from this day's midnight, whatever span the tables cover.
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_MIN_YEAR, _MAX_YEAR = 1976, 2200  # Asia/Ho_Chi_Minh has kept UTC+7 since 1975

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

Amount = int | float | Decimal | Fraction
T = TypeVar("T")


class CalendarError(ValueError):
    """Input the deadline arithmetic cannot accept; the message is Vietnamese, for people."""


# --- Calendar data -----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingHours:
    """The working periods of one day, in order, and the same-day cut-off.

    The default is the civil-service day of domain.md A5: 07:30–11:30 and 13:00–17:00
    (8 hours), cut-off 15:00.
    """

    periods: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13, 0), dt.time(17, 0)),
    )
    cutoff: dt.time = dt.time(15, 0)

    def __post_init__(self) -> None:
        if not self.periods:
            raise CalendarError("Một ngày làm việc phải có ít nhất một khoảng giờ làm việc.")
        previous_end = dt.time(0, 0)
        for start, end in self.periods:
            if not (previous_end <= start < end):
                raise CalendarError(
                    "Các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau "
                    f"({start:%H:%M}–{end:%H:%M})."
                )
            previous_end = end

    @cached_property
    def period_seconds(self) -> tuple[tuple[int, int], ...]:
        return tuple((_seconds_of(start), _seconds_of(end)) for start, end in self.periods)

    @property
    def opening(self) -> dt.time:
        return self.periods[0][0]

    @property
    def closing(self) -> dt.time:
        return self.periods[-1][1]

    def describe(self) -> str:
        spans = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.periods)
        return f"{spans}; giờ chốt trong ngày {self.cutoff:%H:%M}"


DEFAULT_HOURS = WorkingHours()


@dataclass(frozen=True)
class HoursProfile:
    """Working hours valid over a date range (inclusive), e.g. summer or winter hours.

    With `yearly`, only the month and day of the bounds count, so 15/4–14/10 applies every
    year and a range such as 15/10–14/4 wraps over the new year.
    """

    hours: WorkingHours
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    yearly: bool = False
    name: str = ""

    def applies_to(self, day: dt.date) -> bool:
        if not self.yearly:
            return (self.valid_from is None or self.valid_from <= day) and (
                self.valid_to is None or day <= self.valid_to
            )
        key = (day.month, day.day)
        low = (self.valid_from.month, self.valid_from.day) if self.valid_from else (1, 1)
        high = (self.valid_to.month, self.valid_to.day) if self.valid_to else (12, 31)
        if low <= high:
            return low <= key <= high
        return key >= low or key <= high


@dataclass(frozen=True)
class DayException:
    """A day that differs from the ordinary week: a day off on a weekday or a make-up
    working day on a weekend, with the occasion it belongs to and its legal source."""

    day: dt.date
    working: bool
    name: str
    occasion: str
    source: str

    @property
    def kind_label(self) -> str:
        return "ngày làm việc" if self.working else "ngày nghỉ"


ExceptionSource = Callable[[int], Iterable[DayException]]


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one day."""

    day: dt.date
    working: bool
    weekend: bool
    exception: DayException | None
    hours: WorkingHours | None


@dataclass(frozen=True)
class _Tables:
    """Precomputed working periods for days first_ordinal … last_ordinal (inclusive).

    Positions are local seconds since 1970-01-01 00:00 Asia/Ho_Chi_Minh. Period k runs from
    p_start[k] to p_end[k]; cum_start[k] / cum_end[k] are the working seconds counted from the
    first period of the tables to the start / end of period k.
    """

    first_year: int
    last_year: int
    first_ordinal: int
    last_ordinal: int
    p_start: list[int]
    p_end: list[int]
    cum_start: list[int]
    cum_end: list[int]
    day_close: list[int]  # per day index: closing second, or -1 on a day off

    @property
    def low(self) -> int:
        return (self.first_ordinal - _EPOCH_ORDINAL) * DAY

    @property
    def high(self) -> int:
        return (self.last_ordinal + 1 - _EPOCH_ORDINAL) * DAY


class _NeedMoreYears(Exception):
    def __init__(self, forward: bool, year: int | None = None) -> None:
        self.forward = forward
        self.year = year  # the year that must be covered, when known


class WorkingCalendar:
    """Working days and hours: the weekly rest days, the day exceptions and the hours.

    `exceptions` is a function from a year to that year's `DayException`s (so the tables can
    grow to any year on demand) or a plain iterable. Later profiles win over earlier ones
    for a day both cover; days no profile covers use `default_hours`. Thread-safe: the
    tables are immutable and replaced whole under a lock when they grow.
    """

    def __init__(
        self,
        *,
        exceptions: ExceptionSource | Iterable[DayException] = (),
        profiles: Sequence[HoursProfile] = (),
        default_hours: WorkingHours = DEFAULT_HOURS,
        weekly_rest_days: Iterable[int] = (5, 6),
        first_year: int = 2015,
        last_year: int = 2035,
        name: str = "",
        tz: ZoneInfo = VN_TZ,
    ) -> None:
        if callable(exceptions):
            self._source: ExceptionSource = exceptions
        else:
            fixed: dict[int, list[DayException]] = {}
            for item in exceptions:
                fixed.setdefault(item.day.year, []).append(item)
            self._source = lambda year: fixed.get(year, [])
        self.profiles = tuple(profiles)
        self.default_hours = default_hours
        self.weekly_rest_days = frozenset(weekly_rest_days)
        self.name = name
        self.tz = tz
        self._by_year: dict[int, dict[dt.date, DayException]] = {}
        self._lock = threading.Lock()
        self._tables = self._build(max(first_year, _MIN_YEAR), min(last_year, _MAX_YEAR))

    def __repr__(self) -> str:
        return f"<WorkingCalendar {self.name or 'unnamed'}>"

    # -- days ------------------------------------------------------------------------------

    def exceptions_in_year(self, year: int) -> dict[dt.date, DayException]:
        found = self._by_year.get(year)
        if found is None:
            found = {}
            for item in self._source(year):
                if item.day.year == year:
                    found[item.day] = item
            self._by_year[year] = found
        return found

    def exception_on(self, day: dt.date) -> DayException | None:
        return self.exceptions_in_year(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        exception = self.exception_on(day)
        if exception is not None:
            return exception.working
        return day.weekday() not in self.weekly_rest_days

    def hours_on(self, day: dt.date) -> WorkingHours:
        for profile in reversed(self.profiles):
            if profile.applies_to(day):
                return profile.hours
        return self.default_hours

    def day_info(self, day: dt.date) -> DayInfo:
        working = self.is_working_day(day)
        return DayInfo(
            day=day,
            working=working,
            weekend=day.weekday() in self.weekly_rest_days,
            exception=self.exception_on(day),
            hours=self.hours_on(day) if working else None,
        )

    def next_working_day(self, day: dt.date, *, include: bool = False) -> dt.date:
        current = day if include else day + dt.timedelta(days=1)
        for _ in range(3700):
            if self.is_working_day(current):
                return current
            current += dt.timedelta(days=1)
        raise CalendarError("Không tìm thấy ngày làm việc nào trong 10 năm tới.")

    # -- tables ----------------------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> _Tables:
        first = dt.date(first_year, 1, 1).toordinal()
        last = dt.date(last_year, 12, 31).toordinal()
        p_start: list[int] = []
        p_end: list[int] = []
        cum_start: list[int] = []
        cum_end: list[int] = []
        day_close: list[int] = []
        total = 0
        for ordinal in range(first, last + 1):
            day = dt.date.fromordinal(ordinal)
            if not self.is_working_day(day):
                day_close.append(-1)
                continue
            base = (ordinal - _EPOCH_ORDINAL) * DAY
            for start, end in self.hours_on(day).period_seconds:
                p_start.append(base + start)
                p_end.append(base + end)
                cum_start.append(total)
                total += end - start
                cum_end.append(total)
            day_close.append(p_end[-1])
        return _Tables(
            first_year, last_year, first, last, p_start, p_end, cum_start, cum_end, day_close
        )

    def periods(self, first_year: int, last_year: int) -> list[tuple[int, int, int, int]]:
        """The working periods of these years as (start, end, working seconds before the
        start, working seconds before the end), in local seconds — what the shifts read
        (the recount copies them into SQL: motcua/reports/recount_sql.py)."""
        t = self._build(first_year, last_year)
        return list(zip(t.p_start, t.p_end, t.cum_start, t.cum_end, strict=True))

    def _grow(self, seen: _Tables, need: _NeedMoreYears) -> None:
        with self._lock:
            if self._tables is not seen:
                return  # another thread grew them already
            first, last = seen.first_year, seen.last_year
            if need.forward:
                last = max(last + 10, (need.year or 0) + 1)
            else:
                first = min(first - 10, (need.year or _MAX_YEAR) - 1)
            if first < _MIN_YEAR or last > _MAX_YEAR:
                raise CalendarError(
                    f"Chỉ tính được hạn trong các năm {_MIN_YEAR}–{_MAX_YEAR}."
                ) from None
            self._tables = self._build(first, last)

    def _run(self, operation: Callable[[_Tables], T]) -> T:
        while True:
            tables = self._tables
            try:
                return operation(tables)
            except _NeedMoreYears as need:
                self._grow(tables, need)

    # -- conversions -----------------------------------------------------------------------

    def to_seconds(self, moment: dt.datetime) -> int:
        """Local seconds since 1970-01-01 00:00 in the calendar's zone (sub-seconds dropped)."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise CalendarError("Thời điểm phải có múi giờ (datetime aware).")
        local = moment.astimezone(self.tz)
        return (
            (local.toordinal() - _EPOCH_ORDINAL) * DAY
            + local.hour * 3600
            + local.minute * 60
            + local.second
        )

    def from_seconds(self, seconds: int) -> dt.datetime:
        days, rest = divmod(seconds, DAY)
        day = dt.date.fromordinal(_EPOCH_ORDINAL + days)
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=self.tz)

    @staticmethod
    def date_of(seconds: int) -> dt.date:
        return dt.date.fromordinal(_EPOCH_ORDINAL + seconds // DAY)

    # -- primitives on local seconds -------------------------------------------------------

    @staticmethod
    def _check_inside(tables: _Tables, seconds: int) -> None:
        if seconds < tables.low:
            raise _NeedMoreYears(forward=False, year=_year_of(seconds))
        if seconds >= tables.high:
            raise _NeedMoreYears(forward=True, year=_year_of(seconds))

    def normalise_seconds(self, seconds: int) -> int:
        """The first working instant at or after `seconds` (a period end counts as outside)."""

        def operation(t: _Tables) -> int:
            self._check_inside(t, seconds)
            k = bisect_right(t.p_end, seconds)
            if k == len(t.p_end):
                raise _NeedMoreYears(forward=True)
            return max(seconds, t.p_start[k])

        return self._run(operation)

    def worked_seconds(self, seconds: int) -> int:
        """Working seconds from the start of the tables up to `seconds` (table-relative)."""
        return self._run(lambda t: self._worked(t, seconds))

    def _worked(self, t: _Tables, seconds: int) -> int:
        self._check_inside(t, seconds)
        k = bisect_right(t.p_start, seconds) - 1
        if k < 0:
            return 0
        return t.cum_start[k] + min(seconds, t.p_end[k]) - t.p_start[k]

    def add_seconds(self, seconds: int, amount: int) -> tuple[int, int]:
        """(moved start, due) for `amount` working seconds from `seconds`.

        With a zero amount the due time is the moved start itself.
        """

        def operation(t: _Tables) -> tuple[int, int]:
            self._check_inside(t, seconds)
            k = bisect_right(t.p_end, seconds)
            if k == len(t.p_end):
                raise _NeedMoreYears(forward=True)
            start = max(seconds, t.p_start[k])
            if amount == 0:
                return start, start
            target = t.cum_start[k] + start - t.p_start[k] + amount
            j = bisect_left(t.cum_end, target)
            if j == len(t.cum_end):
                raise _NeedMoreYears(forward=True)
            return start, t.p_start[j] + target - t.cum_start[j]

        return self._run(operation)

    def shift_seconds(self, seconds: int, amount: int) -> int:
        """`seconds` plus `amount` working seconds; unlike `add_seconds`, a zero amount (or a
        position on the end of a period) leaves the position where it is."""
        if amount == 0:
            return seconds

        def operation(t: _Tables) -> int:
            target = self._worked(t, seconds) + amount
            j = bisect_left(t.cum_end, target)
            if j == len(t.cum_end):
                raise _NeedMoreYears(forward=True)
            return t.p_start[j] + target - t.cum_start[j]

        return self._run(operation)

    def between_seconds(self, start: int, end: int) -> int:
        return self._run(lambda t: self._worked(t, end) - self._worked(t, start))

    def closing_seconds(self, day: dt.date) -> int:
        """The closing time of `day` (a working day) in local seconds."""
        ordinal = day.toordinal()

        def operation(t: _Tables) -> int:
            if ordinal < t.first_ordinal:
                raise _NeedMoreYears(forward=False, year=day.year)
            if ordinal > t.last_ordinal:
                raise _NeedMoreYears(forward=True, year=day.year)
            return t.day_close[ordinal - t.first_ordinal]

        closing = self._run(operation)
        if closing < 0:
            raise CalendarError(f"{format_day(day)} không phải ngày làm việc.")
        return closing


# --- Results and the ledger --------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """Working time during which the clock stood still (e.g. waiting for a supplement)."""

    paused_at: dt.datetime
    resumed_at: dt.datetime
    worked_seconds: int
    reason: str


@dataclass(frozen=True)
class Extension:
    """A new due time granted once (form 04, apology and extension)."""

    previous_due_at: dt.datetime
    new_due_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A due time and everything needed to explain it.

    `rule` is the limit in words ("2 ngày làm việc"); `pauses` and `extension` record the
    later changes in order. `ledger` renders the explanation on first use, so computing a
    million due times does not format a million explanations.
    """

    calendar: WorkingCalendar = field(repr=False, compare=False)
    kind: str  # working_days | working_hours | calendar_days | same_day | steps
    rule: str
    received_at: dt.datetime
    clock_start: dt.datetime
    due_at: dt.datetime
    original_due_at: dt.datetime
    pauses: tuple[Pause, ...] = ()
    extension: Extension | None = None
    notes: tuple[str, ...] = ()

    @cached_property
    def ledger(self) -> tuple[str, ...]:
        return tuple(_render_ledger(self))

    def punctuality(self, closed_at: dt.datetime, *, against_original: bool = True) -> str:
        """ "early", "on_time" or "late", by day as in practice (domain.md A5): closed before
        the due date's day is early, on that day on time, after it late. Statistics judge
        against the original due date even after an extension."""
        due = self.original_due_at if against_original else self.due_at
        closed_day = closed_at.astimezone(self.calendar.tz).date()
        due_day = due.astimezone(self.calendar.tz).date()
        if closed_day < due_day:
            return "early"
        return "on_time" if closed_day == due_day else "late"


def format_day(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}"


def format_moment(moment: dt.datetime, tz: ZoneInfo = VN_TZ) -> str:
    local = moment.astimezone(tz)
    clock = f"{local:%H:%M:%S}" if local.second else f"{local:%H:%M}"
    return f"{clock} {format_day(local.date())}"


def format_number(value: Amount) -> str:
    """Vietnamese decimal notation: 12,5 — at most four decimals, no trailing zeros."""
    number = Fraction(value) if isinstance(value, Decimal) else value
    text = f"{float(number):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first:%d/%m/%Y}"
    if first.year == last.year:
        return f"{first:%d/%m}–{last:%d/%m/%Y}"
    return f"{first:%d/%m/%Y}–{last:%d/%m/%Y}"


def _hours_text(seconds: int) -> str:
    return f"{format_number(Fraction(seconds, 3600))} giờ làm việc"


def _calendar_lines(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> list[str]:
    """Explain the days between `first` and `last` (inclusive) that differ from a plain
    working day: runs of days off (named by their occasions) and make-up working days."""
    lines: list[str] = []
    weekend_runs: list[tuple[dt.date, dt.date]] = []
    run: list[DayInfo] = []

    def close_run() -> None:
        if not run:
            return
        named = [info.exception for info in run if info.exception is not None]
        if not named:
            weekend_runs.append((run[0].day, run[-1].day))
        else:
            occasions = list(dict.fromkeys(exc.occasion for exc in named))
            sources = list(dict.fromkeys(exc.source for exc in named if exc.source))
            text = f"bỏ qua {format_span(run[0].day, run[-1].day)}: nghỉ {', '.join(occasions)}"
            if sources:
                text += f" ({'; '.join(sources)})"
            lines.append(text)
        run.clear()

    day = first
    while day <= last:
        info = calendar.day_info(day)
        if not info.working:
            run.append(info)
        else:
            close_run()
            if info.exception is not None and info.weekend:
                exc = info.exception
                lines.append(
                    f"tính {format_day(day)} là ngày làm việc: {exc.name}"
                    + (f" ({exc.source})" if exc.source else "")
                )
        day += dt.timedelta(days=1)
    close_run()
    if len(weekend_runs) <= 3:
        lines.extend(f"bỏ qua {format_span(a, b)}: nghỉ cuối tuần" for a, b in weekend_runs)
    else:
        count = sum((b - a).days + 1 for a, b in weekend_runs)
        lines.append(f"bỏ qua {count} ngày nghỉ cuối tuần")
    return lines


def _start_line(deadline: Deadline) -> str:
    received, start = deadline.received_at, deadline.clock_start
    if received.replace(microsecond=0) == start:
        return f"bắt đầu tính từ {format_moment(start)}"
    calendar = deadline.calendar
    local = received.astimezone(calendar.tz)
    day = local.date()
    if not calendar.is_working_day(day):
        why = "ngày nghỉ"
    else:
        hours = calendar.hours_on(day)
        clock = local.time()
        if clock < hours.opening:
            why = "trước giờ làm việc"
        elif clock >= hours.closing:
            why = "sau giờ làm việc"
        else:
            why = "giờ nghỉ trưa"
    return (
        f"tiếp nhận lúc {format_moment(received)} ({why}): bắt đầu tính từ {format_moment(start)}"
    )


def _render_ledger(deadline: Deadline) -> list[str]:
    calendar = deadline.calendar
    lines = [_start_line(deadline)]
    lines.append(deadline.rule)
    lines.extend(deadline.notes)
    for pause in deadline.pauses:
        lines.append(
            f"cộng {_hours_text(pause.worked_seconds)} tạm dừng {pause.reason} "
            f"(từ {format_moment(pause.paused_at)} đến {format_moment(pause.resumed_at)})"
        )
    if deadline.extension is not None:
        ext = deadline.extension
        lines.append(
            f"gia hạn từ {format_moment(ext.previous_due_at)} đến "
            f"{format_moment(ext.new_due_at)}: {ext.reason}"
        )
    first = deadline.received_at.astimezone(calendar.tz).date()
    last = deadline.due_at.astimezone(calendar.tz).date()
    lines.extend(_calendar_lines(calendar, first, last))
    lines.append(f"hạn: {format_moment(deadline.due_at)}")
    return lines


# --- The operations ----------------------------------------------------------------------


def _seconds_for(amount: Amount, unit: int, what: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal | Fraction):
        raise CalendarError(f"{what} phải là một số.")
    if isinstance(amount, float) and not math.isfinite(amount):
        raise CalendarError(f"{what} phải là một số hữu hạn.")
    if amount < 0:
        raise CalendarError(f"{what} không được âm.")
    if isinstance(amount, int):
        seconds = amount * unit
    elif isinstance(amount, float):
        seconds = round(amount * unit)
    else:
        seconds = round(Fraction(amount) * unit)
    if seconds > MAX_LIMIT_SECONDS:
        raise CalendarError(f"{what} quá lớn (tối đa {MAX_LIMIT_DAYS} ngày làm việc).")
    return seconds


def _working_deadline(
    calendar: WorkingCalendar, start: dt.datetime, seconds: int, kind: str, rule: str
) -> Deadline:
    start_s, due_s = calendar.add_seconds(calendar.to_seconds(start), seconds)
    clock_start = calendar.from_seconds(start_s)
    due = calendar.from_seconds(due_s)
    return Deadline(calendar, kind, rule, start, clock_start, due, due)


def normalise_start(calendar: WorkingCalendar, moment: dt.datetime) -> dt.datetime:
    """The moment the clock starts: `moment` inside working time, else the next opening."""
    return calendar.from_seconds(calendar.normalise_seconds(calendar.to_seconds(moment)))


def add_working_days(calendar: WorkingCalendar, start: dt.datetime, days: Amount) -> Deadline:
    """Due time of a limit in working days: days × 8 working hours from the moved start."""
    seconds = _seconds_for(days, SECONDS_PER_WORKING_DAY, "Số ngày làm việc")
    rule = f"cộng {format_number(days)} ngày làm việc ({_hours_text(seconds)})"
    return _working_deadline(calendar, start, seconds, "working_days", rule)


def add_working_hours(calendar: WorkingCalendar, start: dt.datetime, hours: Amount) -> Deadline:
    """Due time of a limit in working hours, counted inside working periods."""
    seconds = _seconds_for(hours, 3600, "Số giờ làm việc")
    return _working_deadline(
        calendar, start, seconds, "working_hours", f"cộng {_hours_text(seconds)}"
    )


def add_calendar_days(calendar: WorkingCalendar, start: dt.datetime, days: int) -> Deadline:
    """Due at the closing time of the N-th calendar day after the moved start's day; if that
    day is not a working day, at the closing time of the next working day."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise CalendarError("Số ngày theo lịch phải là số nguyên.")
    if days < 0:
        raise CalendarError("Số ngày theo lịch không được âm.")
    if days > MAX_CALENDAR_DAYS:
        raise CalendarError(f"Số ngày theo lịch quá lớn (tối đa {MAX_CALENDAR_DAYS}).")
    start_s = calendar.normalise_seconds(calendar.to_seconds(start))
    target = calendar.date_of(start_s) + dt.timedelta(days=days)
    due_day = calendar.next_working_day(target, include=True)
    notes: tuple[str, ...] = ()
    if due_day != target:
        notes = (
            f"ngày thứ {days} là {format_day(target)}, không phải ngày làm việc: "
            f"chuyển sang {format_day(due_day)}",
        )
    due = calendar.from_seconds(calendar.closing_seconds(due_day))
    rule = f"cộng {days} ngày theo lịch, hạn vào giờ đóng cửa"
    return Deadline(
        calendar,
        "calendar_days",
        rule,
        start,
        calendar.from_seconds(start_s),
        due,
        due,
        (),
        None,
        notes,
    )


def same_day(
    calendar: WorkingCalendar, start: dt.datetime, *, cutoff: dt.time | None = None
) -> Deadline:
    """Same-day procedures: a moved start before the cut-off is due at that day's closing
    time; at or after the cut-off, at the next working day's closing time."""
    start_s = calendar.normalise_seconds(calendar.to_seconds(start))
    day = calendar.date_of(start_s)
    limit = cutoff if cutoff is not None else calendar.hours_on(day).cutoff
    before = start_s % DAY < _seconds_of(limit)
    due_day = day if before else calendar.next_working_day(day)
    due = calendar.from_seconds(calendar.closing_seconds(due_day))
    when = "trước" if before else "từ"
    rule = (
        f"giải quyết trong ngày: bắt đầu {when} giờ chốt {limit:%H:%M} nên hạn vào giờ đóng cửa "
        + ("cùng ngày" if before else "ngày làm việc tiếp theo")
    )
    return Deadline(calendar, "same_day", rule, start, calendar.from_seconds(start_s), due, due)


def working_time_between(
    calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    """Working time from `start` to `end` (negative when `end` is before `start`)."""
    seconds = calendar.between_seconds(calendar.to_seconds(start), calendar.to_seconds(end))
    return dt.timedelta(seconds=seconds)


def pause(
    deadline: Deadline,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    *,
    reason: str = "chờ bổ sung",
) -> Deadline:
    """Add the working time between `paused_at` and `resumed_at` to the due time."""
    calendar = deadline.calendar
    a, b = calendar.to_seconds(paused_at), calendar.to_seconds(resumed_at)
    if b < a:
        raise CalendarError("Thời điểm tiếp tục phải sau thời điểm tạm dừng.")
    worked = calendar.between_seconds(a, b)
    due = calendar.from_seconds(
        calendar.shift_seconds(calendar.to_seconds(deadline.due_at), worked)
    )
    return replace(
        deadline,
        due_at=due,
        pauses=(*deadline.pauses, Pause(paused_at, resumed_at, worked, reason)),
    )


def extend(
    deadline: Deadline,
    new_due: dt.datetime | dt.date,
    *,
    reason: str,
    issued_at: dt.datetime | None = None,
) -> Deadline:
    """Move the due time to `new_due` (a date means its closing time), once per deadline.

    When `issued_at` is given it must be at least one working day before the current due
    time (domain.md A5, form 04). `original_due_at` keeps the date lateness is judged by.
    """
    calendar = deadline.calendar
    if deadline.extension is not None:
        raise CalendarError("Hạn chỉ được gia hạn một lần.")
    if not reason.strip():
        raise CalendarError("Gia hạn phải có lý do.")
    if isinstance(new_due, dt.datetime):
        new_due_at = calendar.from_seconds(calendar.to_seconds(new_due))
    else:
        new_due_at = calendar.from_seconds(calendar.closing_seconds(new_due))
    if new_due_at <= deadline.due_at:
        raise CalendarError("Hạn mới phải sau hạn hiện tại.")
    if issued_at is not None:
        ahead = calendar.between_seconds(
            calendar.to_seconds(issued_at), calendar.to_seconds(deadline.due_at)
        )
        if ahead < SECONDS_PER_WORKING_DAY:
            raise CalendarError("Phải gia hạn trước hạn ít nhất một ngày làm việc.")
    return replace(
        deadline,
        due_at=new_due_at,
        extension=Extension(deadline.due_at, new_due_at, reason.strip()),
    )


@dataclass(frozen=True)
class StepBudget:
    """One processing step's share of the limit, in working hours."""

    name: str
    working_hours: Amount


def lay_out_steps(
    calendar: WorkingCalendar, start: dt.datetime, steps: Sequence[StepBudget]
) -> list[Deadline]:
    """Each step's due time, the steps laid end to end from `start`.

    Step k starts when step k − 1 is due; the last step's due time equals the due time of
    the total budget from `start`.
    """
    results: list[Deadline] = []
    position = calendar.to_seconds(start)
    received = start
    for number, step in enumerate(steps, start=1):
        seconds = _seconds_for(step.working_hours, 3600, "Thời gian của bước")
        if number == 1:
            begin, due = calendar.add_seconds(position, seconds)
        else:
            begin, due = position, calendar.shift_seconds(position, seconds)
        rule = f"bước {number} «{step.name}»: cộng {_hours_text(seconds)}"
        clock_start = calendar.from_seconds(begin)
        due_at = calendar.from_seconds(due)
        results.append(Deadline(calendar, "steps", rule, received, clock_start, due_at, due_at))
        position, received = due, due_at
    return results


def _year_of(seconds: int) -> int:
    ordinal = _EPOCH_ORDINAL + seconds // DAY
    if ordinal < 1:
        return 1
    return dt.date.fromordinal(min(ordinal, dt.date.max.toordinal())).year


def _seconds_of(moment: dt.time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second
