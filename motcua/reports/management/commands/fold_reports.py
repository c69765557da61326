"""Fold the dossiers with new events into the report rollups (what the `fold_reports`
task does after each commit), once or every N seconds.

manage.py fold_reports            # once
manage.py fold_reports --every 30 # forever, until SIGTERM / Ctrl-C
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from motcua.reports.folding import fold_pending


class Command(BaseCommand):
    help = "Tổng hợp các hồ sơ có sự kiện mới vào số liệu báo cáo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="chạy lặp lại mỗi N giây")

    def handle(self, *args: Any, **options: Any) -> None:
        every: int = options["every"]
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()  # finish the fold in hand, then leave

        if every:
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
        while True:
            folded = fold_pending()
            if not every or folded:
                self.stdout.write(_("Đã tổng hợp %(count)d hồ sơ.") % {"count": folded})
            if not every or stop.wait(every):
                return
