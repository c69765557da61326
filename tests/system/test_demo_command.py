"""`motcua demo` as a newcomer runs it: a real process tree on a fresh data directory."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MOTCUA_SECRET_KEY"}}
    env["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    env["MOTCUA_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "motcua", "demo", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    output = []
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        if "Nhấn Ctrl-C để dừng" in line:
            return proc, "".join(output)
    proc.kill()
    pytest.fail("motcua demo did not start:\n" + "".join(output))


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_demo_starts_serves_vietnamese_prints_logins_reuses_data_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    port = _free_port()
    proc, output = _start(tmp_path, port)
    try:
        assert f"http://127.0.0.1:{port}/" in output
        for username in ("quantri", "an", "binh", "chi", "dung"):
            assert re.search(rf"\s{username}\s+motcua2026\s", output), username
        assert "347 đơn vị (347 mới)" in output
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=10)
        body = page.read().decode()
        assert '<html lang="vi">' in body
        assert "Tên đăng nhập" in body
        children = _children(proc.pid)
        assert len(children) == 3, "web server, task worker and deadline sweeper"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert proc.returncode == 0
    time.sleep(0.5)
    assert not any(_alive(pid) for pid in children), "Ctrl-C left a process running"

    proc, output = _start(tmp_path, port)  # a second run reuses the data
    try:
        assert "347 đơn vị (0 mới)" in output
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert proc.returncode == 0
