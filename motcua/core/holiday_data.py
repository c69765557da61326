"""The built-in national calendar: the `holidays` package's Vietnam calendar plus the
overrides shipped in `data/calendar_overrides.json`, with a Vietnamese name, an occasion
and a legal source for every day (domain.md A5, B3.8; docs/calendar.md).

No database here: `motcua.core.calendars` adds the administrators' overrides on top.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import holidays

from motcua.core.workdays import WEEKDAY_NAMES, DayException, WorkingCalendar

DATA_FILE = Path(__file__).with_name("data") / "calendar_overrides.json"
CULTURE_DAY_SETTING = "MOTCUA_CULTURE_DAY_HOLIDAY"
CULTURE_DAY_DEFAULT = True
CULTURE_DAY_OCCASION = "Ngày Văn hóa Việt Nam"

LABOUR_CODE_2019 = "Bộ luật Lao động 2019, Điều 112 khoản 1"
LABOUR_CODE_2012 = "Bộ luật Lao động 2012, Điều 115 khoản 1"
MAKE_UP_RULE = "Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù)"
CULTURE_DAY_SOURCE = "Nghị quyết 80-NQ/TW; Nghị quyết 28/2026/QH16, Điều 2"
SWAP_FALLBACK_SOURCE = "lịch nghỉ lễ hằng năm của cán bộ, công chức (theo gói holidays)"

TET = "Tết Nguyên đán"
NATIONAL_DAY = "Quốc khánh 2/9"

# English name in the `holidays` package → (occasion, Vietnamese name of the day, notice?).
# "notice" marks the days the Prime Minister fixes each year (Labour Code 2019 Art. 112(3)):
# the five Tết days and the second National Day day.
PACKAGE_NAMES: dict[str, tuple[str, str, bool]] = {
    "New Year's Day": ("Tết Dương lịch", "Tết Dương lịch", False),
    "29 of Lunar New Year": (TET, "Nghỉ Tết Nguyên đán (trước giao thừa)", True),
    "Lunar New Year's Eve": (TET, "Giao thừa Tết Nguyên đán", True),
    "Lunar New Year": (TET, "Mùng một Tết Nguyên đán", True),
    "Second Day of Lunar New Year": (TET, "Mùng hai Tết Nguyên đán", True),
    "Third Day of Lunar New Year": (TET, "Mùng ba Tết Nguyên đán", True),
    "Fourth Day of Lunar New Year": (TET, "Mùng bốn Tết Nguyên đán", True),
    "Fifth Day of Lunar New Year": (TET, "Mùng năm Tết Nguyên đán", True),
    "Sixth Day of Lunar New Year": (TET, "Mùng sáu Tết Nguyên đán", True),
    "Hung Kings' Commemoration Day": (
        "Giỗ Tổ Hùng Vương",
        "Ngày Giỗ Tổ Hùng Vương (10/3 âm lịch)",
        False,
    ),
    "Liberation Day/Reunification Day": (
        "Ngày Chiến thắng 30/4",
        "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
        False,
    ),
    "International Labor Day": ("Ngày Quốc tế Lao động 1/5", "Ngày Quốc tế Lao động", False),
    "National Day": (NATIONAL_DAY, "Quốc khánh", False),
    "Vietnam Cultural Day": (CULTURE_DAY_OCCASION, CULTURE_DAY_OCCASION, False),
}
OBSERVED_SUFFIX = " (observed)"
SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)$")


class OverrideRow(TypedDict):
    date: str
    kind: str
    name: str
    occasion: str
    source: str


class ShippedData(TypedDict):
    overrides: list[OverrideRow]
    notices: dict[str, str]
    swap_sources: dict[str, str]


def culture_day_enabled() -> bool:
    """Whether 24 November (Vietnamese Culture Day) is a day off in this deployment.

    Read from Django's settings when they are configured, else from the environment.
    """
    from django.conf import settings

    if settings.configured and hasattr(settings, CULTURE_DAY_SETTING):
        return bool(getattr(settings, CULTURE_DAY_SETTING))
    raw = os.environ.get(CULTURE_DAY_SETTING, "").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    return CULTURE_DAY_DEFAULT


@cache
def shipped_data() -> ShippedData:
    raw: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return ShippedData(
        overrides=raw["overrides"], notices=raw["notices"], swap_sources=raw["swap_sources"]
    )


def shipped_overrides(year: int) -> list[DayException]:
    """The overrides shipped with motcua for `year` (they win over the package)."""
    return [
        DayException(
            day=dt.date.fromisoformat(row["date"]),
            working=row["kind"] == "working_day",
            name=row["name"],
            occasion=row["occasion"],
            source=row["source"],
        )
        for row in shipped_data()["overrides"]
        if row["date"].startswith(f"{year:04d}-")
    ]


def _labour_code(year: int) -> str:
    return LABOUR_CODE_2019 if year >= 2021 else LABOUR_CODE_2012


def _translate(day: dt.date, english: str, notice: str | None) -> DayException:
    observed = english.endswith(OBSERVED_SUFFIX)
    base = english.removesuffix(OBSERVED_SUFFIX)
    occasion, name, decided_by_notice = PACKAGE_NAMES.get(base, (base, base, False))
    if base == "National Day" and (day.month, day.day) != (9, 2):
        decided_by_notice = True
        name = "Quốc khánh (ngày liền kề)"
    if base == "Vietnam Cultural Day":
        source = CULTURE_DAY_SOURCE
    elif decided_by_notice and notice:
        source = f"{_labour_code(day.year)}; {notice}"
    else:
        source = _labour_code(day.year)
    if observed:
        name = f"Nghỉ bù {name[0].lower()}{name[1:]}"
        source = MAKE_UP_RULE
    return DayException(day, working=False, name=name, occasion=occasion, source=source)


@cache
def package_exceptions(year: int) -> tuple[DayException, ...]:
    """The `holidays` package's Vietnam calendar for `year`, in Vietnamese, with sources:
    its holidays (weekend ones included, for the record), swapped days off and make-up
    working Saturdays."""
    calendar = holidays.country_holidays("VN", years=[year - 1, year, year + 1], language="en_US")
    data = shipped_data()
    notice = data["notices"].get(str(year))
    named: dict[dt.date, DayException] = {}
    swaps: dict[dt.date, dt.date] = {}  # day off → the Saturday worked for it
    for day, english in calendar.items():
        match = SUBSTITUTED.match(english)
        if match:
            month, dom, worked_year = (int(part) for part in match.groups())
            swaps[day] = dt.date(worked_year, month, dom)
        elif day.year == year:
            named[day] = _translate(day, english, notice)
    result = list(named.values())
    for day_off, worked in swaps.items():
        if year not in (day_off.year, worked.year):
            continue
        neighbours = sorted(
            (abs((exc.day - day_off).days), exc.occasion)
            for exc in named.values()
            if abs((exc.day - day_off).days) <= 7
        )
        occasion = neighbours[0][1] if neighbours else "nghỉ hoán đổi"
        if day_off.year == year:
            source = data["swap_sources"].get(day_off.isoformat(), SWAP_FALLBACK_SOURCE)
            result.append(
                DayException(
                    day_off,
                    working=False,
                    name=f"Nghỉ hoán đổi (làm bù thứ Bảy {worked:%d/%m/%Y})",
                    occasion=occasion,
                    source=source,
                )
            )
        if worked.year == year:
            source = data["swap_sources"].get(worked.isoformat(), SWAP_FALLBACK_SOURCE)
            result.append(
                DayException(
                    worked,
                    working=True,
                    name=f"Làm bù cho ngày nghỉ {_weekday(day_off)} {day_off:%d/%m/%Y}",
                    occasion=occasion,
                    source=source,
                )
            )
    return tuple(sorted(result, key=lambda exc: exc.day))


def builtin_exceptions(year: int, *, culture_day: bool) -> list[DayException]:
    """The package's days, then the shipped overrides on top; 24 November per the switch."""
    by_day = {exc.day: exc for exc in package_exceptions(year)}
    for exc in shipped_overrides(year):
        by_day[exc.day] = exc
    if not culture_day:
        by_day = {d: e for d, e in by_day.items() if e.occasion != CULTURE_DAY_OCCASION}
    return sorted(by_day.values(), key=lambda exc: exc.day)


def _weekday(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


_national: dict[bool, WorkingCalendar] = {}
_national_lock = threading.Lock()


def national_calendar(*, culture_day: bool | None = None) -> WorkingCalendar:
    """The national calendar without the database (package + shipped overrides), cached."""
    flag = culture_day_enabled() if culture_day is None else culture_day
    with _national_lock:
        calendar = _national.get(flag)
        if calendar is None:
            calendar = WorkingCalendar(
                exceptions=lambda year: builtin_exceptions(year, culture_day=flag),
                name="lịch làm việc toàn quốc",
            )
            _national[flag] = calendar
        return calendar
