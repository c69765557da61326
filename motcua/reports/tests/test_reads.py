"""Report builders read one snapshot without parallel workers on PostgreSQL (reads.py)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from motcua.reports.reads import report_reads

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the settings are PostgreSQL's"
)


@report_reads
def settings_seen() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('transaction_isolation'), "
            "current_setting('max_parallel_workers_per_gather')"
        )
        isolation, workers = cursor.fetchone()
    return isolation, workers


def parallel_workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return str(cursor.fetchone()[0])


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_builder_outside_a_transaction_reads_one_snapshot_without_parallel_workers() -> None:
    before = parallel_workers()
    assert settings_seen() == ("repeatable read", "0")
    assert parallel_workers() == before != "0"  # the connection's setting is left as it was


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_builder_inside_a_transaction_reads_as_that_transaction_was_set() -> None:
    with transaction.atomic():
        assert settings_seen() == ("read committed", parallel_workers())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL's: tested above")
@pytest.mark.django_db
def test_a_builder_runs_as_it_is_on_other_databases() -> None:
    assert report_reads(lambda: 42)() == 42
