import datetime as dt

import pytest
import time_machine

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier, EventKind
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_procedure
from motcua.testing.dossiers import (
    MONDAY_9AM,
    VN,
    make_process_procedure,
    online_dossier,
    submission,
)


class SubmitOnlineTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()

    def test_an_online_dossier_waits_for_acceptance_within_the_working_day(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = online_dossier(self.p, self.version)
        assert dossier.status == DossierStatus.SUBMITTED
        assert dossier.channel == "online"
        assert dossier.intake_due_at == dt.datetime(2026, 3, 16, 17, 0, tzinfo=VN)
        assert dossier.due_at is None
        assert dossier.events.get().kind == EventKind.SUBMITTED
        assert len(dossier.lookup_secret) == 6

    def test_one_sent_on_friday_evening_is_due_for_acceptance_on_monday(self) -> None:
        with time_machine.travel(dt.datetime(2026, 3, 20, 20, 0, tzinfo=VN), tick=False):
            dossier = online_dossier(self.p, self.version)
        assert dossier.intake_due_at == dt.datetime(2026, 3, 23, 17, 0, tzinfo=VN)

    def test_the_same_key_twice_gives_the_same_dossier(self) -> None:
        first = online_dossier(self.p, self.version, key="abc")
        again = online_dossier(self.p, self.version, key="abc")
        other = online_dossier(self.p, self.version, key="xyz")
        assert first.pk == again.pk
        assert other.pk != first.pk
        assert Dossier.objects.count() == 2

    def test_the_same_key_from_another_applicant_is_another_dossier(self) -> None:
        mine = online_dossier(self.p, self.version, key="abc")
        theirs = actions.submit_online(
            submission(self.p, self.version), applicant_user=self.p.ha, idempotency_key="abc"
        )
        assert mine.pk != theirs.pk

    def test_a_key_is_required(self) -> None:
        with pytest.raises(ActionRefused, match="idempotency"):
            actions.submit_online(
                submission(self.p, self.version), applicant_user=self.p.an, idempotency_key=""
            )


class SubmitOnlineRulesTests(PersonaTestCase):
    def test_a_procedure_without_online_service_cannot_be_submitted_online(self) -> None:
        offline = make_procedure("2.000001", "Thủ tục chỉ nộp trực tiếp", online_mode="none")
        with pytest.raises(ActionRefused, match="không cung cấp dịch vụ công trực tuyến"):
            actions.submit_online(
                submission(self.p, offline), applicant_user=self.p.an, idempotency_key="k"
            )
        assert not Dossier.objects.exists()

    def test_the_competent_unit_must_be_of_the_kind_the_procedure_names(self) -> None:
        version = make_process_procedure()  # decided by a commune
        with pytest.raises(ActionRefused, match="không phải là cơ quan có thẩm quyền"):
            actions.submit_online(
                submission(self.p, version, competent_unit_id=self.p.province.pk),
                applicant_user=self.p.an,
                idempotency_key="k",
            )
