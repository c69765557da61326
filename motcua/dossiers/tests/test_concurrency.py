"""Two officers, two requests, two desks at the same time: exactly one wins, nothing half-done.

Real threads with their own database connections (a file-based SQLite with WAL and
IMMEDIATE transactions in the tests, or PostgreSQL with row locks).
"""

from __future__ import annotations

import pytest

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier, DossierEvent, EventKind, StepStatus
from motcua.testing.dossiers import desk_dossier, make_process_procedure, submission
from motcua.testing.personas import build_personas
from motcua.testing.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_forwarding_at_once_move_the_dossier_exactly_one_step() -> None:
    p = build_personas()
    dossier = desk_dossier(p, make_process_procedure())
    results = run_together(
        lambda: actions.forward(dossier.pk, actor=p.binh),
        lambda: actions.forward(dossier.pk, actor=p.binh),
    )
    assert sum(isinstance(r, Dossier) for r in results) == 1
    loser = next(r for r in results if not isinstance(r, Dossier))
    assert isinstance(loser, ActionRefused)
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.FORWARDED).count() == 1
    assert dossier.steps.filter(status=StepStatus.DONE).count() == 1
    assert dossier.steps.filter(status=StepStatus.ACTIVE).count() == 1


def test_accept_and_refuse_at_once_leave_one_outcome() -> None:
    p = build_personas()
    version = make_process_procedure()
    dossier = actions.submit_online(
        submission(p, version), applicant_user=p.an, idempotency_key="x"
    )
    results = run_together(
        lambda: actions.accept(dossier.pk, actor=p.binh),
        lambda: actions.refuse(dossier.pk, actor=p.binh, reason="Sai thủ tục"),
    )
    assert sum(isinstance(r, Dossier) for r in results) == 1
    dossier.refresh_from_db()
    kinds = set(dossier.events.values_list("kind", flat=True)) - {EventKind.SUBMITTED}
    assert kinds in ({EventKind.ACCEPTED}, {EventKind.REFUSED})
    assert dossier.steps.exists() == (dossier.status == "accepted")


def test_a_double_submission_with_one_key_makes_one_dossier() -> None:
    p = build_personas()
    version = make_process_procedure()
    results = run_together(
        *[
            (
                lambda: actions.submit_online(
                    submission(p, version), applicant_user=p.an, idempotency_key="double-click"
                )
            )
            for _ in range(4)
        ]
    )
    assert all(isinstance(r, Dossier) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Dossier.objects.count() == 1


def test_desks_receiving_at_once_never_share_a_number() -> None:
    p = build_personas()
    version = make_process_procedure()
    results = run_together(*[(lambda: desk_dossier(p, version)) for _ in range(6)])
    assert all(isinstance(r, Dossier) for r in results), results
    numbers = sorted(int(r.code.rsplit("-", 1)[1]) for r in results)
    assert numbers == [1, 2, 3, 4, 5, 6]
