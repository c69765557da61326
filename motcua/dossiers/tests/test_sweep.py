import datetime as dt
import io

import time_machine
from django.core.management import call_command

from motcua.dossiers import actions
from motcua.dossiers.models import DossierEvent, EventKind
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


class SweepTests(PersonaTestCase):
    def setUp(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):  # due Thu 19/03 09:00
            self.dossier = desk_dossier(self.p, version)

    def sweep_at(self, moment: dt.datetime) -> actions.sweep.SweepReport:
        with time_machine.travel(moment, tick=False):
            return actions.sweep_deadlines()

    def test_nothing_is_flagged_while_more_than_a_working_day_is_left(self) -> None:
        report = self.sweep_at(dt.datetime(2026, 3, 17, 9, 0, tzinfo=VN))
        assert (report.due_soon, report.overdue) == (0, 0)

    def test_less_than_one_working_day_left_is_flagged_once(self) -> None:
        first = self.sweep_at(dt.datetime(2026, 3, 18, 10, 0, tzinfo=VN))
        second = self.sweep_at(dt.datetime(2026, 3, 18, 11, 0, tzinfo=VN))
        assert (first.due_soon, second.due_soon) == (1, 0)
        assert DossierEvent.objects.filter(kind=EventKind.DUE_SOON, step=None).count() == 1

    def test_past_the_due_time_it_is_flagged_overdue_once(self) -> None:
        self.sweep_at(dt.datetime(2026, 3, 19, 10, 0, tzinfo=VN))
        self.sweep_at(dt.datetime(2026, 3, 20, 10, 0, tzinfo=VN))
        self.dossier.refresh_from_db()
        assert self.dossier.overdue_at == dt.datetime(2026, 3, 19, 10, 0, tzinfo=VN)
        assert self.dossier.is_open
        assert DossierEvent.objects.filter(kind=EventKind.OVERDUE, step=None).count() == 1

    def test_an_overdue_step_is_flagged_for_its_own_unit(self) -> None:
        report = self.sweep_at(dt.datetime(2026, 3, 16, 15, 0, tzinfo=VN))  # step 1 due 14:30
        assert report.steps_overdue == 1
        event = DossierEvent.objects.get(kind=EventKind.OVERDUE)
        assert event.step is not None
        assert event.step.unit == self.p.centre_a

    def test_a_dossier_waiting_for_a_supplement_is_never_flagged(self) -> None:
        actions.request_supplement(self.dossier.pk, actor=self.p.binh, missing="x")
        report = self.sweep_at(dt.datetime(2026, 4, 30, 10, 0, tzinfo=VN))
        assert (report.overdue, report.steps_overdue) == (0, 0)

    def test_the_command_prints_a_summary(self) -> None:
        out = io.StringIO()
        with time_machine.travel(dt.datetime(2026, 3, 19, 10, 0, tzinfo=VN), tick=False):
            call_command("sweep_deadlines", stdout=out)
        assert out.getvalue().startswith("Quét thời hạn: 1 hồ sơ quá hạn")
