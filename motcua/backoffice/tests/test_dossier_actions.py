"""Every action of the dossier page, posted by the officer allowed to take it and by those
who are not: Dũng (commune B) and citizens get 404, Thu (provincial auditor) is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse

from motcua.accounts.models import Unit, User
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, EventKind
from motcua.dossiers.status import DossierStatus as S
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure
from motcua.testing.personas import Personas

from .journeys import (
    at,
    at_specialist_step,
    justice_department,
    page_url,
    post_action,
    result_ready,
    submitted,
)


@dataclass
class Case:
    build: Callable[[Personas, ProcedureVersion, Any], Dossier]
    actor: Callable[[Personas, Any], User]
    fields: Callable[[Personas, Any], dict[str, Any]]
    status: S
    event: EventKind
    extra: dict[str, Any] = field(default_factory=dict)


def _supplement_asked(p: Personas, v: ProcedureVersion, _: Any) -> Dossier:
    dossier = desk_dossier(p, v)
    actions.request_supplement(dossier.pk, actor=p.binh, missing="Bản sao giấy khai sinh")
    return dossier


def _consulting(p: Personas, v: ProcedureVersion, justice: Any) -> Dossier:
    dossier = at_specialist_step(p, v)
    actions.consult(dossier.pk, actor=p.chi, unit_id=justice[0].pk, question="Ý kiến?", hours=8)
    return dossier


def _awaiting_payment(p: Personas, v: ProcedureVersion, _: Any) -> Dossier:
    dossier = at_specialist_step(p, v)
    actions.request_payment(dossier.pk, actor=p.chi, description="Lệ phí", amount=Decimal(50000))
    return dossier


CASES: dict[str, Case] = {
    "accept": Case(
        lambda p, v, _: submitted(p, v),
        lambda p, _: p.binh,
        lambda p, _: {},
        S.ACCEPTED,
        EventKind.ACCEPTED,
    ),
    "refuse": Case(
        lambda p, v, _: submitted(p, v),
        lambda p, _: p.binh,
        lambda p, _: {"reason": "Không thuộc thẩm quyền"},
        S.REFUSED,
        EventKind.REFUSED,
    ),
    "request_supplement": Case(
        lambda p, v, _: desk_dossier(p, v),
        lambda p, _: p.binh,
        lambda p, _: {"missing": "Bản sao giấy khai sinh"},
        S.SUPPLEMENT_REQUESTED,
        EventKind.SUPPLEMENT_REQUESTED,
    ),
    "receive_supplement": Case(
        _supplement_asked,
        lambda p, _: p.binh,
        lambda p, _: {"note": "Đã đủ"},
        S.ACCEPTED,
        EventKind.SUPPLEMENT_RECEIVED,
    ),
    "forward": Case(
        lambda p, v, _: desk_dossier(p, v),
        lambda p, _: p.binh,
        lambda p, _: {"note": "Chuyển phòng", "assignee": p.giang.pk},
        S.PROCESSING,
        EventKind.FORWARDED,
    ),
    "assign": Case(
        lambda p, v, _: at_specialist_step(p, v),
        lambda p, _: p.giang,
        lambda p, _: {"assignee": p.chi.pk},
        S.PROCESSING,
        EventKind.ASSIGNED,
    ),
    "send_back": Case(
        lambda p, v, _: at_specialist_step(p, v),
        lambda p, _: p.chi,
        lambda p, _: {"to_position": 2, "reason": "Phân công lại"},
        S.PROCESSING,
        EventKind.SENT_BACK,
    ),
    "consult": Case(
        lambda p, v, _: at_specialist_step(p, v),
        lambda p, _: p.chi,
        lambda p, j: {"unit": j[0].pk, "question": "Xin ý kiến về hộ tịch", "hours": "8"},
        S.PROCESSING,
        EventKind.CONSULTATION_OPENED,
    ),
    "answer_consultation": Case(
        _consulting,
        lambda p, j: j[1],
        lambda p, _: {"answer": "Đồng ý"},
        S.PROCESSING,
        EventKind.CONSULTATION_ANSWERED,
    ),
    "request_payment": Case(
        lambda p, v, _: at_specialist_step(p, v),
        lambda p, _: p.chi,
        lambda p, _: {"description": "Lệ phí cấp bản sao", "amount": "50000"},
        S.AWAITING_PAYMENT,
        EventKind.PAYMENT_REQUESTED,
    ),
    "record_payment": Case(
        _awaiting_payment,
        lambda p, _: p.binh,
        lambda p, _: {"receipt_number": "BL-0001"},
        S.PROCESSING,
        EventKind.PAYMENT_RECORDED,
    ),
    "return_result": Case(
        lambda p, v, _: result_ready(p, v),
        lambda p, _: p.binh,
        lambda p, _: {"via": "post", "tracking_number": "EL123456789VN"},
        S.RETURNED,
        EventKind.RETURNED,
    ),
    "withdraw": Case(
        lambda p, v, _: desk_dossier(p, v),
        lambda p, _: p.binh,
        lambda p, _: {"reason": "Người nộp xin rút"},
        S.WITHDRAWN,
        EventKind.WITHDRAWN,
    ),
    "stop": Case(
        lambda p, v, _: desk_dossier(p, v),
        lambda p, _: p.hung,
        lambda p, _: {"reason": "Không đủ điều kiện"},
        S.STOPPED,
        EventKind.STOPPED,
    ),
    "extend": Case(
        lambda p, v, _: desk_dossier(p, v),
        lambda p, _: p.hung,
        lambda p, _: {"new_due": "2026-03-24", "reason": "Cần xác minh thêm"},
        S.ACCEPTED,
        EventKind.EXTENDED,
    ),
}


class ActionPostTests(PersonaTestCase):
    version: ProcedureVersion
    justice: tuple[Unit, User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_process_procedure()
        cls.justice = justice_department(cls.p)

    def build(self, name: str) -> Dossier:
        with at(0):
            return CASES[name].build(self.p, self.version, self.justice)

    def test_every_action_of_the_rules_table_is_covered_here(self) -> None:
        from motcua.backoffice.forms import ACTION_FORMS
        from motcua.backoffice.views import ACTION_LABELS, DONE_MESSAGES
        from motcua.dossiers.access import RULES

        assert set(CASES) == set(RULES)
        assert set(ACTION_FORMS) == set(ACTION_LABELS) == set(DONE_MESSAGES) == set(RULES)
        assert {k: str(v) for k, v in ACTION_LABELS.items()} == {
            k: rule.label for k, rule in RULES.items()
        }

    def test_the_allowed_officer_takes_each_action_and_is_sent_back_to_the_page(self) -> None:
        for name, case in CASES.items():
            with self.subTest(action=name):
                dossier = self.build(name)
                actor = case.actor(self.p, self.justice)
                self.client.force_login(actor)
                page = self.client.get(page_url(dossier)).content.decode()
                assert f'data-testid="action-{name}"' in page, f"{name} not offered"
                with at(1):
                    response = post_action(
                        self.client, dossier, name, **case.fields(self.p, self.justice)
                    )
                assert response.status_code == 302, response.content.decode()[-3000:]
                assert response["Location"] == page_url(dossier)
                dossier.refresh_from_db()
                assert dossier.status == case.status
                assert dossier.events.filter(kind=case.event, actor=actor).count() == 1
                after = self.client.get(page_url(dossier)).content.decode()
                assert f"{dossier.code}" in after.split('<ul class="messages"')[1].split("</ul>")[0]

    def test_dung_of_commune_b_gets_not_found_for_every_action(self) -> None:
        for name, case in CASES.items():
            with self.subTest(action=name):
                dossier = self.build(name)
                self.client.force_login(self.p.dung)
                with at(1):
                    response = post_action(
                        self.client, dossier, name, **case.fields(self.p, self.justice)
                    )
                assert response.status_code == 404
                assert self.client.get(page_url(dossier)).status_code == 404

    def test_citizens_get_not_found_for_every_action(self) -> None:
        for name, case in CASES.items():
            for citizen in (self.p.an, self.p.ha):
                with self.subTest(action=name, citizen=citizen.username):
                    dossier = self.build(name)
                    events = dossier.events.count()
                    self.client.force_login(citizen)
                    with at(1):
                        response = post_action(
                            self.client, dossier, name, **case.fields(self.p, self.justice)
                        )
                    assert response.status_code == 404
                    assert self.client.get(page_url(dossier)).status_code == 404
                    assert dossier.events.count() == events

    def test_thu_the_auditor_sees_the_page_but_every_action_is_refused(self) -> None:
        for name, case in CASES.items():
            with self.subTest(action=name):
                dossier = self.build(name)
                events = dossier.events.count()
                self.client.force_login(self.p.thu)
                page = self.client.get(page_url(dossier))
                assert page.status_code == 200
                assert 'data-testid="no-actions"' in page.content.decode()
                with at(1):
                    response = post_action(
                        self.client, dossier, name, **case.fields(self.p, self.justice)
                    )
                assert response.status_code == 400
                body = response.content.decode()
                assert 'data-testid="refused"' in body
                assert "Bạn không có quyền" in body
                dossier.refresh_from_db()
                assert dossier.events.count() == events

    def test_an_officer_of_the_same_commune_without_the_role_is_refused(self) -> None:
        dossier = self.build("stop")
        self.client.force_login(self.p.chi)
        assert (
            'data-testid="action-stop"' not in self.client.get(page_url(dossier)).content.decode()
        )
        with at(1):
            response = post_action(self.client, dossier, "stop", reason="Không đủ điều kiện")
        assert response.status_code == 400
        assert "Bạn không có quyền «dừng giải quyết»" in response.content.decode()
        dossier.refresh_from_db()
        assert dossier.status == S.ACCEPTED

    def test_an_unknown_action_is_not_found(self) -> None:
        dossier = self.build("forward")
        self.client.force_login(self.p.binh)
        url = reverse("backoffice:dossier_action", args=[dossier.pk, "delete"])
        assert self.client.post(url, {}).status_code == 404

    def test_actions_are_post_only(self) -> None:
        dossier = self.build("forward")
        self.client.force_login(self.p.binh)
        assert (
            self.client.get(
                reverse("backoffice:dossier_action", args=[dossier.pk, "forward"])
            ).status_code
            == 405
        )
