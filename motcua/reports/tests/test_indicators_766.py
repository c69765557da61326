"""The Decision 766 counters the form 06 dataset does not exercise, on a small hand-built
week (the period of test_form06: Monday 16 to Friday 20 March 2026, 3-working-day
procedures, accepted on Monday at 09:00 → due on Thursday at 09:00). All in commune A:

- M1 (desk): two supplement requests, result ready on Tuesday → early, late for 766 2.1;
- M2 (desk): one supplement request, result ready on Tuesday → early, stays on time;
- M3 (desk): two supplement requests, withdrawn on Wednesday → late for 766 2.1;
- X1 (desk): one component obtained by exchange between agencies → reuses data (4.3);
- E1 (desk): every component scanned, electronic result → digitised with result (4.2);
- O1 (online): procedure whose result is a document, electronic result → counts for 3.3;
- O2 (online): procedure whose result is a document, paper result only → does not;
- O3 (online): procedure whose result is not a document, still open (overdue at the end)
  → counts for 3.3.

Received 8, all in the period; closed within deadline 7 (O3 overdue), of which 2 after two
supplement requests.
"""

from __future__ import annotations

from typing import ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import DocumentType, ProcedureVersion
from motcua.documents import pki
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Exemption
from motcua.reports.folding import fold_pending, recount
from motcua.reports.indicators import Scores, build_scores
from motcua.reports.indicators_drill import indicator_dossiers
from motcua.reports.models import DailyFlow, DossierFact
from motcua.reports.tests.helpers import ask_supplement, at, desk, finish, procedure
from motcua.reports.tests.test_form06 import END, LATER, START
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import online_dossier, submission


