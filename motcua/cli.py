"""The `motcua` console command.

    motcua demo [--port N] [--host H] [--data-dir DIR] [--year]
                                                          migrate, seed, serve + worker
    motcua serve [--port N] [--host H] [--threads N]      the web server (waitress)
    motcua worker                                         the task worker (django-tasks)
    motcua manage <command> …                             any Django management command

Sub-commands are small functions registered in `COMMANDS`; later features add their own.
With neither MOTCUA_SECRET_KEY nor DATABASE_URL set, the command runs on the embedded
default (SQLite and files under the data directory, demo mode): the same set-up `motcua
demo` creates, so `motcua manage createsuperuser` after a demo works on the demo's data.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from motcua.core.deadline_cli import cmd_deadline

DEFAULT_PORT = 8000


def _configure(data_dir: str | None = None) -> None:
    if data_dir:
        os.environ["MOTCUA_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    if not os.environ.get("MOTCUA_SECRET_KEY") and not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("MOTCUA_DEMO", "1")


def _setup_django(data_dir: str | None = None) -> None:
    _configure(data_dir)
    import django

    django.setup()


def cmd_manage(argv: Sequence[str]) -> int:
    _configure()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["motcua manage", *argv])
    return 0


def cmd_serve(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="motcua serve", description="Chạy máy chủ web.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    _setup_django(args.data_dir)
    from waitress import serve

    from motcua.wsgi import application

    serve(application, host=args.host, port=args.port, threads=args.threads, ident="motcua")
    return 0


def cmd_worker(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="motcua worker", description="Chạy bộ xử lý tác vụ nền.")
    parser.add_argument("--data-dir")
    args, rest = parser.parse_known_args(argv)
    _setup_django(args.data_dir)
    from django.core.management import call_command

    call_command("db_worker", *rest)
    return 0


def _wait_for_port(
    host: str, port: int, timeout: float, procs: list[subprocess.Popen[bytes]]
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cmd_demo(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="motcua demo",
        description="Khởi tạo cơ sở dữ liệu, nạp dữ liệu mẫu và chạy hệ thống (web + tác vụ nền).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--data-dir", default="var", help="thư mục dữ liệu (mặc định: ./var)")
    parser.add_argument(
        "--year",
        action="store_true",
        help="sinh thêm một năm hồ sơ mẫu (20 000 hồ sơ) cho báo cáo, một lần (seed_demo_year)",
    )
    args = parser.parse_args(argv)
    data_dir = str(Path(args.data_dir).resolve())
    os.environ["MOTCUA_DEMO"] = "1"
    # The QR codes on the forms lead to this server's tracking page.
    shown = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host  # noqa: S104
    os.environ.setdefault("MOTCUA_SITE_URL", f"http://{shown}:{args.port}")
    _setup_django(data_dir)

    from django.core.management import call_command

    from motcua.demo.seed import demo_logins

    started = time.monotonic()
    print(f"motcua: dữ liệu tại {data_dir}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo")
    if args.year:  # once: a second start finds the year generated and adds nothing
        call_command("seed_demo_year")

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base = [sys.executable, "-m", "motcua"]
    procs = [
        subprocess.Popen([*base, "serve", "--host", args.host, "--port", str(args.port)], env=env),
        subprocess.Popen([*base, "worker", "--no-startup-delay"], env=env),
        # flags dossiers and steps that become due soon or overdue, every minute
        subprocess.Popen([*base, "manage", "sweep_deadlines", "--every", "60"], env=env),
    ]

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Explicit for SIGINT too: a shell that starts us in the background ignores SIGINT.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if not _wait_for_port(args.host, args.port, 60, procs):
            print(f"motcua: máy chủ web không khởi động được ở cổng {args.port}.", file=sys.stderr)
            _stop(procs)
            return 1
        url = f"http://{args.host}:{args.port}/"
        print(f"\nmotcua đang chạy tại {url}  (khởi động {time.monotonic() - started:.1f} s)")
        print("Đăng nhập tại", url + "dang-nhap/", "— tài khoản mẫu:")
        for login in demo_logins():
            print(f"  {login.role:<34} {login.username:<14} {login.password:<12} {login.unit}")
        print(f"Quản trị: {url}quan-tri/   ·   Nhấn Ctrl-C để dừng.\n", flush=True)
        while True:
            for proc in procs:
                if proc.poll() is not None:
                    print("motcua: một tiến trình đã dừng; dừng hệ thống.", file=sys.stderr)
                    _stop(procs)
                    return proc.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nmotcua: đang dừng…")
        _stop(procs)
        return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "manage": cmd_manage,
    "deadline": cmd_deadline,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        names = ", ".join(COMMANDS)
        print(f"Cách dùng: motcua <lệnh> …   (lệnh: {names})", file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    return COMMANDS[argv[0]](argv[1:])
