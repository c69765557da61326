"""`motcua deadline`: compute a due time from the command line (issue 3's contract).

    motcua deadline --start 2026-03-16T09:00
                    (--working-days N | --working-hours N | --calendar-days N | --same-day)
                    [--pause START/END]… [--unit CODE] [--json]

Times without an offset are Asia/Ho_Chi_Minh. Prints the due time and the ledger; with
--json one object {"due_at": "…+07:00", "ledger": […]}. Without a database (a fresh
install) the national calendar is used: the `holidays` package plus the shipped
overrides. With a migrated database its overrides and working hours are used too. Bad
input → a Vietnamese message on stderr and exit status 2; an unusable database → exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn, TextIO

from motcua.core.workdays import (
    VN_TZ,
    CalendarError,
    Deadline,
    WorkingCalendar,
    add_calendar_days,
    add_working_days,
    add_working_hours,
    format_moment,
    pause,
    same_day,
)

BAD_INPUT = 2
BROKEN_SETUP = 1

ARGPARSE_PHRASES = (
    ("the following arguments are required", "thiếu tham số bắt buộc"),
    ("one of the arguments", "cần đúng một trong các tham số"),
    (" is required", ""),
    ("not allowed with argument", "không dùng cùng với tham số"),
    ("expected one argument", "cần một giá trị"),
    ("unrecognized arguments", "tham số không hợp lệ"),
    ("ignored explicit argument", "tham số không nhận giá trị"),
    ("argument ", "tham số "),
)


class UsageError(Exception):
    """Bad input: reported on stderr with exit status 2."""


class SetupError(Exception):
    """The configured database cannot be used: reported with exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for english, vietnamese in ARGPARSE_PHRASES:
            message = message.replace(english, vietnamese)
        raise UsageError(message)


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 time; without an offset it is Asia/Ho_Chi_Minh."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"không đọc được thời điểm {text!r} (dạng đúng: 2026-03-16T09:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment


def _amount(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{what} phải là một số, không phải {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{what} phải là một số hữu hạn")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{what} không được âm ({text})")
    return value


def parse_working_days(text: str) -> Decimal:
    return _amount(text, "số ngày làm việc")


def parse_working_hours(text: str) -> Decimal:
    return _amount(text, "số giờ làm việc")


def parse_calendar_days(text: str) -> int:
    value = _amount(text, "số ngày theo lịch")
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"số ngày theo lịch phải là số nguyên ({text})")
    return int(value)


def parse_pause(text: str) -> tuple[dt.datetime, dt.datetime]:
    parts = text.split("/")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(
            f"tạm dừng phải có dạng BẮT_ĐẦU/KẾT_THÚC, ví dụ 2026-03-17T10:00/2026-03-19T14:30 "
            f"(nhận được {text!r})"
        )
    started, ended = parse_moment(parts[0]), parse_moment(parts[1])
    if ended < started:
        raise argparse.ArgumentTypeError(
            f"thời điểm kết thúc tạm dừng ({parts[1]}) trước thời điểm bắt đầu ({parts[0]})"
        )
    return started, ended


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="motcua deadline",
        description="Tính hạn giải quyết theo lịch làm việc và giải thích cách tính.",
        add_help=True,
    )
    parser.add_argument(
        "--start",
        required=True,
        type=parse_moment,
        metavar="THỜI_ĐIỂM",
        help="thời điểm tiếp nhận hồ sơ đầy đủ, ví dụ 2026-03-16T09:00 (giờ Việt Nam nếu "
        "không ghi múi giờ)",
    )
    limit = parser.add_mutually_exclusive_group(required=True)
    limit.add_argument("--working-days", type=parse_working_days, metavar="N")
    limit.add_argument("--working-hours", type=parse_working_hours, metavar="N")
    limit.add_argument("--calendar-days", type=parse_calendar_days, metavar="N")
    limit.add_argument("--same-day", action="store_true", help="thủ tục giải quyết trong ngày")
    parser.add_argument(
        "--pause",
        action="append",
        type=parse_pause,
        default=[],
        metavar="BẮT_ĐẦU/KẾT_THÚC",
        help="thời gian tạm dừng chờ bổ sung (lặp lại được)",
    )
    parser.add_argument("--unit", metavar="MÃ", help="mã định danh điện tử của đơn vị")
    parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")
    return parser


# --- Which calendar ----------------------------------------------------------------------


