"""Folding events into the rollups: after the commit, idempotent, and time passing alone
moves a dossier from within deadline to overdue."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.test import TransactionTestCase

from motcua.core.calendars import invalidate_calendars
from motcua.core.models import CalendarOverride, CalendarOverrideKind
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.reports.folding import fold_pending, recount
from motcua.reports.form06 import build_form06
from motcua.reports.models import (
    DailyFlow,
    DossierFact,
    FoldLock,
    PendingFold,
    RunningTotal,
)
from motcua.reports.tests.helpers import at, desk, finish
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import VN, make_process_procedure
from motcua.testing.personas import build_personas

MONDAY, THURSDAY = dt.date(2026, 3, 16), dt.date(2026, 3, 19)


class FoldingTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with at(2026, 3, 16):  # due Thursday 19/03 09:00
            self.dossier = desk(self.p, self.version)

    def open_split(self, end: dt.date, now: dt.datetime) -> tuple[int, int]:
        form = build_form06(self.p.province, MONDAY, end, now=now)
        return form.total.open_within, form.total.open_overdue

    def test_each_event_leaves_its_dossier_pending_until_the_fold(self) -> None:
        assert set(PendingFold.objects.values_list("dossier_id", flat=True)) == {self.dossier.pk}
        assert fold_pending() == 1
        assert not PendingFold.objects.exists()
        assert DossierFact.objects.get().received_on == MONDAY

    def test_folding_again_changes_nothing(self) -> None:
        fold_pending()
        before = list(DailyFlow.objects.order_by("pk").values())
        PendingFold.objects.create(dossier_id=self.dossier.pk)
        assert fold_pending() == 1
        assert list(DailyFlow.objects.order_by("pk").values()) == before

    def test_a_dossier_becomes_overdue_as_time_passes_without_any_event(self) -> None:
        fold_pending()
        wednesday_noon = dt.datetime(2026, 3, 18, 12, 0, tzinfo=VN)
        thursday_ten = dt.datetime(2026, 3, 19, 10, 0, tzinfo=VN)
        # as of now, for a period that ends today
        assert self.open_split(dt.date(2026, 3, 18), wednesday_noon) == (1, 0)
        assert self.open_split(THURSDAY, thursday_ten) == (0, 1)
        # at the end of past days: due on Thursday, still open at its end → overdue
        later = dt.datetime(2026, 4, 1, 9, 0, tzinfo=VN)
        assert self.open_split(dt.date(2026, 3, 18), later) == (1, 0)
        assert self.open_split(THURSDAY, later) == (0, 1)

    def test_recount_moves_appointments_by_the_competent_units_own_calendar(self) -> None:
        CalendarOverride.objects.create(
            day=dt.date(2026, 3, 31),
            kind=CalendarOverrideKind.DAY_OFF,
            name="Nghỉ của xã",
            legal_source="Quyết định của UBND xã",
            unit=self.dossier.competent_unit,
        )
        invalidate_calendars()
        with at(2026, 3, 17):
            actions.request_supplement(self.dossier.pk, actor=self.p.binh, missing="Giấy tờ")
        with at(2026, 3, 30):  # one working day used; Tuesday 31/03 is off at this unit only
            actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        fold_pending()
        assert DossierFact.objects.get().due_at == dt.datetime(2026, 4, 2, 9, 0, tzinfo=VN)
        assert recount(write=False).difference == 0  # the set-based one on PostgreSQL
        assert recount(write=False, method="python").difference == 0

    def test_the_deadline_sweep_flag_changes_no_count(self) -> None:
        fold_pending()
        before = list(DailyFlow.objects.order_by("pk").values())
        with at(2026, 3, 19, 10):
            report = actions.sweep_deadlines()
        assert report.overdue == 1
        fold_pending()
        assert list(DailyFlow.objects.order_by("pk").values()) == before
        assert recount(write=False).difference == 0

    def test_a_supplement_waiting_at_the_end_counts_within_deadline(self) -> None:
        with at(2026, 3, 17):
            actions.request_supplement(self.dossier.pk, actor=self.p.binh, missing="Giấy tờ")
        fold_pending()
        later = dt.datetime(2026, 4, 10, 9, 0, tzinfo=VN)
        assert self.open_split(dt.date(2026, 3, 27), later) == (1, 0)
        with at(2026, 3, 30):  # Monday: one working day had been used; due Wed 01/04
            actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        fold_pending()
        fact = DossierFact.objects.get()
        assert fact.due_at == dt.datetime(2026, 4, 1, 9, 0, tzinfo=VN)
        assert self.open_split(dt.date(2026, 3, 31), later) == (1, 0)
        assert self.open_split(dt.date(2026, 4, 1), later) == (0, 1)
        # and before the pause it was within deadline on each day too
        assert self.open_split(dt.date(2026, 3, 16), later) == (1, 0)

    def test_recount_reports_and_repairs_a_difference(self) -> None:
        fold_pending()
        DailyFlow.objects.filter(day=MONDAY).update(received_direct=5)
        RunningTotal.objects.filter(start=dt.date(2026, 4, 1)).update(closed_late=7)
        out = io.StringIO()
        call_command("recount", "--no-progress", stdout=out)
        assert out.getvalue().strip().splitlines()[-1] == (
            "Đếm lại: 1 hồ sơ đã tiếp nhận, 3 dòng số liệu theo ngày; chênh lệch với số liệu "
            "cộng dồn: 1 dòng theo ngày, 1 dòng lũy kế, 0 hồ sơ."
        )
        out = io.StringIO()
        call_command("recount", "--no-progress", stdout=out)
        assert out.getvalue().strip().endswith("0 dòng theo ngày, 0 dòng lũy kế, 0 hồ sơ.")

    def test_recount_puts_back_a_changed_fact_and_drops_the_fact_of_a_dossier_not_received(
        self,
    ) -> None:
        fold_pending()
        DossierFact.objects.update(channel="online", received_on=dt.date(2026, 3, 1))
        report = recount(write=False)
        # the day rows counted from the dossier itself are those stored
        assert (report.facts_differing, report.rows_differing) == (1, 0)
        recount()
        assert DossierFact.objects.get().channel == "direct"
        assert recount(write=False).difference == 0
        Dossier.objects.update(accepted_at=None)  # no longer received: nothing to count
        report = recount(write=False)
        assert (report.dossiers, report.facts_differing, report.rows_differing) == (0, 1, 3)
        recount()
        assert not DossierFact.objects.exists()
        assert not DailyFlow.objects.exists()
        assert recount(write=False).difference == 0

    def test_recount_with_nothing_folded_builds_everything(self) -> None:
        with at(2026, 3, 20):  # running totals kept up to 1 April
            report = recount()
        assert (report.dossiers, report.facts_differing, report.rows_differing) == (1, 1, 3)
        assert report.total_rows_differing == 1
        assert recount(write=False).difference == 0
        assert fold_pending() == 1  # the pending event refolds to the same numbers
        assert recount(write=False).difference == 0

    def test_running_totals_follow_the_half_months_as_time_passes(self) -> None:
        with at(2026, 3, 16, 10):
            fold_pending()
        assert FoldLock.objects.get().totals_through == dt.date(2026, 4, 1)
        april = RunningTotal.objects.get(start=dt.date(2026, 4, 1))
        assert (april.received_direct, april.open_change, april.overdue_change) == (1, 1, 1)
        with at(2026, 5, 4):  # a new month, nothing to fold: the totals still move on
            assert fold_pending() == 0
        assert FoldLock.objects.get().totals_through == dt.date(2026, 5, 15)
        assert RunningTotal.objects.filter(open_change=1, overdue_change=1).count() == 4
        with at(2026, 5, 4, 10):
            finish(self.p, self.dossier)
            fold_pending()
        may = RunningTotal.objects.get(start=dt.date(2026, 5, 15))
        assert (may.closed_late, may.open_change, may.overdue_change) == (1, 0, 0)
        later = dt.datetime(2026, 7, 1, 9, 0, tzinfo=VN)
        form = build_form06(self.p.province, dt.date(2026, 5, 1), dt.date(2026, 5, 31), now=later)
        assert (form.total.carried_over, form.total.closed_late, form.total.open) == (1, 1, 0)
        assert recount(write=False).difference == 0

    def test_the_fold_command_says_how_many_dossiers_it_folded(self) -> None:
        out = io.StringIO()
        call_command("fold_reports", stdout=out)
        assert out.getvalue().strip() == "Đã tổng hợp 1 hồ sơ."


class FoldOnCommitTests(TransactionTestCase):
    def test_the_commit_enqueues_the_fold_task(self) -> None:
        p = build_personas()
        version = make_process_procedure()
        with at(2026, 3, 16):
            dossier = desk(p, version)
        with at(2026, 3, 16, 10):
            finish(p, dossier)
        # the task backend of the tests runs the task at once, after each commit
        assert not PendingFold.objects.exists()
        assert DossierFact.objects.get().outcome == "early"
        assert recount(write=False).difference == 0
