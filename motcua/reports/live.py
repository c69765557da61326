"""The dossiers open at a moment and those overdue then, read from the facts: the live split
of form 06's columns 11–13 for a period ending today, the dashboard's stocks, the 766
figures at the end of such a period and their drill-downs all ask the same question here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from motcua.accounts.models import Unit
from motcua.reports.models import DossierFact


def open_at(now: dt.datetime) -> Q:
    """Received (accepted) by `now` and not closed."""
    return Q(closed_at__isnull=True, received_at__lte=now)


def overdue_at(now: dt.datetime) -> Q:
    """Among open dossiers: running (not waiting for a supplement or a payment) and past
    the appointment statistics judge by."""
    return Q(paused_at__isnull=True, due_at__lt=now)


def open_facts(units: QuerySet[Unit, Any], now: dt.datetime) -> QuerySet[DossierFact]:
    return DossierFact.objects.filter(open_at(now), unit__in=units)
