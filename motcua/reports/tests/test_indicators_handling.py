"""Decision 766 indicator 2.2, the average handling time by procedure, on a hand-built week
(the period of test_form06: Monday 16 to Friday 20 March 2026), all in commune A:

- A (civil status), accepted Mon 09:00, result ready Wed 09:00: 48 hours;
- B (civil status), accepted Mon 10:00, supplement asked Mon 14:00 and received Thu 14:00
  (72 hours the applicant's), result ready Fri 10:00: 96 − 72 = 24 hours;
- C (certification), accepted Mon 09:00, result ready Mon 17:00: 8 hours;
- D (civil status), accepted Mon 09:00, withdrawn Tue 09:00: not counted (no result);
- E (civil status), accepted Mon 09:00, still open: not counted.

By procedure: civil status (48 + 24) / 2 = 36 hours = 1.5 days; certification 8 hours =
0.3 days. In all (48 + 24 + 8) / 3 = 26.7 hours = 1.1 days.
"""

from __future__ import annotations

from typing import ClassVar

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.reports.folding import fold_pending, recount
from motcua.reports.indicators import Status, build_scores
from motcua.reports.models import DailyFlow, DossierFact
from motcua.reports.tests.helpers import at, desk, finish, procedure
from motcua.reports.tests.test_form06 import END, LATER, START
from motcua.testing.base import PersonaTestCase


class HandlingTimeTests(PersonaTestCase):
    ids: ClassVar[dict[str, int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        civil = procedure("1.000001", "Đăng ký khai sinh", field="Hộ tịch")
        certify = procedure("2.000002", "Chứng thực bản sao", field="Chứng thực")
        dossiers: dict[str, Dossier] = {}
        with at(2026, 3, 16):
            dossiers["a"], dossiers["c"] = desk(p, civil), desk(p, certify)
            dossiers["d"], dossiers["e"] = desk(p, civil), desk(p, civil)
        with at(2026, 3, 16, 10):
            dossiers["b"] = desk(p, civil)
        with at(2026, 3, 16, 14):
            actions.request_supplement(dossiers["b"].pk, actor=p.binh, missing="Bản sao")
        with at(2026, 3, 16, 17):
            finish(p, dossiers["c"])
        with at(2026, 3, 17):
            actions.withdraw(dossiers["d"].pk, actor=p.an, reason="Không còn nhu cầu")
        with at(2026, 3, 18):
            finish(p, dossiers["a"])
        with at(2026, 3, 19, 14):
            actions.receive_supplement(dossiers["b"].pk, actor=p.binh)
        with at(2026, 3, 20, 10):
            finish(p, dossiers["b"])
        fold_pending()
        cls.ids = {name: dossier.pk for name, dossier in dossiers.items()}

    def test_each_fact_holds_its_hours_less_the_applicants_wait(self) -> None:
        hours = dict(DossierFact.objects.values_list("dossier_id", "handling_hours"))
        assert {name: hours[pk] for name, pk in self.ids.items()} == {
            "a": 48,
            "b": 24,
            "c": 8,
            "d": 24,  # kept on the fact, not counted: withdrawn
            "e": 0,
        }

    def test_the_day_rows_sum_the_hours_of_dossiers_closed_with_a_result(self) -> None:
        rows = DailyFlow.objects.filter(handling_hours__gt=0).order_by("day")
        assert [(r.day.day, r.handling_hours) for r in rows] == [(16, 8), (18, 48), (20, 24)]

    def test_the_average_is_given_in_days_overall_and_by_procedure(self) -> None:
        ind = build_scores(self.p.province, START, END, now=LATER).indicator("2.2")
        assert (ind.numerator, ind.denominator) == (80, 3)
        assert ind.text == "1,1 ngày"
        assert ind.details == [
            "1.000001 Đăng ký khai sinh: 1,5 ngày (2 hồ sơ)",
            "2.000002 Chứng thực bản sao: 0,3 ngày (1 hồ sơ)",
        ]
        assert ind.definition.status == Status.INFO
        assert (ind.value, ind.points) == (None, None)  # information: no share, no points

    def test_a_period_without_results_has_no_average(self) -> None:
        ind = build_scores(self.p.province, START, START, now=LATER).indicator("2.2")
        assert (ind.numerator, ind.text) == (8, "0,3 ngày")  # only C, on Monday
        ind = build_scores(self.p.commune_b, START, END, now=LATER).indicator("2.2")
        assert (ind.numerator, ind.denominator, ind.text, ind.details) == (None, None, "", [])

    def test_the_page_shows_the_average_and_the_procedures(self) -> None:
        self.client.force_login(self.p.thu)
        query = f"don_vi={self.p.province.pk}&tu=2026-03-16&den=2026-03-20"
        with at(2026, 4, 1):
            html = self.client.get(f"/bao-cao/chi-so-766/?{query}").content.decode()
        card = html[html.index('data-testid="ind-2.2"') :]
        card = card[: card.index("</article>")]
        assert "<strong>1,1 ngày</strong>" in card
        assert "(80 giờ/3 hồ sơ)" in card
        assert "Theo từng thủ tục (2)" in card
        assert "2.000002 Chứng thực bản sao: 0,3 ngày (1 hồ sơ)" in card

    def test_recount_finds_the_hours_the_fold_wrote(self) -> None:
        assert recount(write=False).difference == 0
        DossierFact.objects.filter(pk=self.ids["b"]).update(handling_hours=96)
        DailyFlow.objects.filter(handling_hours=24).update(handling_hours=96)
        assert recount(write=False).difference > 0
        recount(write=True)
        assert DossierFact.objects.get(pk=self.ids["b"]).handling_hours == 24
        assert DailyFlow.objects.filter(handling_hours=96).count() == 0
