"""Flag dossiers and steps that became due soon or overdue (see actions/sweep.py).

manage.py sweep_deadlines            # once
manage.py sweep_deadlines --every 60 # forever, every 60 s, until SIGTERM / Ctrl-C
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.actions import sweep_deadlines


class Command(BaseCommand):
    help = "Đánh dấu hồ sơ, bước xử lý sắp đến hạn và quá hạn (chạy lại không ghi trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="chạy lặp lại mỗi N giây")

    def handle(self, *args: Any, **options: Any) -> None:
        every: int = options["every"]
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()  # finish the sweep in hand, then leave

        if every:
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
        while True:
            report = sweep_deadlines()
            if not every or report.flagged:  # a loop stays quiet while nothing happens
                self.stdout.write(report.summary())
            if not every or stop.wait(every):
                return
