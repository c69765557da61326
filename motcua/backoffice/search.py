"""Finding a dossier by its code, the applicant's name or an identity number.

Names match without diacritics or case ("nguyen van an" finds "Nguyễn Văn An"): the database
folds the stored name with the same rule as `motcua.catalog.folding.fold` — PostgreSQL with
TRANSLATE over the accented Latin letters, SQLite with a Python function registered on each
new connection (`register_sqlite_fold`). The search runs inside `dossiers_for_officer`, so an
officer never finds a dossier they may not see.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Func, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.sql.compiler import SQLCompiler

from motcua.catalog.folding import fold, search_words
from motcua.dossiers.models import Dossier

# Every non-ASCII Latin letter that folds to one ASCII letter (à → a, Ế → e, Đ → d, …).
_ACCENTED = "".join(
    ch
    for ch in map(chr, range(0xC0, 0x1F00))
    if ch.isalpha() and len(fold(ch)) == 1 and fold(ch).isascii() and fold(ch).isalpha()
)
_PLAIN = "".join(fold(ch) for ch in _ACCENTED)

IDENTITY = re.compile(r"\d{9,12}")


class Folded(Func):
    """The folded (lower-case, unaccented) value of a text column."""

    function = "motcua_fold"
    output_field = CharField()

    def __init__(self, expression: Combinable | str, **extra: Any) -> None:
        super().__init__(expression, **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, _ACCENTED, _PLAIN]


def register_sqlite_fold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: give SQLite the `motcua_fold` function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("motcua_fold", 1, _fold_or_none, deterministic=True)


def _fold_or_none(value: str | None) -> str | None:
    return None if value is None else fold(value)


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
            name &= Q(folded_name__contains=word)
        match |= name
        scope = scope.annotate(folded_name=Folded("applicant_name"))
    return (
        scope.filter(match)
        .select_related("procedure_version", "competent_unit", "receiving_centre")
        .order_by("-submitted_at", "-pk")
    )
