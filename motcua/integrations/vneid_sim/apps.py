from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VneidSimConfig(AppConfig):
    name = "motcua.integrations.vneid_sim"
    label = "vneid_sim"
    verbose_name = _("Mô phỏng định danh điện tử VNeID")

    def ready(self) -> None:
        from motcua.integrations.vneid_sim import checks  # noqa: F401 -- registers the check
