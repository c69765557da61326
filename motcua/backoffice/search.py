"""Finding a dossier by its code, the applicant's name or an identity number.

Names match without diacritics or case ("nguyen van an" finds "Nguyễn Văn An"): each word of
the folded query must appear in `Dossier.applicant_search`, the applicant's and
representative's names folded once at creation (`motcua.catalog.folding.fold`). The search
runs inside `dossiers_for_officer`, so an officer never finds a dossier they may not see.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from motcua.catalog.folding import search_words
from motcua.dossiers.models import Dossier

IDENTITY = re.compile(r"\d{9,12}")


def find_dossiers(scope: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """Dossiers of `scope` whose code contains the query, whose applicant's (or
    representative's) identity number is the query, or whose applicant's name contains every
    word of the query, diacritics ignored. Most recent first."""
    query = query.strip()
    if not query:
        return scope.none()
    match = Q(code__icontains=query)
    if IDENTITY.fullmatch(query):
        match |= Q(applicant_identity_number=query) | Q(representative_identity_number=query)
    words = search_words(query)
    if words and not IDENTITY.fullmatch(query):
        name = Q()
        for word in words:
            name &= Q(applicant_search__contains=word)
        match |= name
    return (
        scope.filter(match)
        .select_related("procedure_version", "competent_unit", "receiving_centre")
        .order_by("-submitted_at", "-pk")
    )
