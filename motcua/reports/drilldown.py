"""The dossiers behind a cell of report form 06 (domain.md A7: every figure drills down to
the dossiers it counts). Reads `DossierFact` by indexed ranges of days, never the dossiers;
the same rules as `form06.build_form06`, dossier by dossier (a test checks that the two
always agree)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Unit
from motcua.dossiers.models import Channel
from motcua.reports import live
from motcua.reports.folding import from_row
from motcua.reports.models import DossierFact, Outcome
from motcua.reports.projection import changes_of

OUTCOMES = {
    8: (Outcome.EARLY,),
    9: (Outcome.ON_TIME, Outcome.WITHDRAWN),
    10: (Outcome.LATE,),
}


def _overdue_on(fact: DossierFact, day: dt.date) -> bool:
    """Overdue on `day` (its start): the sum of its overdue changes up to that day."""
    return sum(v for d, _, _, v in changes_of(from_row(fact)) if d <= day) > 0


def cell_dossiers(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    column: int,
    *,
    level: str | None = None,
    field_id: int | None = None,
    now: dt.datetime | None = None,
) -> list[int]:
    """The ids of the dossiers counted in `column` (3–13) of form 06 for `unit` and the
    units below it, the days `start` to `end`, optionally one level and one field."""
    if column not in range(3, 14):
        raise ValueError("form 06 counts dossiers in columns 3 to 13")
    now = now or timezone.now()
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    facts: QuerySet[DossierFact] = DossierFact.objects.filter(
        unit__in=Unit.objects.filter(path__startswith=unit.path).values("pk")
    )
    if level is not None:
        facts = facts.filter(level=level)
    if field_id is not None:
        facts = facts.filter(field_id=field_id)
    received = Q(received_on__gte=start, received_on__lte=end)
    carried = Q(received_on__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    chosen: QuerySet[DossierFact]
    if column == 3:
        chosen = facts.filter(received | carried)
    elif column == 4:
        chosen = facts.filter(received, channel=Channel.ONLINE)
    elif column == 5:
        chosen = facts.filter(received, channel__in=[Channel.DIRECT, Channel.POSTAL])
    elif column == 6:
        chosen = facts.filter(carried)
    elif column in (7, 8, 9, 10):
        chosen = facts.filter(closed_on__gte=start, closed_on__lte=end).exclude(outcome="")
        if column in OUTCOMES:
            chosen = chosen.filter(outcome__in=OUTCOMES[column])
    elif end >= today:  # open now
        chosen = facts.filter(live.open_at(now))
        overdue = live.overdue_at(now)
        if column == 12:
            chosen = chosen.exclude(overdue)
        elif column == 13:
            chosen = chosen.filter(overdue)
    else:  # open on the day after the period
        chosen = facts.filter(received_on__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=end)
        )
        if column in (12, 13):
            after = end + dt.timedelta(days=1)
            return sorted(
                f.dossier_id for f in chosen.order_by() if _overdue_on(f, after) == (column == 13)
            )
    # No ordering in SQL (the model's default would join the dossiers): sorted here.
    return sorted(chosen.order_by().values_list("dossier_id", flat=True))
