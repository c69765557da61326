"""The dossiers open at a moment and those overdue then: the live split of form 06's
columns 11–13 for a period ending today, the dashboard's stocks, the 766 figures at the end
of such a period and their drill-downs all ask the same question here.

Counted without reading the open facts (a province has hundreds of thousands): the rollups
hold the stocks at the start of every day, so the stocks at the start of tomorrow are a sum
of running totals and day rows (`sums.sums_around`), and the stocks at `now` differ from
them only by the facts something happens to between `now` and midnight — received or
closed after `now` (none, when `now` is the present), or open at midnight, running and due
before it (overdue at midnight, not yet at `now`). Those few facts are read through the
indexes on reception, closing and due time. The lists behind the counts (`open_at`,
`overdue_at`) are the same rule, fact by fact; a test checks that they always agree. Paused
(waiting for the applicant) is a stock of the rollups too, taken the same way.

For a moment earlier today, the pauses and resumptions after it are seen as they stand at
midnight (a fact keeps its current pause only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Unit
from motcua.reports.models import DossierFact
from motcua.reports.sums import Key, Sums, sums_around

STOCK_COLUMNS = ("open_change", "overdue_change", "paused_change")
STOCKS = ("open", "overdue", "paused")


def open_at(now: dt.datetime) -> Q:
    """Received (accepted) by `now` and not closed by then."""
    return Q(received_at__lte=now) & (Q(closed_at__isnull=True) | Q(closed_at__gt=now))


def overdue_at(now: dt.datetime) -> Q:
    """Among open dossiers: running (not waiting for a supplement or a payment) and past
    the appointment statistics judge by."""
    return Q(paused_at__isnull=True, due_at__lt=now)


def open_facts(units: QuerySet[Unit, Any], now: dt.datetime) -> QuerySet[DossierFact]:
    return DossierFact.objects.filter(open_at(now), unit__in=units)


def today_of(now: dt.datetime) -> dt.date:
    return timezone.localtime(now, timezone.get_default_timezone()).date()


def midnight_after(now: dt.datetime) -> dt.datetime:
    """The start of the Hà Nội day after the one holding `now`."""
    tomorrow = today_of(now) + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(), tzinfo=timezone.get_default_timezone())


def until_midnight(units: QuerySet[Any], now: dt.datetime, by: tuple[str, ...]) -> Sums:
    """Per group of `by` (none: one group, the key ()): the stocks at `now` minus those at
    the start of tomorrow, as {"open": …, "overdue": …, "paused": …}."""
    midnight = midnight_after(now)
    today = today_of(now)
    open_now = open_at(now)
    open_midnight = Q(received_at__lt=midnight) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=midnight)
    )
    running, waiting = Q(paused_at__isnull=True), Q(paused_at__isnull=False)
    counts = {
        "open_now": Count("pk", filter=open_now),
        "open_midnight": Count("pk", filter=open_midnight),
        "overdue_now": Count("pk", filter=open_now & running & Q(due_at__lt=now)),
        "overdue_midnight": Count("pk", filter=open_midnight & running & Q(due_at__lt=midnight)),
        "paused_now": Count("pk", filter=open_now & waiting),
        "paused_midnight": Count("pk", filter=open_midnight & waiting),
    }
    due_today = Q(due_at__gte=now, due_at__lt=midnight)
    before = Q(received_at__lte=now)
    # The facts touched between now and midnight, in disjoint parts, each read through its
    # own index (a single OR makes PostgreSQL read every fact of every unit); when `now`
    # is the present, only the third finds rows.
    parts = (
        Q(received_on=today, received_at__gt=now),
        Q(before, closed_on=today, closed_at__gt=now),
        Q(before, due_today, closed_at__isnull=True),
        Q(before, due_today, closed_on__gt=today),
    )
    facts = DossierFact.objects.filter(unit__in=units).order_by()
    fields = by or ("level",)  # a union needs grouped rows; with no `by` they are summed
    grouped = [facts.filter(part).values(*fields).annotate(**counts) for part in parts]
    out: Sums = {}
    for row in grouped[0].union(*grouped[1:], all=True):
        key: Key = tuple(row[f] for f in by)
        into = out.setdefault(key, dict.fromkeys(STOCKS, 0))
        for name in STOCKS:
            into[name] += row[f"{name}_now"] - row[f"{name}_midnight"]
    return out


def stocks(
    units: QuerySet[Any],
    now: dt.datetime,
    by: tuple[str, ...],
    *,
    through: dt.date | None,
    at_midnight: Sums | None = None,
) -> Sums:
    """{"open": …, "overdue": …, "paused": …} at `now` per group of `by`. `at_midnight`:
    the sums of `STOCK_COLUMNS` up to tomorrow included (C(tomorrow + 1)), when the caller
    has them."""
    if at_midnight is None:
        tomorrow = today_of(now) + dt.timedelta(days=1)
        _, at_midnight = sums_around(units, tomorrow, through, STOCK_COLUMNS, by)
    out: Sums = {
        key: {name: v.get(f"{name}_change", 0) for name in STOCKS} for key, v in at_midnight.items()
    }
    for key, change in until_midnight(units, now, by).items():
        into = out.setdefault(key, dict.fromkeys(STOCKS, 0))
        for name in STOCKS:
            into[name] += change[name]
    return out
