"""How the report pages read the rollups: on PostgreSQL, in one transaction that sees one
snapshot, and without parallel workers.

- One snapshot: a report adds up several queries (the running totals, the day rows, the
  facts open now); a fold committing between two of them would make its columns disagree
  by the dossiers just folded. Outside any transaction the builders run at REPEATABLE
  READ, so all their queries see the database as at the first one. Inside a caller's
  transaction (a builder calling another, a test) they read as that transaction was set.
- No parallel workers: the report queries read a few thousand rows through indexes. Their
  parallel plans were as fast as serial ones at best (10 M dossiers: the dashboard 55 ms
  either way) and much slower in a connection that had already run a large parallel query
  — 92–106 ms instead of 52–57 ms for the dashboard and form 06, for as long as the
  connection lives (docs/performance.md) — which a web server keeping its connections
  (`DB_CONN_MAX_AGE`) or a worker sharing one with a recount will have done. On two cores
  several leaders each starting two workers also slow each other down.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import connection, transaction

P = ParamSpec("P")
R = TypeVar("R")


def report_reads(build: Callable[P, R]) -> Callable[P, R]:
    """Run the report builder `build` as the module says."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return build(*args, **kwargs)  # a caller's transaction reads as it was set
        with transaction.atomic():
            with connection.cursor() as cursor:  # the transaction's first statements
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            return build(*args, **kwargs)

    return wrapper
