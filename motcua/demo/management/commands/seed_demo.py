from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: tỉnh Thanh Hóa, toàn bộ xã/phường, cán bộ và công dân "
        "(chạy lại không đổi gì)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo(progress=options["verbosity"] > 0)
        self.stdout.write(report.summary())
