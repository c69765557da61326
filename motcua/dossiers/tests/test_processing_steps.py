"""forward, assign, send_back: the hand-overs of the internal process."""

import datetime as dt

import pytest
import time_machine

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused, InvalidTransition
from motcua.dossiers.models import DeadlineChange, EventKind, StepStatus
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


class ForwardTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)

    def test_the_desk_hands_over_and_processing_starts(self) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh, note="Đã số hóa")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.PROCESSING
        steps = list(self.dossier.steps.order_by("position"))
        assert [s.status for s in steps[:2]] == [StepStatus.DONE, StepStatus.ACTIVE]
        assert steps[0].completed_by == self.p.binh
        event = self.dossier.events.get(kind=EventKind.FORWARDED)
        assert (event.step, event.reason, event.data["to_step"]) == (steps[0], "Đã số hóa", 2)

    def test_the_head_of_office_assigns_a_specialist_who_then_holds_the_step(self) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh)
        actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        step = self.dossier.steps.get(status=StepStatus.ACTIVE)
        assert step.assignee == self.p.chi
        with pytest.raises(ActionRefused):
            actions.forward(self.dossier.pk, actor=self.p.binh)

    def test_only_an_officer_holding_the_steps_role_may_be_assigned(self) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh)
        with pytest.raises(ActionRefused, match="không giữ vai trò"):
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.dung.pk)
        assert self.dossier.steps.get(status=StepStatus.ACTIVE).position == 2  # nothing moved

    def test_reassigning_the_active_step(self) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh)
        actions.forward(self.dossier.pk, actor=self.p.giang)
        actions.assign(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        assert self.dossier.steps.get(status=StepStatus.ACTIVE).assignee == self.p.chi
        assert self.dossier.events.filter(kind=EventKind.ASSIGNED).count() == 1
        with pytest.raises(ActionRefused):
            actions.assign(self.dossier.pk, actor=self.p.chi, assignee_id=self.p.chi.pk)

    def test_an_officer_of_another_unit_cannot_forward(self) -> None:
        for officer in (self.p.dung, self.p.thu, self.p.chi):
            with pytest.raises(ActionRefused):
                actions.forward(self.dossier.pk, actor=officer)

    def test_finishing_the_last_step_needs_the_result_and_makes_it_ready(self) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh)
        actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        actions.forward(self.dossier.pk, actor=self.p.chi)
        with pytest.raises(ActionRefused, match="kết quả giải quyết"):
            actions.forward(self.dossier.pk, actor=self.p.hung)
        actions.forward(
            self.dossier.pk,
            actor=self.p.hung,
            result_summary="Giấy xác nhận số 7",
            result_number="7/GXN",
        )
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.RESULT_READY
        assert (self.dossier.result_summary, self.dossier.result_number) == (
            "Giấy xác nhận số 7",
            "7/GXN",
        )
        assert self.dossier.events.filter(kind=EventKind.APPROVED).count() == 1
        assert self.dossier.steps.get(status=StepStatus.ACTIVE).position == 5  # the return step
        with pytest.raises(InvalidTransition):
            actions.forward(self.dossier.pk, actor=self.p.binh)


class SendBackTests(PersonaTestCase):
    def test_sending_back_reopens_the_earlier_steps_with_fresh_due_times(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(version=version, p=self.p)
            actions.forward(dossier.pk, actor=self.p.binh)
            actions.forward(dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
            actions.forward(dossier.pk, actor=self.p.chi)
        with time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=VN), tick=False):
            actions.send_back(dossier.pk, actor=self.p.hung, to_position=3, reason="Sai tên")
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.PROCESSING
        assert dossier.due_at == dossier.original_due_at  # the appointment did not move
        redo = dossier.steps.get(status=StepStatus.ACTIVE)
        assert (redo.position, redo.assignee) == (3, self.p.chi)
        assert redo.due_at == dt.datetime(2026, 3, 19, 14, 30, tzinfo=VN)  # 12 h from Wed 09:00
        leader_again = dossier.steps.get(status=StepStatus.PENDING, position=4)
        assert leader_again.due_at == dt.datetime(2026, 3, 20, 9, 0, tzinfo=VN)
        sent_back = dossier.steps.get(status=StepStatus.SENT_BACK)
        assert sent_back.position == 4
        assert DeadlineChange.objects.filter(step=redo, reason__contains="Sai tên").exists()
        assert dossier.events.get(kind=EventKind.SENT_BACK).data == {"to_step": 3}

    def test_only_to_an_earlier_step_with_a_reason(self) -> None:
        version = make_process_procedure()
        dossier = desk_dossier(self.p, version)
        actions.forward(dossier.pk, actor=self.p.binh)
        with pytest.raises(ActionRefused, match="lý do"):
            actions.send_back(dossier.pk, actor=self.p.giang, to_position=1, reason="")
        with pytest.raises(ActionRefused, match="trước bước hiện tại"):
            actions.send_back(dossier.pk, actor=self.p.giang, to_position=2, reason="x")


class ExpectedVersionTests(PersonaTestCase):
    def test_an_action_from_a_page_older_than_the_last_change_is_refused(self) -> None:
        from motcua.dossiers.errors import StaleDossier
        from motcua.dossiers.events import dossier_version

        dossier = desk_dossier(self.p, make_process_procedure())
        seen = dossier_version(dossier)
        actions.forward(dossier.pk, actor=self.p.binh, expected_version=seen)
        with pytest.raises(StaleDossier, match="vừa được người khác cập nhật"):
            actions.forward(dossier.pk, actor=self.p.giang, expected_version=seen)
        assert dossier.steps.filter(status=StepStatus.DONE).count() == 1
        actions.forward(dossier.pk, actor=self.p.giang, expected_version=dossier_version(dossier))


class PerformTests(PersonaTestCase):
    def test_perform_takes_the_inputs_the_action_needs_and_ignores_the_others(self) -> None:
        dossier = desk_dossier(self.p, make_process_procedure())
        actions.perform(
            "forward",
            dossier.pk,
            actor=self.p.binh,
            note="Đã số hóa",
            reason="not a forward input",
            amount=None,
        )
        assert dossier.events.get(kind=EventKind.FORWARDED).reason == "Đã số hóa"
        with pytest.raises(KeyError):
            actions.perform("delete_everything", dossier.pk, actor=self.p.binh)
