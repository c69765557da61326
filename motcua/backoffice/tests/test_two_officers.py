"""Two officers press the same button on the same dossier at the same moment: exactly one
action happens, and the other officer is told what happened instead of acting twice.

Real threads with their own database connections (file SQLite with IMMEDIATE transactions,
or PostgreSQL with row locks), each driving the pages through its own test client.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import Client

from motcua.accounts.models import Role
from motcua.backoffice.views import dossier_version
from motcua.dossiers import actions
from motcua.dossiers.models import EventKind
from motcua.dossiers.status import DossierStatus as S
from motcua.testing.builders import make_officer
from motcua.testing.dossiers import desk_dossier, make_process_procedure, online_dossier
from motcua.testing.personas import build_personas
from motcua.testing.threads import run_together

from .journeys import action_url

pytestmark = pytest.mark.django_db(transaction=True)


def post_together(posts: list[tuple[Client, str, dict[str, Any]]]) -> list[HttpResponse]:
    """POST from several clients released at the same instant."""
    return run_together(*(partial(c.post, url, data) for c, url, data in posts), timeout=60)


def outcome(response: object) -> str:
    assert isinstance(response, HttpResponse), response
    if response.status_code == 302:
        return "done"
    body = response.content.decode()
    if response.status_code == 409 and "Hồ sơ vừa được người khác cập nhật" in body:
        return "told"
    return f"unexpected {response.status_code}"


def test_two_desk_officers_accepting_one_online_dossier_accept_it_once() -> None:
    p = build_personas()
    bao = make_officer("bao", "Hồ Gia Bảo", p.commune_a, Role.RECEPTION)
    dossier = online_dossier(p, make_process_procedure())
    seen = dossier_version(dossier)
    clients = []
    for officer in (p.binh, bao):
        client = Client()
        client.force_login(officer)
        clients.append(client)
    data = {"accept-version": seen}
    responses = post_together([(c, action_url(dossier, "accept"), data) for c in clients])
    assert sorted(outcome(r) for r in responses) == ["done", "told"]
    loser = next(r for r in responses if r.status_code == 409)
    assert "Tiếp nhận hồ sơ" in loser.content.decode()  # the latest event: the acceptance
    dossier.refresh_from_db()
    assert dossier.status == S.ACCEPTED
    assert dossier.events.filter(kind=EventKind.ACCEPTED).count() == 1
    assert dossier.steps.count() == 5  # the steps were laid out once


def test_withdraw_and_stop_at_once_leave_one_outcome() -> None:
    p = build_personas()
    dossier = desk_dossier(p, make_process_procedure())
    seen = dossier_version(dossier)
    binh, hung = Client(), Client()
    binh.force_login(p.binh)
    hung.force_login(p.hung)
    responses = post_together(
        [
            (
                binh,
                action_url(dossier, "withdraw"),
                {"withdraw-version": seen, "withdraw-reason": "Xin rút"},
            ),
            (hung, action_url(dossier, "stop"), {"stop-version": seen, "stop-reason": "Dừng"}),
        ]
    )
    assert sorted(outcome(r) for r in responses) == ["done", "told"]
    dossier.refresh_from_db()
    assert dossier.status in (S.WITHDRAWN, S.STOPPED)
    closing = dossier.events.filter(kind__in=[EventKind.WITHDRAWN, EventKind.STOPPED])
    assert closing.count() == 1


def test_a_head_of_office_forwarding_twice_at_once_moves_the_dossier_one_step() -> None:
    p = build_personas()
    dossier = desk_dossier(p, make_process_procedure())
    actions.forward(dossier.pk, actor=p.binh)  # step 2, the head of office's, is active
    seen = dossier_version(dossier)
    giang = Client()
    giang.force_login(p.giang)
    data = {"forward-version": seen, "forward-note": ""}
    # Both requests read the version before either action commits: the race, made certain.
    with mock.patch("motcua.backoffice.views.dossier_version", return_value=seen):
        outcomes = [outcome(giang.post(action_url(dossier, "forward"), data)) for _ in range(2)]
    assert outcomes == ["done", "told"]
    assert dossier.steps.filter(status="done").count() == 2
