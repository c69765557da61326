"""Inter-agency consultation (liên thông): a sub-step with its own unit, owner and due time."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.dossiers import access, actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import EventKind, StepKind, StepStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


class ConsultationTests(PersonaTestCase):
    def setUp(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, version)
            actions.forward(self.dossier.pk, actor=self.p.binh)
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
            actions.consult(
                self.dossier.pk,
                actor=self.p.chi,
                unit_id=self.p.commune_b.pk,
                question="Xác minh nơi cư trú",
                hours=Decimal(8),
            )

    def test_the_consulted_unit_gets_a_sub_step_with_its_own_due_time(self) -> None:
        sub = self.dossier.steps.get(kind=StepKind.CONSULTATION)
        assert sub.parent is not None
        assert (sub.unit, sub.status, sub.parent.position) == (self.p.commune_b, "active", 3)
        assert sub.due_at == dt.datetime(2026, 3, 17, 9, 0, tzinfo=VN)  # 8 h from Mon 09:00
        event = self.dossier.events.get(kind=EventKind.CONSULTATION_OPENED)
        assert event.data["unit"] == "UBND phường B"

    def test_the_consulted_officer_now_sees_the_dossier_and_may_answer(self) -> None:
        self.dossier.refresh_from_db()
        assert access.can_see(self.p.dung, self.dossier)
        assert access.allowed_actions(self.p.dung, self.dossier) == ["answer_consultation"]

    def test_the_step_cannot_finish_while_the_consultation_is_open(self) -> None:
        with pytest.raises(ActionRefused, match="chưa được trả lời"):
            actions.forward(self.dossier.pk, actor=self.p.chi)

    def test_a_late_answer_is_attributed_to_the_consulted_unit(self) -> None:
        with time_machine.travel(dt.datetime(2026, 3, 18, 10, 0, tzinfo=VN), tick=False):
            actions.answer_consultation(self.dossier.pk, actor=self.p.dung, answer="Đúng địa chỉ")
        sub = self.dossier.steps.get(kind=StepKind.CONSULTATION)
        assert (sub.status, sub.punctuality, sub.completed_by) == (
            StepStatus.DONE,
            "late",
            self.p.dung,
        )
        main = self.dossier.steps.get(kind=StepKind.PROCESS, status=StepStatus.ACTIVE)
        assert main.punctuality == ""  # Chi's step is judged only when she finishes it
        actions.forward(self.dossier.pk, actor=self.p.chi)

    def test_nobody_else_may_answer(self) -> None:
        for officer in (self.p.binh, self.p.thu):
            with pytest.raises(ActionRefused):
                actions.answer_consultation(self.dossier.pk, actor=officer, answer="x")

    def test_a_consultation_needs_a_question_and_a_positive_time(self) -> None:
        with pytest.raises(ActionRefused, match="lớn hơn 0"):
            actions.consult(
                self.dossier.pk, actor=self.p.chi, unit_id=self.p.province.pk, question="x", hours=0
            )
        with pytest.raises(ActionRefused, match="nội dung"):
            actions.consult(
                self.dossier.pk, actor=self.p.chi, unit_id=self.p.province.pk, question=" ", hours=4
            )
