"""Catalogue search that ignores diacritics and case, with filters and a ranking.

Matching: every word of the folded query must appear as a whole word in the procedure's
folded search text (name, codes, field), so "dang ky khai sinh", "đăng ký khai sinh" and
"KHAI SINH" find the same procedure. Ranking, because folding merges words whose accents
change their meaning (thuê/thuế): an exact name first, then names starting with the query,
then the phrase inside the name, and a query typed with accents prefers names with the same
accents; shorter names before longer ones, then the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.catalog.folding import fold, normalise, search_words
from motcua.catalog.models import ProcedureVersion, VersionStatus


@dataclass(frozen=True)
class Filters:
    """What a citizen can narrow the catalogue by (empty strings mean "any")."""

    q: str = ""
    field: str = ""  # Field.code
    level: str = ""  # AuthorityLevel
    online_mode: str = ""  # OnlineMode
    unit_kind: str = ""  # UnitKind of the competent unit


def current_versions() -> QuerySet[ProcedureVersion]:
    """The versions in force today, one per procedure."""
    today = timezone.localdate()
    return (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=today))
        .select_related("procedure", "field")
    )


def _score(row: tuple[int, str, str, str], folded_q: str, accented_q: str) -> tuple[float, str]:
    _id, raw_name, code, local_code = row
    name = fold(raw_name)
    score = 0.0
    if name == folded_q:
        score += 100
    elif name.startswith(folded_q):
        score += 50
    elif folded_q in name:
        score += 30
    if accented_q != folded_q and accented_q in normalise(raw_name):
        score += 40  # typed with accents, and the accents match too
    if folded_q in (code, fold(local_code)):
        score += 200
    score -= len(name) / 1000  # among equals, the shorter (more general) name first
    return (-score, code)


class Results(Sequence[ProcedureVersion]):
    """Ranked matches: all their ids (cheap), full rows loaded only for the slice asked."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> ProcedureVersion: ...
    @overload
    def __getitem__(self, index: slice) -> list[ProcedureVersion]: ...
    def __getitem__(self, index: int | slice) -> ProcedureVersion | list[ProcedureVersion]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        wanted = self.ids[index]
        rows = current_versions().in_bulk(wanted)
        return [rows[i] for i in wanted]


def search(filters: Filters) -> Results:
    """The current versions matching the filters, best match first."""
    versions = current_versions()
    folded_q = fold(filters.q)
    for word in search_words(filters.q):
        versions = versions.filter(procedure__search_text__contains=f" {word} ")
    if filters.field:
        versions = versions.filter(field__code=filters.field)
    if filters.level:
        versions = versions.filter(authority_level=filters.level)
    if filters.online_mode:
        versions = versions.filter(online_mode=filters.online_mode)
    if filters.unit_kind:
        versions = versions.filter(competent_unit_kind=filters.unit_kind)
    if not folded_q:
        return Results(list(versions.order_by("procedure__code").values_list("id", flat=True)))
    rows = versions.values_list("id", "name", "procedure__code", "procedure__local_code")
    accented_q = normalise(filters.q)
    return Results([row[0] for row in sorted(rows, key=lambda r: _score(r, folded_q, accented_q))])
