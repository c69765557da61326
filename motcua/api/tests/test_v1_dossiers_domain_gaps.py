"""Rules the API checks before calling `actions.submit_online`, which the action itself does
not check yet: another caller of the action (the portal) would get past them. Strict
xfails: they start failing, and must be unmarked, as soon as the domain checks them."""

import pytest

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_procedure
from motcua.testing.dossiers import make_process_procedure, submission


class SubmitOnlineGapTests(PersonaTestCase):
    @pytest.mark.xfail(
        strict=True,
        reason="dossiers.actions.submit_online accepts a procedure without online service",
    )
    def test_submit_online_refuses_a_procedure_without_online_service(self) -> None:
        offline = make_procedure("2.000001", "Thủ tục chỉ nộp trực tiếp", online_mode="none")
        with pytest.raises(ActionRefused):
            actions.submit_online(
                submission(self.p, offline), applicant_user=self.p.an, idempotency_key="k"
            )

    @pytest.mark.xfail(
        strict=True,
        reason="dossiers.actions.submit_online accepts a competent unit of another kind",
    )
    def test_submit_online_refuses_a_competent_unit_of_the_wrong_kind(self) -> None:
        version = make_process_procedure()  # decided by a commune
        with pytest.raises(ActionRefused):
            actions.submit_online(
                submission(self.p, version, competent_unit_id=self.p.province.pk),
                applicant_user=self.p.an,
                idempotency_key="k",
            )
