"""A direct dossier from the desk to the returned result, through every step."""

import datetime as dt

import time_machine

from motcua.dossiers import actions
from motcua.dossiers.models import DeadlineChange, DossierStep, EventKind, StepStatus
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


class LifecycleTests(PersonaTestCase):
    def test_a_desk_dossier_goes_from_intake_to_the_returned_result(self) -> None:
        p = self.p
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(p, version)
        assert dossier.status == DossierStatus.ACCEPTED
        assert dossier.code.startswith("H99.00001.01-260316-")
        assert dossier.due_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VN)  # 3 working days
        steps = list(dossier.steps.order_by("position"))
        assert [s.status for s in steps] == ["active", "pending", "pending", "pending", "pending"]
        assert [f"{s.due_at.astimezone(VN):%d %H:%M}" for s in steps if s.due_at] == [
            "16 14:30",
            "17 09:00",
            "18 14:30",
            "19 09:00",
            "19 09:00",
        ]
        assert steps[0].unit == p.centre_a
        assert steps[1].unit == p.commune_a

        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=2), tick=False):
            actions.forward(dossier.pk, actor=p.binh)
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=3), tick=False):
            actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
            actions.forward(dossier.pk, actor=p.chi, note="Hồ sơ hợp lệ")
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=3, hours=1), tick=False):
            actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12/GXN")
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.RESULT_READY
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=3, hours=2), tick=False):
            actions.return_result(dossier.pk, actor=p.binh)
        dossier.refresh_from_db()
        assert dossier.status == DossierStatus.RETURNED
        assert dossier.closed_at is not None

        done = list(DossierStep.objects.filter(dossier=dossier).order_by("position"))
        assert [s.status for s in done] == [StepStatus.DONE] * 5
        # judged by day (A5): the leader signed at 10:00 on the day his step was due at 09:00
        assert [s.punctuality for s in done[:4]] == ["on_time", "early", "early", "on_time"]
        kinds = list(dossier.events.values_list("kind", flat=True))
        assert kinds == [
            EventKind.RECEIVED,
            EventKind.ACCEPTED,
            EventKind.FORWARDED,
            EventKind.FORWARDED,
            EventKind.FORWARDED,
            EventKind.APPROVED,
            EventKind.RESULT_READY,
            EventKind.RETURNED,
        ]
        accepted = dossier.events.get(kind=EventKind.ACCEPTED)
        assert accepted.form == "01"
        assert accepted.actor == p.binh
        assert DeadlineChange.objects.filter(dossier=dossier, step=None).count() == 1
