"""Several workers folding at once: each pending dossier is folded by one of them at a time,
so nothing is counted twice (real threads with their own connections: a file-based SQLite
with IMMEDIATE transactions in the tests, or PostgreSQL with SKIP LOCKED)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection

from motcua.reports.folding import fold_pending, recount
from motcua.reports.models import DailyFlow, DossierFact, FoldLock, PendingFold, RunningTotal
from motcua.reports.tests.helpers import at, desk, finish
from motcua.testing.dossiers import make_process_procedure
from motcua.testing.personas import build_personas

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same moment; results or raised exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    return results


def test_three_workers_folding_at_once_count_every_dossier_once() -> None:
    p = build_personas()
    version = make_process_procedure()
    dossiers = []
    with at(2026, 3, 16):
        for i in range(6):
            dossiers.append(desk(p, version))
            if i % 2:
                finish(p, dossiers[-1])
    # Folded after each commit already; start again from nothing, each dossier pending twice.
    DossierFact.objects.all().delete()
    DailyFlow.objects.all().delete()
    RunningTotal.objects.all().delete()
    FoldLock.objects.update(totals_through=None)
    PendingFold.objects.bulk_create(
        [PendingFold(dossier_id=d.pk) for d in dossiers for _ in range(2)]
    )
    results = run_together(*(lambda: fold_pending(batch=1) for _ in range(3)))
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 12  # every pending row taken by exactly one worker
    assert not PendingFold.objects.exists()
    assert DossierFact.objects.count() == 6
    assert recount(write=False).difference == 0