def _database_configured() -> bool:
    """Whether a database may exist, judged without importing the settings: an explicit
    DATABASE_URL or settings module, or the embedded SQLite file of a previous run."""
    if os.environ.get("DATABASE_URL") or os.environ.get("DJANGO_SETTINGS_MODULE"):
        return True
    data_dir = Path(os.environ.get("MOTCUA_DATA_DIR") or Path.cwd() / "var")
    return (data_dir / "motcua.sqlite3").exists()


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def _setup_django() -> None:
    from motcua.cli import _setup_django as setup

    try:
        setup()
    except Exception as exc:  # ImproperlyConfigured, OSError, a bad DATABASE_URL …
        raise SetupError(f"không khởi động được cấu hình: {exc}") from exc


def _database_has_calendar_tables() -> bool:
    from django.db import connection

    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and "memory" not in name and not Path(name).exists():
        return False  # never create the embedded database file just to look inside
    try:
        tables = set(connection.introspection.table_names())
    except Exception as exc:
        raise SetupError(f"không kết nối được cơ sở dữ liệu: {exc}") from exc
    return {"core_calendaroverride", "core_workinghoursprofile", "accounts_unit"} <= tables


def choose_calendar(unit_code: str | None) -> WorkingCalendar:
    """The database's calendar when there is a migrated database, else the national one."""
    use_django = _django_ready() or _database_configured()
    if use_django and not _django_ready():
        _setup_django()
    if use_django and _database_has_calendar_tables():
        from motcua.accounts.models import Unit
        from motcua.core.calendars import get_working_calendar

        unit = None
        if unit_code is not None:
            try:
                unit = Unit.objects.filter(code=unit_code).first()
            except Exception as exc:
                raise SetupError(f"không đọc được cơ sở dữ liệu: {exc}") from exc
            if unit is None:
                raise UsageError(f"không có đơn vị nào mang mã {unit_code!r}")
        try:
            return get_working_calendar(unit)
        except CalendarError:
            raise
        except Exception as exc:
            raise SetupError(f"không đọc được lịch trong cơ sở dữ liệu: {exc}") from exc
    if unit_code is not None:
        raise UsageError(
            f"không tra được đơn vị {unit_code!r}: chưa có cơ sở dữ liệu "
            "(chạy `motcua manage migrate` hoặc đặt DATABASE_URL)"
        )
    from motcua.core.holiday_data import national_calendar

    return national_calendar()


# --- The command -------------------------------------------------------------------------


def compute(args: argparse.Namespace, calendar: WorkingCalendar) -> Deadline:
    start: dt.datetime = args.start
    if args.working_days is not None:
        deadline = add_working_days(calendar, start, args.working_days)
    elif args.working_hours is not None:
        deadline = add_working_hours(calendar, start, args.working_hours)
    elif args.calendar_days is not None:
        deadline = add_calendar_days(calendar, start, args.calendar_days)
    else:
        deadline = same_day(calendar, start)
    for paused_at, resumed_at in sorted(args.pause):
        if paused_at < start:
            raise UsageError(
                f"tạm dừng từ {paused_at.isoformat()} trước thời điểm bắt đầu {start.isoformat()}"
            )
        deadline = pause(deadline, paused_at, resumed_at)
    return deadline


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    calendar = choose_calendar(args.unit)
    deadline = compute(args, calendar)
    if args.json:
        payload = {"due_at": deadline.due_at.isoformat(), "ledger": list(deadline.ledger)}
        _say(json.dumps(payload, ensure_ascii=False))
    else:
        _say(f"Hạn: {deadline.due_at.isoformat()} ({format_moment(deadline.due_at)})")
        _say("Cách tính:")
        for line in deadline.ledger:
            _say(f"  - {line}")
    return 0


def _say(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text + "\n")


def cmd_deadline(argv: Sequence[str]) -> int:
    """Entry point registered in motcua.cli.COMMANDS."""
    try:
        return run(argv)
    except UsageError as exc:
        _say(f"motcua deadline: lỗi: {exc}", sys.stderr)
        _say("Xem `motcua deadline --help`.", sys.stderr)
        return BAD_INPUT
    except CalendarError as exc:
        _say(f"motcua deadline: lỗi: {exc}", sys.stderr)
        return BAD_INPUT
    except SetupError as exc:
        _say(f"motcua deadline: {exc}", sys.stderr)
        return BROKEN_SETUP
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
