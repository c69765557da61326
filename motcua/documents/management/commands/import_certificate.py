"""Import an officer's signing certificate (PKCS#12 from a licensed provider), or trust the
certification authority that issued it.

manage.py import_certificate USERNAME cert.p12 --passphrase-env P12_PASSPHRASE
manage.py import_certificate USERNAME cert.p12                # asks for the passphrase
manage.py import_certificate --authority ca.pem --name "..."  # trust a provider's root

The file's own passphrase is used once, to read it; the key is then kept in the database,
re-encrypted under the deployment's key. Delete the .p12 file afterwards.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.models import User
from motcua.documents import pki


class Command(BaseCommand):
    help = "Nhập chứng thư số (PKCS#12) của cán bộ, hoặc chứng thư của tổ chức chứng thực."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help="tên đăng nhập của cán bộ")
        parser.add_argument("file", nargs="?", type=Path, help="tệp .p12 / .pfx")
        parser.add_argument(
            "--passphrase-env", metavar="VAR", help="biến môi trường chứa mật khẩu của tệp"
        )
        parser.add_argument("--no-passphrase", action="store_true", help="tệp không có mật khẩu")
        parser.add_argument(
            "--authority", type=Path, metavar="CA.pem", help="tin cậy chứng thư CA này (PEM/DER)"
        )
        parser.add_argument("--name", default="", help="tên hiển thị của tổ chức chứng thực")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["authority"]:
                authority = pki.add_authority(options["authority"].read_bytes(), options["name"])
                self.stdout.write(f"Tin cậy tổ chức chứng thực: {authority.name}")
                return
            if not options["username"] or not options["file"]:
                raise CommandError("Cần tên đăng nhập và tệp PKCS#12 (hoặc --authority).")
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng {options['username']}.")
            data = options["file"].read_bytes()
            record = pki.import_pkcs12(user, data, self._passphrase(options))
        except (OSError, pki.CertificateError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã nhập chứng thư «{record.subject}» do «{record.issuer}» cấp, hiệu lực đến "
            f"{record.not_after:%d/%m/%Y}, cho {user.username}."
        )

    def _passphrase(self, options: dict[str, Any]) -> bytes | None:
        if options["no_passphrase"]:
            return None
        if options["passphrase_env"]:
            value = os.environ.get(options["passphrase_env"])
            if value is None:
                raise CommandError(f"Biến môi trường {options['passphrase_env']} chưa được đặt.")
            return value.encode()
        if not sys.stdin.isatty():
            raise CommandError(
                "Dùng --passphrase-env hoặc --no-passphrase khi không chạy tương tác."
            )
        return getpass.getpass("Mật khẩu của tệp PKCS#12: ").encode()
