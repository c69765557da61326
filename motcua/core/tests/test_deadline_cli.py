"""`motcua deadline`: the command-line contract of issue 3, run in-process through
`motcua.cli.main` (and once as a real process on a fresh install)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.cli import main

pytestmark = pytest.mark.django_db

EXAMPLE_LEDGER = [
    "bắt đầu tính từ 09:00 thứ Hai 16/03/2026",
    "cộng 2 ngày làm việc (16 giờ làm việc)",
    "hạn: 09:00 thứ Tư 18/03/2026",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["deadline", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_issue_example_prints_exactly_one_json_object(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "--start", "2026-03-16T09:00", "--working-days", "2", "--json")
    assert status == 0
    assert err == ""
    assert out.count("\n") == 1
    assert json.loads(out) == {"due_at": "2026-03-18T09:00:00+07:00", "ledger": EXAMPLE_LEDGER}


def test_without_json_it_prints_the_due_time_and_the_ledger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "--start", "2026-03-16T09:00", "--working-days", "2")
    assert status == 0
    assert out.splitlines()[0] == "Hạn: 2026-03-18T09:00:00+07:00 (09:00 thứ Tư 18/03/2026)"
    assert "  - cộng 2 ngày làm việc (16 giờ làm việc)" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "due_at"),
    [
        (["--working-hours", "12.5"], "2026-03-17T15:00:00+07:00"),  # 6.5 h + 4 h + 2 h
        (["--working-days", "0.5"], "2026-03-16T14:30:00+07:00"),  # 2.5 h + 1.5 h
        (["--calendar-days", "5"], "2026-03-23T17:00:00+07:00"),
        (["--same-day"], "2026-03-16T17:00:00+07:00"),
    ],
)
def test_each_kind_of_limit(
    capsys: pytest.CaptureFixture[str], args: list[str], due_at: str
) -> None:
    status, out, _ = run(capsys, "--start", "2026-03-16T09:00", *args, "--json")
    assert status == 0
    assert json.loads(out)["due_at"] == due_at


def test_a_start_with_an_offset_is_read_as_that_instant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "--start", "2026-03-16T02:00Z", "--working-days", "2", "--json")
    assert status == 0
    assert json.loads(out)["due_at"] == "2026-03-18T09:00:00+07:00"


def test_pauses_add_their_working_time_and_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "--start", "2026-03-16T09:00", "--working-days", "2",
        "--pause", "2026-03-16T10:00/2026-03-16T11:00",
        "--pause", "2026-03-17T09:00/2026-03-18T14:30",
        "--json",
    )  # fmt: skip
    assert status == 0
    payload = json.loads(out)
    # paused 1 h, then 2.5 + 4 on Tuesday and 4 + 1.5 on Wednesday = 12 h; 09:00 Wed + 13 h
    # = 6.5 h on Wednesday, 4 + 2.5 h on Thursday
    assert payload["due_at"] == "2026-03-19T15:30:00+07:00"
    assert any("cộng 12 giờ làm việc tạm dừng chờ bổ sung" in line for line in payload["ledger"])


BAD_INPUT = [
    (["--start", "16/03/2026 9h", "--working-days", "2"], "không đọc được thời điểm"),
    (["--start", "2026-02-30T09:00", "--working-days", "2"], "không đọc được thời điểm"),
    (["--start", "2026-03-16T09:00", "--working-days", "-1"], "không được âm"),
    (["--start", "2026-03-16T09:00", "--working-hours", "-0.5"], "không được âm"),
    (["--start", "2026-03-16T09:00", "--calendar-days", "-3"], "không được âm"),
    (["--start", "2026-03-16T09:00", "--working-days", "hai"], "phải là một số"),
    (["--start", "2026-03-16T09:00", "--working-days", "nan"], "hữu hạn"),
    (["--start", "2026-03-16T09:00", "--calendar-days", "1.5"], "số nguyên"),
    (
        [
            "--start",
            "2026-03-16T09:00",
            "--same-day",
            "--pause",
            "2026-03-17T10:00/2026-03-17T09:00",
        ],
        "trước thời điểm bắt đầu",
    ),
    (
        ["--start", "2026-03-16T09:00", "--same-day", "--pause", "2026-03-17T10:00"],
        "BẮT_ĐẦU/KẾT_THÚC",
    ),
    (
        [
            "--start",
            "2026-03-16T09:00",
            "--same-day",
            "--pause",
            "2026-03-10T10:00/2026-03-17T09:00",
        ],
        "trước thời điểm bắt đầu",
    ),
    (["--start", "2026-03-16T09:00", "--same-day", "--unit", "KHONGCO"], "KHONGCO"),
    (["--start", "2026-03-16T09:00"], "cần đúng một trong các tham số"),
    (["--working-days", "2"], "thiếu tham số bắt buộc: --start"),
    (["--start", "2026-03-16T09:00", "--same-day", "--working-days", "1"], "không dùng cùng"),
    (["--start", "2026-03-16T09:00", "--same-day", "--colour"], "tham số không hợp lệ"),
    (["--start", "3026-03-16T09:00", "--same-day"], "Chỉ tính được hạn"),
    (["--start", "2026-03-16T09:00", "--working-days", "1e400"], "quá lớn"),
    (["--start", "2026-03-16T09:00", "--calendar-days", "99999999"], "quá lớn"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_exits_with_status_2_and_a_vietnamese_message(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert message in err
    assert err.startswith("motcua deadline: lỗi:")
    assert "Traceback" not in err


def test_help_exits_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "--working-days" in out


@pytest.mark.django_db(transaction=False)
def test_on_a_fresh_install_it_runs_as_a_process_with_no_database(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MOTCUA_DATA_DIR", "MOTCUA_SECRET_KEY"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "deadline", "--start", "2026-03-16T09:00",
         "--working-days", "2", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "due_at": "2026-03-18T09:00:00+07:00",
        "ledger": EXAMPLE_LEDGER,
    }
    assert list(tmp_path.iterdir()) == []  # no database, no data directory was created

    bad = subprocess.run(
        [sys.executable, "-m", "motcua", "deadline", "--start", "ngày mai", "--same-day"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "không đọc được thời điểm" in bad.stderr
    assert "Traceback" not in bad.stderr
