import datetime as dt

import pytest
import time_machine

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier, DossierCodeCounter, EventKind
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_procedure
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure, submission


class ReceiveAtDeskTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()

    def test_accepting_at_the_desk_issues_the_code_the_appointment_and_form_01(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            first = desk_dossier(self.p, self.version)
            second = desk_dossier(self.p, self.version)
        assert first.code == "H99.00001.01-260316-0001"
        assert second.code == "H99.00001.01-260316-0002"
        assert first.status == DossierStatus.ACCEPTED
        assert first.receiving_centre == self.p.centre_a
        assert first.competent_unit == self.p.commune_a
        assert first.applicant == self.p.an
        assert [c.name for c in first.components.all()] == ["Tờ khai"]
        assert list(first.events.values_list("kind", "form")) == [
            (EventKind.RECEIVED, ""),
            (EventKind.ACCEPTED, "01"),
        ]
        assert first.due_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VN)

    def test_the_counter_starts_again_each_day(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            desk_dossier(self.p, self.version)
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
            tuesday = desk_dossier(self.p, self.version)
        assert tuesday.code == "H99.00001.01-260317-0001"
        assert DossierCodeCounter.objects.count() == 2

    def test_a_refusal_at_the_desk_needs_a_reason_and_writes_nothing_without_one(self) -> None:
        with pytest.raises(ActionRefused, match="lý do từ chối"):
            desk_dossier(self.p, self.version, decision="refuse")
        assert not Dossier.objects.exists()
        assert not DossierCodeCounter.objects.exists()  # the number went back with the rollback
        dossier = desk_dossier(
            self.p, self.version, decision="refuse", reason="Không thuộc thẩm quyền"
        )
        assert dossier.status == DossierStatus.REFUSED
        assert dossier.events.last().form == "03"  # type: ignore[union-attr]
        assert dossier.closed_at is not None

    def test_an_incomplete_paper_dossier_is_sent_back_for_supplements_without_a_clock(self) -> None:
        dossier = desk_dossier(self.p, self.version, decision="supplement", reason="Thiếu tờ khai")
        assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
        assert dossier.due_at is None
        assert dossier.paused_at is None

    def test_an_officer_of_another_commune_cannot_receive_at_commune_a(self) -> None:
        with pytest.raises(ActionRefused, match="không có quyền tiếp nhận"):
            actions.receive_at_desk(submission(self.p, self.version), officer=self.p.dung)
        assert not Dossier.objects.exists()

    def test_a_specialist_is_not_a_reception_officer(self) -> None:
        with pytest.raises(ActionRefused):
            actions.receive_at_desk(submission(self.p, self.version), officer=self.p.chi)

    def test_a_draft_procedure_cannot_be_received(self) -> None:
        draft = make_procedure("1.000999", "Nháp", publish=False)
        with pytest.raises(ActionRefused, match="chưa được công bố"):
            desk_dossier(self.p, draft)

    def test_a_postal_dossier_records_its_channel(self) -> None:
        dossier = actions.receive_at_desk(
            submission(self.p, self.version), officer=self.p.binh, channel="postal"
        )
        assert dossier.channel == "postal"
        with pytest.raises(ActionRefused, match="trực tiếp hoặc qua bưu chính"):
            actions.receive_at_desk(
                submission(self.p, self.version), officer=self.p.binh, channel="online"
            )

    def test_the_applicants_name_is_required(self) -> None:
        bad = submission(self.p, self.version, applicant=actions.Applicant(name="  "))
        with pytest.raises(ActionRefused, match="họ tên"):
            actions.receive_at_desk(bad, officer=self.p.binh)
