"""Rebuild the report rollups from the dossiers and say how far the incremental tables were.

manage.py recount            # rebuild, with a progress bar, and a one-line summary
manage.py recount --dry-run  # compare only
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.reports.folding import recount


class Command(BaseCommand):
    help = (
        "Đếm lại số liệu báo cáo từ hồ sơ và cho biết chênh lệch với số liệu cộng dồn "
        "(sau khi chạy bình thường, chênh lệch phải bằng 0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="chỉ so sánh, không ghi")
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")

    def handle(self, *args: Any, **options: Any) -> None:
        report = recount(write=not options["dry_run"], progress=not options["no_progress"])
        self.stdout.write(report.summary())
