"""The set-based recount sums the day rows by one bigint key packing (unit, procedure,
field, level, day): every part comes back out, and ids that do not fit are never taken
for another unit's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from motcua.catalog.models import AuthorityLevel
from motcua.reports.recount_sql import DAY_ZERO, KeyLayout, key_layout

LEVELS = tuple(sorted(AuthorityLevel.values))
Row = tuple[int, int, int, str, dt.date]


def unpacked(layout: KeyLayout, rows: list[Row]) -> list[tuple[Any, ...]]:
    """The key columns of `rows` after packing and unpacking them in PostgreSQL."""
    values = ", ".join(["(%s::bigint, %s::bigint, %s::bigint, %s::varchar, %s::date)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {layout.columns()} FROM (SELECT ({layout.combo()}) "  # noqa: S608
            f"| (day - date '{DAY_ZERO}') AS key, n FROM (SELECT *, row_number() OVER () AS n "
            f"FROM (VALUES {values}) AS t (unit_id, procedure_id, field_id, level, day)) t) k "
            f"ORDER BY n",
            [value for row in rows for value in row],
        )
        return list(cursor.fetchall())


def test_a_layout_that_would_need_more_than_a_bigint_is_refused() -> None:
    with pytest.raises(ValueError, match="bits"):
        KeyLayout(LEVELS, field_bits=12, procedure_bits=16, unit_bits=16)
    assert KeyLayout(LEVELS, field_bits=11, procedure_bits=16, unit_bits=15).shifts()[-1] == 48


@pytest.mark.django_db
def test_the_layout_fits_the_ids_and_levels_there_are() -> None:
    layout = key_layout()
    assert set(AuthorityLevel.values) <= set(layout.levels)
    assert min(layout.field_bits, layout.procedure_bits, layout.unit_bits) >= 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the recount's SQL is PostgreSQL's")
def test_every_part_of_a_key_comes_back_out_of_it() -> None:
    layout = KeyLayout(LEVELS, field_bits=10, procedure_bits=14, unit_bits=12)
    rows = [
        (1, 1, 1, LEVELS[0], dt.date(2000, 1, 1)),
        # the largest that fit (the day before the last: the open stock's change is carried
        # to the day after)
        (4095, 16383, 1023, LEVELS[-1], dt.date(1900, 1, 1) + dt.timedelta(days=2**18 - 2)),
        (300, 25, 7, "commune", dt.date(2026, 11, 26)),
        (300, 25, 7, "province", dt.date(2026, 11, 27)),
    ]
    assert unpacked(layout, rows) == rows


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the recount's SQL is PostgreSQL's")
def test_ids_too_large_for_the_layout_come_out_with_no_unit_rather_than_another() -> None:
    layout = KeyLayout(LEVELS, field_bits=4, procedure_bits=5, unit_bits=9)
    day = dt.date(2026, 11, 26)
    out = unpacked(
        layout,
        [(512, 1, 1, "commune", day), (1, 32, 1, "commune", day), (1, 1, 16, "commune", day)],
    )
    assert [row[0] for row in out] == [None, None, None]
    assert unpacked(layout, [(511, 31, 15, "commune", day)]) == [(511, 31, 15, "commune", day)]
