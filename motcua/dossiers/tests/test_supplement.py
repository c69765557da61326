import datetime as dt

import pytest
import time_machine

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import DeadlineChange, EventKind
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import (
    MONDAY_9AM,
    VN,
    desk_dossier,
    make_process_procedure,
    online_dossier,
)


class SupplementTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)  # due Thu 19/03 09:00
            actions.forward(self.dossier.pk, actor=self.p.binh)
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)

    def test_a_request_stops_the_clock_and_issues_form_02(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=5), tick=False):
            actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="Bản sao CCCD")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
        assert self.dossier.paused_at == dt.datetime(2026, 3, 16, 14, 0, tzinfo=VN)
        event = self.dossier.events.get(kind=EventKind.SUPPLEMENT_REQUESTED)
        assert (event.form, event.reason, event.data["repeated"]) == ("02", "Bản sao CCCD", False)

    def test_the_supplement_adds_the_working_time_waited_to_every_due_time(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=5), tick=False):  # Mon 14:00
            actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="Bản sao CCCD")
        with time_machine.travel(dt.datetime(2026, 3, 23, 10, 0, tzinfo=VN), tick=False):
            actions.receive_supplement(self.dossier.pk, actor=self.p.binh, note="Đã nộp đủ")
        self.dossier.refresh_from_db()
        # Mon 14:00 → next Mon 10:00 is 3 h + 4 × 8 h + 2,5 h = 37,5 working hours
        assert self.dossier.paused_seconds == 37.5 * 3600
        assert self.dossier.status == DossierStatus.PROCESSING
        assert self.dossier.paused_at is None
        assert self.dossier.original_due_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VN)
        assert self.dossier.due_at == dt.datetime(
            2026, 3, 25, 16, 0, tzinfo=VN
        )  # Thu 09:00 + 37,5 h
        line = DeadlineChange.objects.filter(dossier=self.dossier, step=None).last()
        assert line is not None
        assert line.reason.startswith("cộng 37,5 giờ làm việc tạm dừng chờ bổ sung")
        chi_step = self.dossier.steps.get(status="active")
        assert chi_step.due_at == dt.datetime(2026, 3, 25, 10, 30, tzinfo=VN)  # Wed 14:30 + 37,5 h

    def test_a_second_request_is_allowed_but_marked(self) -> None:
        actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="A")
        actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="B")
        self.dossier.refresh_from_db()
        assert self.dossier.supplement_requests == 2
        assert (
            self.dossier.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED)
            .last()
            .data[  # type: ignore[union-attr]
                "repeated"
            ]
            is True
        )

    def test_the_applicant_may_answer_the_request_themself(self) -> None:
        actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="A")
        actions.receive_supplement(self.dossier.pk, actor=self.p.an)
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.PROCESSING

    def test_another_citizen_cannot_answer_it(self) -> None:
        actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="A")
        with pytest.raises(ActionRefused):
            actions.receive_supplement(self.dossier.pk, actor=self.p.ha)

    def test_a_request_needs_to_say_what_is_missing(self) -> None:
        with pytest.raises(ActionRefused, match="cần bổ sung"):
            actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing=" ")


class SupplementBeforeAcceptanceTests(PersonaTestCase):
    def test_an_incomplete_online_dossier_goes_back_to_intake_without_a_clock(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = online_dossier(self.p, version)
            actions.request_supplement(dossier.pk, actor=self.p.binh, missing="Ảnh tờ khai mờ")
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=2), tick=False):
            actions.receive_supplement(dossier.pk, actor=self.p.an)
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.SUBMITTED
        assert dossier.due_at is None
        assert dossier.paused_seconds == 0
        assert dossier.intake_due_at == dt.datetime(2026, 3, 18, 17, 0, tzinfo=VN)
