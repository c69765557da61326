"""Counters summed over every day before a boundary, read from the rollups: C(d), the
running total of the latest half-month kept at or before d plus the days from its start (at
most 15 when the totals are kept up to date). A period's flows are C(end + 1) − C(start);
a stock at the start of a day d is the sum of its changes up to d, C(d + 1). Report form
06, the 766 figures and the live stocks read their sums here, grouped as they need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from motcua.reports.models import DailyFlow, FoldLock, RunningTotal
from motcua.reports.periods import half_of

Key = tuple[Any, ...]  # the values of the `by` fields of a group
Sums = dict[Key, dict[str, int]]


def kept_through() -> dt.date | None:
    """The last half-month whose running totals are kept (`FoldLock.totals_through`)."""
    return FoldLock.objects.values_list("totals_through", flat=True).first()


def sums_around(
    units: QuerySet[Any] | Sequence[int],
    day: dt.date,
    through: dt.date | None,
    columns: tuple[str, ...],
    by: tuple[str, ...],
) -> tuple[Sums, Sums]:
    """C(day) and C(day + 1) per group of `by` (e.g. level and field, unit, or unit and
    procedure) for the units (a sub-select of their ids, or the ids)."""
    base = min(half_of(day), through) if through is not None else None
    n = len(by)
    before: Sums = {}
    days = DailyFlow.objects.filter(unit__in=units, day__lte=day)
    if base is not None:
        kept = RunningTotal.objects.filter(unit__in=units, start=base).order_by()
        for kept_row in _grouped(kept, by, {f"{c}__sum": Sum(c) for c in columns}):
            before[tuple(kept_row[:n])] = {
                c: int(v or 0) for c, v in zip(columns, kept_row[n:], strict=True)
            }
        days = days.filter(day__gte=base)
    aggregates = {}
    for c in columns:
        aggregates[f"{c}__before"] = Sum(c, filter=Q(day__lt=day))
        aggregates[f"{c}__on"] = Sum(c, filter=Q(day=day))
    after: Sums = {key: dict(values) for key, values in before.items()}
    # order_by(): no ORDER BY, and none of the joins the models' default orderings bring
    for day_row in _grouped(days.order_by(), by, aggregates):
        key = tuple(day_row[:n])
        into_before = before.setdefault(key, {})
        into_after = after.setdefault(key, {})
        for i, c in enumerate(columns):
            earlier, same_day = day_row[n + 2 * i] or 0, day_row[n + 2 * i + 1] or 0
            into_before[c] = into_before.get(c, 0) + earlier
            into_after[c] = into_after.get(c, 0) + earlier + same_day
    return before, after


def grown(
    ids: Sequence[int],
    start: dt.date,
    after: dt.date,
    through: dt.date | None,
    column: str,
    by: tuple[str, ...],
) -> set[Key]:
    """The groups of `by` (fields of both rollup tables) of the units `ids` whose counter
    `column` grew from C(start) to C(after), i.e. counted something on the days `start` to
    `after` − 1 (e.g. the unit × procedure pairs with online receptions in a period,
    indicator 3.2). One query that returns only those groups: C(after) − C(start) summed
    by the database, each side a running total plus at most a half-month of days (or,
    when both sides start from the same running total, only the days between)."""
    base_start, base_after = (
        (min(half_of(start), through), min(half_of(after), through))
        if through is not None
        else (None, None)
    )
    # the units' ids (`ids`) rather than a sub-select: for that PostgreSQL expects one unit
    # and probes every part unit by unit (50 ms for a province instead of 16)
    if not ids:
        return set()
    units_params: tuple[Any, ...] = (ids,)
    in_units = "unit_id = ANY(%s)"
    if connection.vendor != "postgresql":  # SQLite has no arrays
        units_params = tuple(ids)
        in_units = f"unit_id IN ({', '.join(['%s'] * len(ids))})"
    keys = ", ".join(by)
    parts: list[tuple[str, str, list[Any]]] = []  # (sign, table and condition, parameters)
    if base_start == base_after:
        parts.append(("", "reports_dailyflow WHERE day >= %s AND day < %s", [start, after]))
    else:
        for sign, base, day in (("", base_after, after), ("-", base_start, start)):
            parts.append((sign, "reports_runningtotal WHERE start = %s", [base]))
            parts.append((sign, "reports_dailyflow WHERE day >= %s AND day < %s", [base, day]))
    selects, params = [], []
    for sign, where, values in parts:
        selects.append(
            f"SELECT {keys}, {sign}{column} AS v FROM {where} "  # noqa: S608 -- own fields
            f"AND {column} <> 0 AND {in_units}"
        )
        params += [*values, *units_params]
    sql = (
        f"SELECT {keys} FROM ({' UNION ALL '.join(selects)}) grown "  # noqa: S608
        f"GROUP BY {keys} HAVING sum(v) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row) for row in cursor.fetchall()}


def _grouped(rows: QuerySet[Any], by: tuple[str, ...], sums: dict[str, Any]) -> list[Key]:
    """(*group, *sums) per group of `by`; one row for the whole set when `by` is empty."""
    if not by:
        total = rows.aggregate(**sums)
        return [tuple(total[name] for name in sums)] if any(total.values()) else []
    return list(rows.values(*by).annotate(**sums).values_list(*by, *sums))


def minus(a: Sums, b: Sums, columns: tuple[str, ...]) -> Sums:
    return {
        key: {c: a.get(key, {}).get(c, 0) - b.get(key, {}).get(c, 0) for c in columns}
        for key in a.keys() | b.keys()
    }
