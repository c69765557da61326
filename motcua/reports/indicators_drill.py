"""The dossiers behind a Decision 766 indicator (domain.md A7: every figure drills down to
the dossiers it counts). Form 06's cells through `drilldown.cell_dossiers`, the rest by
indexed day ranges of `DossierFact` — never a scan of the dossiers. A test checks that each
list is exactly as long as the number it explains."""

from __future__ import annotations

import datetime as dt

from motcua.accounts.models import Unit
from motcua.feedback.models import RatingLevel
from motcua.reports.drilldown import cell_dossiers
from motcua.reports.indicators import open_after_requests, ratings_in, subtree_units
from motcua.reports.models import DossierFact, Outcome
from motcua.reports.projection import MULTI_SUPPLEMENT_LATE

# indicator → part → the form 06 columns whose dossiers it lists
CELLS: dict[str, dict[str, tuple[int, ...]]] = {
    "2.1": {"dat": (8, 9, 12), "mau": (3,), "tre": (10, 13)},
    "3.2": {"dat": (4,)},
    "3.3": {"mau": (4, 5)},
    "4.2": {"mau": (4, 5)},
    "4.3": {"mau": (4, 5)},
    "5.4": {"tre": (10, 13)},
}
PARTS: dict[str, frozenset[str]] = {
    "2.1": frozenset({"dat", "mau", "tre", "bo_sung"}),
    "3.2": frozenset({"dat"}),
    "3.3": frozenset({"dat", "mau"}),
    "4.1": frozenset({"dat", "mau"}),
    "4.2": frozenset({"dat", "mau"}),
    "4.3": frozenset({"dat", "mau"}),
    "5.4": frozenset({"tre", "khong_hai_long"}),
}


def indicator_dossiers(
    unit: Unit, start: dt.date, end: dt.date, code: str, part: str, *, now: dt.datetime
) -> list[int]:
    """Ids of the dossiers counted in `part` of indicator `code` (see `PARTS`): "dat" the
    numerator, "mau" the denominator, "tre" the late dossiers, "bo_sung" those closed within
    deadline, or open within deadline at the end, after two or more supplement requests
    (late for 2.1), "khong_hai_long" the
    dossiers rated dissatisfied in the period. KeyError for an unknown pair."""
    if part not in PARTS[code]:
        raise KeyError(part)
    units = subtree_units(unit).values("pk")
    facts = DossierFact.objects.filter(unit__in=units)
    received = facts.filter(received_on__gte=start, received_on__lte=end)
    if code == "2.1" and part != "mau":
        multi = set(
            facts.filter(
                closed_on__gte=start,
                closed_on__lte=end,
                outcome__in=MULTI_SUPPLEMENT_LATE,
                multi_supplement=True,
            ).values_list("dossier_id", flat=True)
        ) | {dossier for _unit, dossier in open_after_requests(units, end, now)}
        if part == "bo_sung":
            return sorted(multi)
        cells = CELLS[code][part]
        listed: set[int] = set()
        for column in cells:
            listed.update(cell_dossiers(unit, start, end, column, now=now))
        return sorted(listed - multi if part == "dat" else listed | multi)
    columns = CELLS.get(code, {}).get(part)
    if columns is not None:
        ids: set[int] = set()
        for column in columns:
            ids.update(cell_dossiers(unit, start, end, column, now=now))
        return sorted(ids)
    if code == "5.4":  # khong_hai_long
        rows = (
            ratings_in(units, start, end)
            .filter(level__lte=RatingLevel.DISSATISFIED)
            .values_list("dossier_id", flat=True)
        )
        return sorted(rows)
    if code == "4.1":
        closed = facts.filter(
            closed_on__gte=start,
            closed_on__lte=end,
            outcome__in=[Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE],
        )
        if part == "dat":
            closed = closed.filter(result_electronic=True)
        return sorted(closed.values_list("dossier_id", flat=True))
    if code == "3.3":
        received = received.filter(online_counted=True)
    elif code == "4.2":
        received = received.filter(digitised=True, result_electronic=True)
    else:  # 4.3
        received = received.filter(reused=True)
    return sorted(received.values_list("dossier_id", flat=True))
