import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.catalog.models import Step
from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused, InvalidTransition
from motcua.dossiers.models import DeadlineChange, EventKind
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_procedure
from motcua.testing.dossiers import MONDAY_9AM, VN, make_process_procedure, online_dossier


class AcceptTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()

    def test_accepting_sets_the_appointment_steps_and_ledger(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = online_dossier(self.p, self.version)
            actions.accept(dossier.pk, actor=self.p.binh)
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.ACCEPTED
        assert (
            dossier.due_at == dossier.original_due_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VN)
        )
        change = DeadlineChange.objects.get(dossier=dossier, step=None)
        assert change.reason == "hẹn trả kết quả khi tiếp nhận"
        assert change.explanation[-1] == "hạn: 09:00 thứ Năm 19/03/2026"
        event = dossier.events.get(kind=EventKind.ACCEPTED)
        assert event.form == "01"
        assert event.from_status == DossierStatus.SUBMITTED
        assert dossier.steps.count() == 5

    def test_accepted_after_hours_the_clock_starts_next_morning(self) -> None:
        with time_machine.travel(dt.datetime(2026, 3, 20, 18, 0, tzinfo=VN), tick=False):
            dossier = online_dossier(self.p, self.version)
            actions.accept(dossier.pk, actor=self.p.binh)
        dossier.refresh_from_db()
        assert dossier.clock_started_at == dt.datetime(2026, 3, 23, 7, 30, tzinfo=VN)
        assert dossier.due_at == dt.datetime(2026, 3, 25, 17, 0, tzinfo=VN)

    def test_an_online_dossier_gets_the_shorter_online_limit(self) -> None:
        version = make_procedure(
            "1.000010",
            "Trực tuyến nhanh",
            limit="3",
            publish=False,
            online_time_limit_value=Decimal(2),
        )
        Step.objects.filter(version=version, counted=True).update(online_budget_hours=Decimal(8))
        from motcua.catalog import versions

        versions.publish(version.pk)
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = online_dossier(self.p, version)
            actions.accept(dossier.pk, actor=self.p.binh)
        dossier.refresh_from_db()
        assert dossier.due_at == dt.datetime(2026, 3, 18, 9, 0, tzinfo=VN)  # 2, not 3, days

    def test_a_same_day_procedure_accepted_at_15_00_is_due_next_working_day(self) -> None:
        version = make_procedure(
            "1.001193", "Đăng ký khai sinh", unit="same_day", limit="0", steps=("2", "6")
        )
        with time_machine.travel(dt.datetime(2026, 3, 20, 15, 0, tzinfo=VN), tick=False):
            dossier = online_dossier(self.p, version)
            actions.accept(dossier.pk, actor=self.p.binh)
        dossier.refresh_from_db()
        assert dossier.due_at == dt.datetime(2026, 3, 23, 17, 0, tzinfo=VN)

    def test_only_a_reception_officer_of_the_receiving_centre_may_accept(self) -> None:
        dossier = online_dossier(self.p, self.version)
        for officer in (self.p.dung, self.p.chi, self.p.thu):
            with pytest.raises(ActionRefused, match="không có quyền"):
                actions.accept(dossier.pk, actor=officer)
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.SUBMITTED

    def test_a_dossier_is_accepted_only_once(self) -> None:
        dossier = online_dossier(self.p, self.version)
        actions.accept(dossier.pk, actor=self.p.binh)
        with pytest.raises(InvalidTransition, match="Đã tiếp nhận"):
            actions.accept(dossier.pk, actor=self.p.binh)
        assert dossier.events.filter(kind=EventKind.ACCEPTED).count() == 1
