"""Create the demo certification authority and give officers demo signing certificates.

manage.py create_demo_pki               # every current signing leader without a certificate
manage.py create_demo_pki hung giang    # these users (a new certificate each time)

The demo CA has no legal value; see docs/documents.md, "Digital signatures".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.documents import pki


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm và cấp chứng thư số thử nghiệm cho cán bộ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*", help="tên đăng nhập của cán bộ")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = pki.create_demo_authority()
        self.stdout.write(f"CA thử nghiệm: {authority.name}")
        names: list[str] = options["usernames"]
        if names:
            users = list(User.objects.filter(username__in=names).order_by("username"))
            missing = set(names) - {u.username for u in users}
            if missing:
                raise CommandError(f"Không có người dùng: {', '.join(sorted(missing))}")
        else:
            leader_ids = (
                RoleAssignment.objects.current()
                .filter(role=Role.SIGNING_LEADER)
                .values_list("user_id", flat=True)
            )
            users = [
                u
                for u in User.objects.filter(pk__in=leader_ids).order_by("username")
                if pki.usable_certificate(u) is None
            ]
        for user in users:
            record = pki.issue_demo_certificate(user, authority)
            self.stdout.write(f"  {user.username}: {record.subject}")
