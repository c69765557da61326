"""A warning when the simulator is switched on outside demo and debug mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def simulator_is_off_in_production(**kwargs: Any) -> list[CheckMessage]:
    if settings.VNEID_SIMULATOR and not (settings.DEMO or settings.DEBUG):
        return [
            Warning(
                "MOTCUA_VNEID_SIMULATOR is on outside demo mode: anyone can log in as the "
                "simulated citizens at /mo-phong/vneid/.",
                id="motcua.W001",
            )
        ]
    return []
