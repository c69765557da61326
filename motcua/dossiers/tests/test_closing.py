"""return_result, withdraw, stop and extend."""

import datetime as dt

import pytest
import time_machine

from motcua.dossiers import access, actions
from motcua.dossiers.errors import ActionRefused, InvalidTransition
from motcua.dossiers.models import DeadlineChange, EventKind, StepStatus
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


class ClosingTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)

    def finish(self) -> None:
        actions.forward(self.dossier.pk, actor=self.p.binh)
        actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        actions.forward(self.dossier.pk, actor=self.p.chi)
        actions.forward(self.dossier.pk, actor=self.p.hung, result_summary="Kết quả")

    def test_returning_by_post_needs_the_tracking_number(self) -> None:
        self.finish()
        with pytest.raises(ActionRefused, match="số hiệu bưu gửi"):
            actions.return_result(self.dossier.pk, actor=self.p.binh, via="post")
        actions.return_result(
            self.dossier.pk, actor=self.p.binh, via="post", tracking_number="EB123456789VN"
        )
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.RETURNED
        assert (self.dossier.returned_via, self.dossier.postal_tracking_number) == (
            "post",
            "EB123456789VN",
        )
        assert not self.dossier.steps.filter(status__in=["active", "pending"]).exists()

    def test_a_result_is_returned_only_when_it_is_ready(self) -> None:
        with pytest.raises(InvalidTransition):
            actions.return_result(self.dossier.pk, actor=self.p.binh)

    def test_the_applicant_withdraws_before_a_result_exists(self) -> None:
        actions.withdraw(self.dossier.pk, actor=self.p.an, reason="Không còn nhu cầu")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.WITHDRAWN
        assert self.dossier.closed_at is not None
        assert set(self.dossier.steps.values_list("status", flat=True)) == {StepStatus.CANCELLED}

    def test_nobody_withdraws_once_the_result_exists(self) -> None:
        self.finish()
        self.dossier.refresh_from_db()
        assert "withdraw" not in access.allowed_actions(self.p.an, self.dossier)
        with pytest.raises(InvalidTransition):
            actions.withdraw(self.dossier.pk, actor=self.p.an, reason="x")

    def test_another_citizen_cannot_withdraw_ans_dossier(self) -> None:
        with pytest.raises(ActionRefused):
            actions.withdraw(self.dossier.pk, actor=self.p.ha, reason="x")

    def test_the_signing_leader_stops_processing_with_form_05(self) -> None:
        with pytest.raises(ActionRefused):
            actions.stop(self.dossier.pk, actor=self.p.binh, reason="x")
        actions.stop(self.dossier.pk, actor=self.p.hung, reason="Không đủ điều kiện")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.STOPPED
        assert self.dossier.events.get(kind=EventKind.STOPPED).form == "05"


class ExtendTests(PersonaTestCase):
    def setUp(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):  # due Thu 19/03 09:00
            self.dossier = desk_dossier(self.p, version)

    def test_the_leader_apologises_and_extends_once_with_form_04(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
            actions.extend(
                self.dossier.pk,
                actor=self.p.hung,
                new_due=dt.date(2026, 3, 24),
                reason="Chờ kết quả xác minh",
            )
        self.dossier.refresh_from_db()
        assert self.dossier.due_at == dt.datetime(2026, 3, 24, 17, 0, tzinfo=VN)
        assert self.dossier.original_due_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VN)
        assert self.dossier.events.get(kind=EventKind.EXTENDED).form == "04"
        change = DeadlineChange.objects.filter(dossier=self.dossier, step=None).last()
        assert change is not None
        assert "Chờ kết quả xác minh" in change.reason
        with pytest.raises(ActionRefused, match="một lần"):
            actions.extend(
                self.dossier.pk, actor=self.p.hung, new_due=dt.date(2026, 3, 25), reason="lần hai"
            )

    def test_less_than_one_working_day_before_the_due_time_is_too_late(self) -> None:
        with (
            time_machine.travel(dt.datetime(2026, 3, 18, 10, 0, tzinfo=VN), tick=False),
            pytest.raises(ActionRefused, match="ít nhất một ngày làm việc"),
        ):
            actions.extend(
                self.dossier.pk, actor=self.p.hung, new_due=dt.date(2026, 3, 24), reason="muộn"
            )

    def test_the_new_date_must_be_a_later_working_day(self) -> None:
        with pytest.raises(ActionRefused, match="không phải ngày làm việc"):
            actions.extend(
                self.dossier.pk, actor=self.p.hung, new_due=dt.date(2026, 3, 21), reason="x"
            )
        with pytest.raises(ActionRefused, match="sau hạn hiện tại"):
            actions.extend(
                self.dossier.pk,
                actor=self.p.hung,
                new_due=dt.datetime(2026, 3, 18, 9, 0, tzinfo=VN),
                reason="x",
            )

    def test_only_the_signing_leader_extends(self) -> None:
        for officer in (self.p.binh, self.p.chi, self.p.dung):
            with pytest.raises(ActionRefused):
                actions.extend(
                    self.dossier.pk, actor=officer, new_due=dt.date(2026, 3, 24), reason="x"
                )
