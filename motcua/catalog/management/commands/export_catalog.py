"""`manage.py export_catalog [--format json|xlsx] [-o FILE]`: the catalogue as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.interchange import export_file, format_of
from motcua.catalog.models import Procedure, ProcedureVersion


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục hành chính ra JSON hoặc bảng tính Excel "
        "(định dạng: docs/catalog-format.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=["json", "xlsx"],
            help="json hoặc xlsx; mặc định theo đuôi tệp -o, nếu không thì json.",
        )
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="Tệp ghi ra; không có thì in JSON ra đầu ra chuẩn.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: str | None = options["output"]
        fmt = options["format"] or (format_of(output) if output else None) or "json"
        if fmt == "xlsx" and not output:
            raise CommandError("Xuất Excel cần chỉ tệp ghi ra: -o danh-muc.xlsx")
        content, _content_type, _name = export_file(fmt, progress=options["verbosity"] > 0)
        summary = (
            f"Đã xuất {Procedure.objects.count()} thủ tục, "
            f"{ProcedureVersion.objects.count()} phiên bản ({fmt})"
        )
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"{summary} ra {output}.")
        else:
            self.stdout.write(content.decode(), ending="")
            self.stderr.write(f"{summary}.")
