"""Several workers folding at once: each pending dossier is folded by one of them at a time,
so nothing is counted twice (real threads with their own connections: a file-based SQLite
with IMMEDIATE transactions in the tests, or PostgreSQL with SKIP LOCKED)."""

from __future__ import annotations

import pytest

from motcua.reports.folding import fold_pending, recount
from motcua.reports.models import DailyFlow, DossierFact, FoldLock, PendingFold, RunningTotal
from motcua.reports.tests.helpers import at, desk, finish
from motcua.testing.dossiers import make_process_procedure
from motcua.testing.personas import build_personas
from motcua.testing.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


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