class Counters766Tests(PersonaTestCase):
    ids: ClassVar[dict[str, int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        civil = procedure("1.000001", "Đăng ký khai sinh", field="Hộ tịch")
        paper = procedure("5.000005", "Cấp giấy xác nhận", field="Hộ tịch")
        electronic = procedure("4.000004", "Cấp bản sao trích lục hộ tịch", field="Hộ tịch")
        kind = DocumentType.objects.create(code="TRICH-LUC", name="Trích lục hộ tịch")
        ProcedureVersion.objects.filter(pk=paper.pk).update(result_document_type=kind)
        ProcedureVersion.objects.filter(pk=electronic.pk).update(
            result_document_type=kind, result_electronic=True
        )
        paper.refresh_from_db()
        electronic.refresh_from_db()
        scanned = [
            actions.ReceivedComponent(
                name=c.name,
                copy_type=c.copy_type,
                component_id=c.pk,
                upload=SimpleUploadedFile(
                    "to-khai.pdf", small_pdf("Tờ khai"), content_type="application/pdf"
                ),
            )
            for c in electronic.components.all()
        ]
        exchanged = [
            actions.ReceivedComponent(
                name=c.name,
                copy_type=c.copy_type,
                component_id=c.pk,
                exemption=Exemption.EXCHANGED,
            )
            for c in civil.components.all()
        ]
        assert scanned
        assert exchanged

        with at(2026, 3, 1):
            pki.issue_demo_certificate(p.hung, pki.create_demo_authority())
        with at(2026, 3, 16):
            m1, m2, m3 = desk(p, civil), desk(p, civil), desk(p, civil)
            x1 = actions.receive_at_desk(
                submission(p, civil, components=exchanged),
                officer=p.binh,
                channel=Channel.DIRECT,
                decision="accept",
                reason="",
                applicant_user=p.an,
            )
            e1 = actions.receive_at_desk(
                submission(p, electronic, components=scanned),
                officer=p.binh,
                channel=Channel.DIRECT,
                decision="accept",
                reason="",
                applicant_user=p.an,
            )
            o1 = online_dossier(p, electronic, key="o1")
            o2 = online_dossier(p, paper, key="o2")
            o3 = online_dossier(p, civil, key="o3")
            for online in (o1, o2, o3):
                actions.accept(online.pk, actor=p.binh)
        with at(2026, 3, 16, 10):
            for dossier in (m1, m2, m3):
                ask_supplement(p, dossier)
        with at(2026, 3, 17):
            for dossier in (m1, m3):
                ask_supplement(p, dossier)
            for dossier in (m1, m2, x1, e1, o1, o2):
                finish(p, dossier)
        with at(2026, 3, 18):
            actions.withdraw(m3.pk, actor=p.an, reason="Không còn nhu cầu")
        fold_pending()
        named = {"m1": m1, "m2": m2, "m3": m3, "x1": x1, "e1": e1, "o1": o1, "o2": o2, "o3": o3}
        cls.ids = {name: dossier.pk for name, dossier in named.items()}

    def scores(self) -> Scores:
        return build_scores(self.p.province, START, END, now=LATER)

    def listed(self, code: str, part: str) -> list[int]:
        return indicator_dossiers(self.p.province, START, END, code, part, now=LATER)

    def of(self, *names: str) -> list[int]:
        return sorted(self.ids[n] for n in names)

    def test_the_facts_say_what_each_dossier_is(self) -> None:
        facts = {f.dossier_id: f for f in DossierFact.objects.all()}
        flags = {
            name: (
                facts[pk].outcome,
                facts[pk].multi_supplement,
                facts[pk].online_counted,
                facts[pk].reused,
                facts[pk].digitised and facts[pk].result_electronic,
            )
            for name, pk in self.ids.items()
        }
        assert flags == {
            "m1": ("early", True, False, False, False),
            "m2": ("early", False, False, False, False),
            "m3": ("withdrawn", True, False, False, False),
            "x1": ("early", False, False, True, False),
            "e1": ("early", False, False, False, True),
            "o1": ("early", False, True, False, False),
            "o2": ("early", False, False, False, False),
            "o3": ("", False, True, False, False),
        }

    def test_the_day_rows_count_by_closing_day_and_by_reception_day(self) -> None:
        by_day: dict[int, list[int]] = {}
        names = ("closed_multi_supplement", "online_with_result", "digitised_with_result", "reused")
        for row in DailyFlow.objects.all():  # one row per procedure and day
            into = by_day.setdefault(row.day.day, [0, 0, 0, 0])
            for i, name in enumerate(names):
                into[i] += getattr(row, name)
        by_day = {day: values for day, values in by_day.items() if any(values)}
        # received Monday 16 (3.3, 4.2, 4.3); M1 closed Tuesday 17, M3 withdrawn Wednesday 18
        assert by_day == {16: [0, 2, 1, 1], 17: [1, 0, 0, 0], 18: [1, 0, 0, 0]}

    def test_more_than_one_supplement_request_makes_a_dossier_closed_in_time_late(self) -> None:
        s = self.scores()
        assert s.figures.closed_multi_supplement == 2
        assert (s.figures.on_time, s.figures.handled) == (7, 8)  # form 06: O3 overdue
        ind = s.indicator("2.1")
        assert (ind.numerator, ind.denominator) == (5, 8)  # 7 − M1 − M3
        assert ind.points == pytest.approx(20 * 5 / 8)

    def test_the_2_1_drill_down_moves_them_from_on_time_to_late(self) -> None:
        assert self.listed("2.1", "bo_sung") == self.of("m1", "m3")
        assert self.listed("2.1", "dat") == self.of("m2", "x1", "e1", "o1", "o2")
        assert self.listed("2.1", "tre") == self.of("m1", "m3", "o3")
        assert len(self.listed("2.1", "mau")) == 8

    def test_an_online_dossier_counts_with_an_electronic_result_or_no_document_result(
        self,
    ) -> None:
        ind = self.scores().indicator("3.3")
        assert (ind.numerator, ind.denominator) == (2, 8)
        assert ind.points == pytest.approx(22 / 3 * 0.25 / 0.5)
        assert self.listed("3.3", "dat") == self.of("o1", "o3")
        assert len(self.listed("3.3", "mau")) == 8

    def test_digitised_means_inputs_at_intake_and_an_electronic_result(self) -> None:
        ind = self.scores().indicator("4.2")
        assert (ind.numerator, ind.denominator) == (1, 8)
        assert self.listed("4.2", "dat") == self.of("e1")
        assert len(self.listed("4.2", "mau")) == 8

    def test_a_component_obtained_by_exchange_counts_as_reused_data(self) -> None:
        ind = self.scores().indicator("4.3")
        assert (ind.numerator, ind.denominator) == (1, 8)
        assert ind.max_points == pytest.approx(22 / 3)
        assert self.listed("4.3", "dat") == self.of("x1")
        assert len(self.listed("4.3", "mau")) == 8

    def test_recount_rebuilds_exactly_the_new_counters(self) -> None:
        assert recount(write=False).difference == 0
        DailyFlow.objects.update(closed_multi_supplement=0, reused=0)
        assert recount(write=False).rows_differing == 3  # days 16, 17, 18
        recount()
        assert recount(write=False).difference == 0
        assert self.scores().indicator("2.1").numerator == 5
