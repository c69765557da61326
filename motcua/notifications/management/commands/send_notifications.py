"""Send the notifications that are pending or due for another attempt."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.notifications.outbox import deliver_due


class Command(BaseCommand):
    help = "Gửi các thông báo đang chờ hoặc đến lượt gửi lại."

    def handle(self, *args: Any, **options: Any) -> None:
        tried, sent = deliver_due()
        self.stdout.write(f"Thông báo: đã thử gửi {tried}, gửi được {sent}.")
