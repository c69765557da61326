"""Dossier codes: `<receiving agency identifier>-<YYMMDD>-<NNNN>` (domain.md A6, B4.1).

The counter is per agency per day, at least four digits (longer when needed), drawn with a
conditional UPDATE in the caller's transaction: two desks never get the same number, and a
rolled-back transaction gives its number back. The pattern is the setting
`MOTCUA_DOSSIER_CODE_PATTERN` with the fields `agency`, `date` and `number`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from motcua.dossiers.models import DossierCodeCounter

DEFAULT_PATTERN = "{agency}-{date:%y%m%d}-{number:04d}"


def next_number(agency_code: str, day: dt.date) -> int:
    """The next running number of `agency_code` on `day` (1, 2, …)."""
    for _ in range(3):
        updated = DossierCodeCounter.objects.filter(agency_code=agency_code, day=day).update(
            last_number=F("last_number") + 1
        )
        if updated:
            return DossierCodeCounter.objects.get(agency_code=agency_code, day=day).last_number
        try:
            with transaction.atomic():
                DossierCodeCounter.objects.create(agency_code=agency_code, day=day, last_number=1)
            return 1
        except IntegrityError:
            continue  # another transaction created today's counter first: increment it
    raise RuntimeError("could not draw a dossier number")  # pragma: no cover


def issue_code(agency_code: str, day: dt.date) -> str:
    pattern = getattr(settings, "MOTCUA_DOSSIER_CODE_PATTERN", DEFAULT_PATTERN)
    return pattern.format(agency=agency_code, date=day, number=next_number(agency_code, day))
