import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


class PaymentTests(PersonaTestCase):
    def test_the_time_waiting_for_payment_is_not_the_agencys(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(self.p, version)
            actions.forward(dossier.pk, actor=self.p.binh)
            actions.forward(dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
            actions.request_payment(
                dossier.pk, actor=self.p.chi, description="Lệ phí trước bạ", amount=Decimal(150000)
            )
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.AWAITING_PAYMENT
        assert dossier.paused_at is not None
        with pytest.raises(ActionRefused, match="số biên lai"):
            actions.record_payment(dossier.pk, actor=self.p.binh, receipt_number="")
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
            actions.record_payment(dossier.pk, actor=self.p.binh, receipt_number="BL-0042")
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.PROCESSING
        assert dossier.paused_seconds == 8 * 3600
        assert dossier.due_at == dt.datetime(2026, 3, 20, 9, 0, tzinfo=VN)  # one day later
        payment = dossier.payments.get()
        assert (payment.amount, payment.receipt_number, payment.recorded_by) == (
            Decimal(150000),
            "BL-0042",
            self.p.binh,
        )

    def test_a_payment_needs_a_description_and_an_amount(self) -> None:
        version = make_process_procedure()
        dossier = desk_dossier(self.p, version)
        actions.forward(dossier.pk, actor=self.p.binh)
        with pytest.raises(ActionRefused):
            actions.request_payment(
                dossier.pk, actor=self.p.giang, description="Phí", amount=Decimal(0)
            )
