from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.demo.year import DEFAULT_DOSSIERS, generate_year


class Command(BaseCommand):
    help = (
        "Sinh một năm hồ sơ mẫu (mặc định 20 000 hồ sơ trong 12 tháng qua) cho báo cáo, "
        "rồi đếm lại số liệu báo cáo; chạy lại không sinh thêm. Chạy sau seed_demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, default=DEFAULT_DOSSIERS, help="số hồ sơ")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên")

    def handle(self, *args: Any, **options: Any) -> None:
        report = generate_year(
            options["dossiers"], seed=options["seed"], progress=options["verbosity"] > 0
        )
        self.stdout.write(report.summary())
