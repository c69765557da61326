from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "motcua.backoffice"
    verbose_name = _("Một cửa (cán bộ)")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from motcua.backoffice.search import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="motcua_fold")
