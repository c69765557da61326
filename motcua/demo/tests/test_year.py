import datetime as dt
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import TestCase

from motcua.accounts.models import User
from motcua.catalog.demo import load_demo_catalog
from motcua.demo.seed import SeedReport, seed_organisation, seed_people
from motcua.demo.year import Report, generate_year, generated_count
from motcua.dossiers.models import (
    Channel,
    DeadlineChange,
    Dossier,
    DossierEvent,
    EventKind,
    StepStatus,
)
from motcua.dossiers.status import OPEN, DossierStatus
from motcua.reports.folding import project_many, recount
from motcua.reports.models import DossierFact, Outcome

NOW = dt.datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
N = 300


class GeneratedYearTests(TestCase):
    report: Report

    @classmethod
    def setUpTestData(cls) -> None:
        report = SeedReport()
        seed_organisation(report, progress=False)
        seed_people(report, progress=False)
        load_demo_catalog(progress=False)
        cls.report = generate_year(N, seed=7, now=NOW, progress=False)

    def test_the_command_creates_n_dossiers_with_every_status_channel_and_outcome(self) -> None:
        dossiers = Dossier.objects.all()
        self.assertEqual(dossiers.count(), N)
        self.assertEqual(generated_count(), N)
        statuses = Counter(dossiers.values_list("status", flat=True))
        for status in (
            DossierStatus.RETURNED,
            DossierStatus.REFUSED,
            DossierStatus.WITHDRAWN,
            DossierStatus.PROCESSING,
        ):
            self.assertIn(status, statuses)
        self.assertTrue(any(DossierStatus(s) in OPEN for s in statuses))
        channels = Counter(dossiers.values_list("channel", flat=True))
        self.assertEqual(set(channels), set(Channel))
        self.assertTrue(0.5 < channels[Channel.ONLINE] / N < 0.75, channels)
        outcomes = Counter(DossierFact.objects.values_list("outcome", flat=True))
        for outcome in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE, Outcome.WITHDRAWN):
            self.assertIn(outcome, outcomes)
        self.assertTrue(DossierEvent.objects.filter(kind=EventKind.SUPPLEMENT_RECEIVED).exists())
        self.assertTrue(dossiers.filter(submitted_at__lte=NOW).count() == N)
        self.assertIn("Đã sinh 300 hồ sơ", self.report.summary())

    def test_recount_afterwards_finds_nothing_to_repair(self) -> None:
        result = recount(write=False)
        self.assertEqual(result.dossiers, DossierFact.objects.count())
        self.assertGreater(result.rows, 0)
        self.assertEqual(
            (result.facts_differing, result.rows_differing, result.total_rows_differing),
            (0, 0, 0),
        )

    def test_each_due_time_is_what_the_ledger_and_the_pause_events_say(self) -> None:
        received = list(Dossier.objects.filter(accepted_at__isnull=False).order_by("pk"))
        facts = project_many([d.pk for d in received])
        for dossier in received:
            latest = (
                DeadlineChange.objects.filter(dossier=dossier, step=None)
                .order_by("at", "pk")
                .last()
            )
            assert latest is not None
            self.assertEqual(latest.new_due_at, dossier.due_at, dossier.code)
            self.assertEqual(facts[dossier.pk].due_at, dossier.due_at, dossier.code)
            kinds = list(dossier.events.values_list("kind", flat=True))
            self.assertEqual(kinds.count(EventKind.ACCEPTED), 1)
            if dossier.status == DossierStatus.RETURNED:
                self.assertFalse(
                    dossier.steps.filter(
                        status__in=[StepStatus.ACTIVE, StepStatus.PENDING]
                    ).exists()
                )
            if dossier.status == DossierStatus.PROCESSING:
                self.assertEqual(dossier.steps.filter(status=StepStatus.ACTIVE).count(), 1)

    def test_a_generated_dossiers_back_office_and_citizen_pages_open(self) -> None:
        binh = User.objects.get(username="binh")
        self.client.force_login(binh)
        mine = Dossier.objects.filter(receiving_centre__parent__code="H56.14797")
        self.assertTrue(mine.exists())
        for status in set(mine.values_list("status", flat=True)):
            dossier = mine.filter(status=status).first()
            assert dossier is not None
            response = self.client.get(f"/can-bo/ho-so/{dossier.pk}/")
            self.assertEqual(response.status_code, 200, (status, dossier.code))
            self.assertContains(response, dossier.code)
        owned = Dossier.objects.filter(applicant__isnull=False).select_related("applicant")
        self.assertTrue(owned.exists())
        for dossier in owned[:3]:
            assert dossier.applicant is not None
            self.client.force_login(dossier.applicant)
            response = self.client.get(f"/ca-nhan/ho-so/{dossier.pk}/")
            self.assertEqual(response.status_code, 200, dossier.code)

    def test_running_twice_does_not_double_the_data(self) -> None:
        events = DossierEvent.objects.count()
        second = generate_year(N, seed=8, now=NOW, progress=False)
        self.assertEqual((second.created, second.skipped), (0, N))
        out = StringIO()
        call_command("seed_demo_year", "--dossiers", "50", verbosity=0, stdout=out)
        self.assertIn("không sinh thêm", out.getvalue())
        self.assertEqual(Dossier.objects.count(), N)
        self.assertEqual(DossierEvent.objects.count(), events)
