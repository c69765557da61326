"""`manage.py import_catalog FILE`: load a catalogue file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.interchange import CatalogImportError, import_file


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp .json hoặc .xlsx (docs/catalog-format.md). "
        "Có lỗi thì không nhập gì, in mọi lỗi và thoát với mã 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="Tệp .json hoặc .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            with path.open("rb") as file:
                report = import_file(file, path.name, progress=options["verbosity"] > 0)
        except CatalogImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Không nhập gì từ {path}: {len(exc.errors)} lỗi.", returncode=2
            ) from exc
        self.stdout.write(report.summary())
