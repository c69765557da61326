"""Decision 766 indicators, rankings and targets over the hand-built month of test_form06.py
(Monday 16 to Friday 20 March 2026), with a few additions made here through the real
actions:

- E1, commune A, received at the desk on Fri 20/03 09:00 with every paper scanned
  (digitised), finished the same day by Hùng, who holds a certificate, on a procedure whose
  result may be electronic: closed early with a signed electronic result;
- ratings given on Fri 20/03: D1 «Rất hài lòng» (5), D13 «Hài lòng» (4), D5 «Không hài lòng»
  (2); B1 (commune B) «Rất không hài lòng» (1) on Mon 23/03, after the period;
- the catalogue: the civil-status procedure is filled in completely (manner and agency), the
  certification procedure offers no online service.

The province's form 06 for the period becomes (E1 added to the 15 dossiers of
test_form06): column 3 = 16, 4 = 1, 5 = 11, 6 = 4, 7 = 10, 8 = 4, 9 = 3 (one withdrawal),
10 = 3, 11 = 6, 12 = 3, 13 = 3.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import Unit, UnitKind
from motcua.catalog.models import OnlineMode, ProcedureVersion
from motcua.documents import pki
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.dossiers import actions
from motcua.dossiers.models import Channel
from motcua.feedback.actions import rate_dossier
from motcua.feedback.models import RatingQuestion
from motcua.reports.folding import fold_pending
from motcua.reports.form06 import build_form06
from motcua.reports.indicators import (
    DEFINITIONS,
    Figures,
    Scores,
    Status,
    build_scores,
    evaluate,
    score,
)
from motcua.reports.indicators_drill import PARTS, indicator_dossiers
from motcua.reports.models import DossierFact
from motcua.reports.rankings import Entry, build_rankings, rank
from motcua.reports.rankings_targets import TargetIndicator, UnitTarget
from motcua.reports.sums import kept_through
from motcua.reports.tests import test_form06
from motcua.reports.tests.helpers import at, finish, procedure
from motcua.testing.builders import make_user
from motcua.testing.dossiers import submission

START, END = test_form06.START, test_form06.END
LATER = test_form06.LATER


class IndicatorTests(test_form06.Form06Tests):
    """The form 06 dataset plus E1 and the ratings (the form's own tests are not run again
    here: see the end of the module)."""

    e1: ClassVar[int]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        ProcedureVersion.objects.filter(pk=cls.civil.pk).update(
            manner="Trực tiếp, trực tuyến hoặc qua bưu chính", implementing_agency="UBND xã"
        )
        ProcedureVersion.objects.filter(pk=cls.certify.pk).update(online_mode=OnlineMode.NONE)
        electronic = procedure("4.000004", "Cấp bản sao trích lục hộ tịch", field="Hộ tịch")
        ProcedureVersion.objects.filter(pk=electronic.pk).update(result_electronic=True)
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
        with at(2026, 3, 1):
            pki.issue_demo_certificate(p.hung, pki.create_demo_authority())
        with at(2026, 3, 20):
            e1 = actions.receive_at_desk(
                submission(p, electronic, components=scanned),
                officer=p.binh,
                channel=Channel.DIRECT,
                decision="accept",
                reason="",
                applicant_user=p.an,
            )
            finish(p, e1)
        cls.e1 = e1.pk
        facts = DossierFact.objects.filter(received_on__lte=END).order_by("received_at")
        by_code = {f.dossier.code: f.dossier_id for f in facts.select_related("dossier")}
        d1 = by_code["H99.00001.01-260312-0001"]
        d5 = facts.get(channel=Channel.ONLINE).dossier_id
        d13 = facts.get(procedure=cls.certify.procedure).dossier_id
        b1 = by_code["H99.00002-260311-0001"]
        answers = {q.pk: 4 for q in RatingQuestion.objects.filter(active=True)}
        with at(2026, 3, 20, 11):
            for dossier_id, level in ((d1, 5), (d13, 4), (d5, 2)):
                actions.return_result(dossier_id, actor=p.binh)
                rate_dossier(dossier_id, level=level, answers=answers, rated_by=p.an)
        with at(2026, 3, 23, 10):
            actions.return_result(b1, actor=p.dung)
            rate_dossier(b1, level=1, answers=answers, rated_by=p.an)
        fold_pending()

    def scores(self, unit: Unit | None = None, now: dt.datetime = LATER) -> Scores:
        return build_scores(unit or self.p.province, START, END, now=now)

    # -- the dataset ------------------------------------------------------------------------

    def test_e1_is_digitised_and_has_an_electronic_result(self) -> None:
        fact = DossierFact.objects.get(dossier_id=self.e1)
        assert (fact.digitised, fact.result_electronic, fact.outcome) == (True, True, "early")

    def test_the_figures_are_those_of_form_06(self) -> None:
        form = build_form06(self.p.province, START, END, now=LATER).total
        f = self.scores().figures
        assert (f.handled, f.received_online, f.received, f.carried_over) == (
            form.received,
            form.received_online,
            form.received_online + form.received_direct_postal,
            form.carried_over,
        )
        assert f.on_time == form.closed_early + form.closed_on_time + form.open_within
        assert f.late == form.closed_late + form.open_overdue
        assert (f.handled, f.on_time, f.late) == (16, 10, 6)

    # -- formulas against hand-computed values ---------------------------------------------

    def test_on_time_rate_counts_early_on_time_withdrawn_and_open_within_deadline(self) -> None:
        ind = self.scores().indicator("2.1")
        assert (ind.numerator, ind.denominator) == (10, 16)  # (4 + 3 + 3) / 16
        assert ind.value == pytest.approx(0.625)
        assert ind.points == pytest.approx(20 * 0.625)  # the only scored indicator of group 2

    def test_on_time_rate_of_a_commune_counts_only_its_own_dossiers(self) -> None:
        a = self.scores(self.p.commune_a).indicator("2.1")
        b = self.scores(self.p.commune_b).indicator("2.1")
        assert (a.numerator, a.denominator) == (9, 14)
        assert (b.numerator, b.denominator) == (1, 2)  # B2 open within; B1 closed late

    def test_online_rate_is_online_over_received_in_the_period(self) -> None:
        ind = self.scores().indicator("3.3")
        assert (ind.numerator, ind.denominator) == (1, 12)
        # full score at 50 %: 22 / 3 points × (1/12) / 0.5
        assert ind.points == pytest.approx(22 / 3 * (1 / 12) / 0.5)

    def test_electronic_results_are_counted_among_results_not_withdrawals(self) -> None:
        ind = self.scores().indicator("4.1")
        assert (ind.numerator, ind.denominator) == (1, 9)  # E1 / (4 early + 2 on time + 3 late)
        assert ind.points == pytest.approx(22 / 3 / 9)  # 4.1, 4.2 and 4.3 share 22 points

    def test_digitised_dossiers_over_received_with_full_score_at_80_percent(self) -> None:
        ind = self.scores().indicator("4.2")
        assert (ind.numerator, ind.denominator) == (1, 12)
        assert ind.points == pytest.approx(22 / 3 * (1 / 12) / 0.8)

    def test_catalogue_indicators_read_the_procedures_in_force(self) -> None:
        s = self.scores()
        complete, online, used = s.indicator("1.3"), s.indicator("3.1"), s.indicator("3.2")
        assert (complete.numerator, complete.denominator) == (1, 4)  # only civil status
        assert complete.points == pytest.approx(18 * 0.25)
        assert (online.numerator, online.denominator) == (3, 4)  # certification offline
        assert online.points == pytest.approx(22 / 3 * 0.75 / 0.8)
        assert (used.numerator, used.denominator) == (1, 3)  # only civil status got one
        assert used.points == pytest.approx(22 / 3 / 3)
        assert "2.000002 Chứng thực bản sao" in online.details

    def test_satisfaction_subtracts_late_and_dissatisfied_shares(self) -> None:
        ind = self.scores().indicator("5.4")
        # 100 % − 6/16 late − 1/3 dissatisfied (D5 of D1, D13, D5; B1 rated after the period)
        assert ind.value == pytest.approx(1 - 6 / 16 - 1 / 3)
        assert ind.points == pytest.approx(18 * (1 - 6 / 16 - 1 / 3) / 0.9)
        assert self.scores().figures.ratings == {5: 1, 4: 1, 2: 1}

    def test_a_rating_counts_in_the_period_it_was_given(self) -> None:
        later = build_scores(self.p.commune_b, dt.date(2026, 3, 21), dt.date(2026, 3, 31))
        assert later.figures.ratings == {1: 1}

    def test_group_and_total_scores_add_up(self) -> None:
        s = self.scores()
        points = {g.group.number: g.points for g in s.groups}
        assert points[1] == pytest.approx(4.5)
        assert points[2] == pytest.approx(12.5)
        assert points[3] == pytest.approx(22 / 3 * (0.75 / 0.8 + 1 / 3 + 1 / 6))
        assert points[4] == pytest.approx(22 / 3 / 9 + 22 / 3 / 9.6)  # 4.3: none reused
        assert points[5] == pytest.approx(18 * (1 - 6 / 16 - 1 / 3) / 0.9)
        assert s.total == pytest.approx(sum(v for v in points.values() if v is not None))
        assert s.total_max == 100

    def test_a_past_period_takes_nine_queries_however_many_units(self) -> None:
        with self.assertNumQueries(9):
            self.scores()

    # -- drill-down --------------------------------------------------------------------------

    def test_every_drill_down_lists_as_many_dossiers_as_its_number(self) -> None:
        s = self.scores()
        expected = {
            ("2.1", "dat"): 10,
            ("2.1", "mau"): 16,
            ("2.1", "tre"): 6,
            ("2.1", "bo_sung"): 0,
            ("3.2", "dat"): 1,
            ("3.3", "dat"): 1,
            ("3.3", "mau"): 12,
            ("4.1", "dat"): 1,
            ("4.1", "mau"): 9,
            ("4.2", "dat"): 1,
            ("4.2", "mau"): 12,
            ("4.3", "dat"): 0,
            ("4.3", "mau"): 12,
            ("5.4", "tre"): s.figures.late,
            ("5.4", "khong_hai_long"): 1,
        }
        assert set(expected) == {(c, p) for c, parts in PARTS.items() for p in parts}
        for (code, part), count in expected.items():
            ids = indicator_dossiers(self.p.province, START, END, code, part, now=LATER)
            assert len(ids) == count, (code, part)
        for code in ("2.1", "3.3", "4.1", "4.2", "4.3"):
            ind = s.indicator(code)
            assert len(indicator_dossiers(self.p.province, START, END, code, "dat", now=LATER)) == (
                ind.numerator
            )
        assert indicator_dossiers(self.p.province, START, END, "4.2", "dat", now=LATER) == [self.e1]

    # -- rankings and targets --------------------------------------------------------------

    def test_units_below_the_minimum_are_listed_apart_with_the_reason(self) -> None:
        r = build_rankings(self.p.province, START, END, metric="dung_han", minimum=3, now=LATER)
        assert [e.unit for e in r.ranked] == [self.p.commune_a]
        assert [e.unit for e in r.unranked] == [self.p.commune_b]
        assert "2 hồ sơ" in r.unranked[0].reason
        assert r.ranked[0].rank == 1
        assert r.out_of == 1

    def test_the_default_minimum_of_30_leaves_this_small_month_unranked(self) -> None:
        r = build_rankings(self.p.province, START, END, now=LATER)
        assert r.ranked == []
        assert len(r.unranked) == 2

    def test_units_are_ranked_by_the_chosen_figure(self) -> None:
        for metric in ("diem", "dung_han", "truc_tuyen", "so_hoa"):
            r = build_rankings(self.p.province, START, END, metric=metric, minimum=1, now=LATER)
            assert [(e.unit, e.rank) for e in r.ranked] == [
                (self.p.commune_a, 1),
                (self.p.commune_b, 2),
            ], metric
        a = build_rankings(self.p.province, START, END, metric="dung_han", minimum=1, now=LATER)
        assert a.ranked[0].value == pytest.approx(100 * 9 / 14)
        assert a.ranked[1].value == pytest.approx(50.0)

    def test_rankings_can_take_one_kind_of_unit_only(self) -> None:
        communes = build_rankings(
            self.p.province, START, END, minimum=1, kind=UnitKind.COMMUNE, now=LATER
        )
        departments = build_rankings(
            self.p.province, START, END, minimum=1, kind=UnitKind.DEPARTMENT, now=LATER
        )
        assert [e.unit for e in communes.ranked] == [self.p.commune_a, self.p.commune_b]
        assert (departments.ranked, departments.unranked) == ([], [])

    def test_a_ranked_unit_has_the_figures_of_its_own_indicators_page(self) -> None:
        r = build_rankings(self.p.province, START, END, minimum=1, now=LATER)
        own = self.scores(self.p.commune_a)
        assert r.ranked[0].scores.total == pytest.approx(own.total)
        assert r.ranked[0].scores.figures.handled == own.figures.handled

    def test_each_ranked_unit_counts_the_online_procedures_of_its_own_scores(self) -> None:
        # inside one half-month (the days alone), and across half-months (running totals
        # on both sides: kept here through the second half of March at least)
        assert (kept_through() or dt.date.min) >= dt.date(2026, 4, 1)
        periods = [(START, END), (dt.date(2026, 3, 1), dt.date(2026, 3, 31))]
        periods.append((dt.date(2026, 2, 10), dt.date(2026, 3, 18)))
        # after the receptions: none in the period, though some before it
        periods.append((dt.date(2026, 3, 21), dt.date(2026, 4, 5)))
        used = 0
        for start, end in periods:
            r = build_rankings(self.p.province, start, end, minimum=1, now=LATER)
            for entry in r.ranked + r.unranked:
                own = build_scores(entry.unit, start, end, now=LATER).indicator("3.2")
                mine = entry.scores.indicator("3.2")
                assert (mine.numerator, mine.denominator, mine.details) == (
                    own.numerator,
                    own.denominator,
                    own.details,
                ), (entry.unit, start)
                used += own.numerator or 0
        assert used > 0  # the units did use online procedures: not a comparison of nothings

    def test_rankings_take_a_fixed_number_of_queries_and_never_read_the_dossiers(self) -> None:
        with self.assertNumQueries(13), CaptureQueriesContext(connection) as queries:
            build_rankings(self.p.province, START, END, minimum=1, now=LATER)
        assert not [q["sql"] for q in queries if '"dossiers_dossier"' in q["sql"]]

    def test_equal_figures_share_a_rank_and_the_next_rank_skips(self) -> None:
        empty = evaluate(self.p.province, START, END, Figures(), [], [])
        units = [Unit(pk=i, name=name) for i, name in enumerate("ABCD", start=1)]
        entries = [
            Entry(u, empty, v, 40) for u, v in zip(units, [50.0, 70.0, 70.001, 20.0], strict=True)
        ]
        rank(entries)
        assert [(e.unit.name, e.rank) for e in entries] == [
            ("B", 1),
            ("C", 1),
            ("A", 3),
            ("D", 4),
        ]

    def test_targets_show_progress_on_the_rankings(self) -> None:
        UnitTarget.objects.create(
            unit=self.p.commune_a, indicator=TargetIndicator.ONLINE, target=50, year=2026
        )
        r = build_rankings(self.p.province, START, END, metric="truc_tuyen", minimum=1, now=LATER)
        progress = r.ranked[0].progress
        assert progress is not None
        assert progress.value == pytest.approx(100 / 11)
        assert not progress.met
        assert progress.bar_percent == 18
        assert r.ranked[1].progress is None

    def test_an_administrator_sets_a_target_in_the_admin(self) -> None:
        self.client.force_login(make_user("root", is_staff=True, is_superuser=True))
        add = reverse("admin:reports_unittarget_add")
        assert self.client.get(add).status_code == 200
        response = self.client.post(
            add,
            {"unit": self.p.commune_a.pk, "indicator": "3.3", "target": "50", "year": "2026"},
        )
        assert response.status_code == 302
        target = UnitTarget.objects.get()
        assert (target.unit, target.indicator, target.year) == (self.p.commune_a, "3.3", 2026)
        assert target.target == 50

    # -- scoring rules -----------------------------------------------------------------------

    def test_full_score_at_the_threshold_and_linear_below(self) -> None:
        assert score(0.8, 0.8, 11) == 11
        assert score(0.95, 0.8, 11) == 11
        assert score(0.4, 0.8, 11) == pytest.approx(5.5)
        assert score(0.0, 0.8, 11) == 0

    def test_national_and_information_indicators_are_shown_but_not_scored(self) -> None:
        s = self.scores()
        national = {d.code for d in DEFINITIONS if d.status == Status.NATIONAL}
        assert national == {"1.1", "1.2", "1.4", "3.5", "3.6", "4.4", "4.5", "5.1", "5.2", "5.3"}
        for code in national | {"2.2"}:
            ind = s.indicator(code)
            assert (ind.value, ind.points, ind.max_points) == (None, None, None), code
            assert ind.definition.note
        # group 3's 22 points go to 3.1, 3.2 and 3.3 alone; group 1's 18 to 1.3 alone
        assert [s.indicator(c).max_points for c in ("3.1", "3.2", "3.3")] == [
            pytest.approx(22 / 3)
        ] * 3
        assert s.indicator("1.3").max_points == 18

    def test_a_unit_without_dossiers_scores_only_the_catalogue(self) -> None:
        s = build_scores(self.p.commune_b, dt.date(2026, 1, 5), dt.date(2026, 1, 9), now=LATER)
        assert s.indicator("2.1").value is None
        assert [g.points is None for g in s.groups] == [False, True, False, True, True]
        assert s.total_max == 18 + 22

    # -- pages -------------------------------------------------------------------------------

    def page(self, path: str, user: object | None = None) -> str:
        self.client.force_login(user or self.p.thu)  # type: ignore[arg-type]
        with at(2026, 4, 1):
            response = self.client.get(path)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def period(self, unit: Unit) -> str:
        return f"don_vi={unit.pk}&tu=2026-03-16&den=2026-03-20"

    def test_the_indicators_page_shows_scores_thresholds_definitions_and_links(self) -> None:
        html = self.page(f"/bao-cao/chi-so-766/?{self.period(self.p.province)}")
        assert 'data-testid="total-points">34,95<' in html
        assert "62,50 %" in html  # 2.1
        assert "≥ 50 %" in html  # 3.3's threshold
        assert "Cần dữ liệu quốc gia" in html
        assert "Chỉ để theo dõi" in html  # 2.2
        assert "chi_so=2.1&amp;phan=dat" in html

    def test_the_indicators_page_shows_the_units_targets(self) -> None:
        UnitTarget.objects.create(
            unit=self.p.commune_a, indicator=TargetIndicator.ON_TIME, target=60, year=2026
        )
        html = self.page(f"/bao-cao/chi-so-766/?{self.period(self.p.commune_a)}", self.p.hung)
        assert 'data-testid="target-2.1"' in html
        assert "đã đạt" in html

    def test_a_drill_down_page_lists_the_dossiers(self) -> None:
        html = self.page(
            f"/bao-cao/chi-so-766/ho-so/?{self.period(self.p.province)}&chi_so=4.2&phan=dat"
        )
        e1 = DossierFact.objects.get(dossier_id=self.e1).dossier.code
        assert e1 in html
        assert 'data-testid="drill-count">' in html

    def test_a_drill_down_page_reads_one_page_of_dossiers(self) -> None:
        query = f"{self.period(self.p.province)}&chi_so=2.1&phan=mau"
        with mock.patch("motcua.reports.indicators_views.PAGE_SIZE", 5):
            pages = [self.page(f"/bao-cao/chi-so-766/ho-so/?{query}&trang={n}") for n in (1, 4)]
        assert 'data-testid="drill-count">Hồ sơ được tính vào mẫu số: <strong>16<' in pages[0]
        links = [re.findall(r'href="/can-bo/ho-so/\d+/"', html) for html in pages]
        assert [len(found) for found in links] == [5, 1]  # 16 = 5 + 5 + 5 + 1
        assert "Trang 4/4" in pages[1]

    def test_the_rankings_page_shows_rank_out_of_ranked_units(self) -> None:
        with self.settings(REPORTS_RANKING_MIN_DOSSIERS=1):
            html = self.page(f"/bao-cao/xep-hang/?{self.period(self.p.province)}&theo=dung_han")
        assert "thứ 1/2" in html
        assert "thứ 2/2" in html

    def test_the_rankings_page_lists_units_below_the_minimum_apart(self) -> None:
        html = self.page(f"/bao-cao/xep-hang/?{self.period(self.p.province)}")
        assert 'data-testid="unranked"' in html
        assert "cần ít nhất 30" in html

    def test_a_period_ending_before_it_starts_is_refused_with_a_message(self) -> None:
        unit = self.p.province.pk
        html = self.page(f"/bao-cao/chi-so-766/?don_vi={unit}&tu=2026-03-20&den=2026-03-16")
        assert "Ngày kết thúc phải sau ngày bắt đầu." in html
        assert 'data-testid="ind-total"' not in html
        assert 'value="2026-03-20"' in html  # what was typed is kept

    def test_an_officer_gets_404_for_a_unit_they_cannot_see(self) -> None:
        self.client.force_login(self.p.dung)
        for path in ("/bao-cao/chi-so-766/", "/bao-cao/xep-hang/", "/bao-cao/chi-so-766/ho-so/"):
            response = self.client.get(
                f"{path}?{self.period(self.p.commune_a)}&chi_so=2.1&phan=dat"
            )
            assert response.status_code == 404, path

    def test_a_citizen_gets_404(self) -> None:
        self.client.force_login(self.p.an)
        for path in ("/bao-cao/chi-so-766/", "/bao-cao/xep-hang/"):
            assert self.client.get(path).status_code == 404

    def test_an_unknown_drill_down_is_not_found(self) -> None:
        self.client.force_login(self.p.thu)
        query = f"{self.period(self.p.province)}&chi_so=1.1&phan=dat"
        assert self.client.get(f"/bao-cao/chi-so-766/ho-so/?{query}").status_code == 404


# The dataset is shared; the form's own assertions run once, in test_form06.py.
for _name in dir(test_form06.Form06Tests):
    if _name.startswith("test_"):
        setattr(IndicatorTests, _name, None)
