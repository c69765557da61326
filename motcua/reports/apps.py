from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        # Every dossier event marks its dossier for folding, in the event's own transaction.
        from motcua.reports import signals  # noqa: F401
