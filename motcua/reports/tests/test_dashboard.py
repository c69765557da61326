"""The leader's dashboard over the hand-built month of report form 06 (test_form06.py: its
dataset, imported, with two ratings added), seen on Friday 20 March 2026 at 18:00.

By hand, for the province (everything is in March 2026):
- received this month: 16 (d2, d3, d4, b1, d1 before the 16th; d5 online, d14, d15, d13,
  d6 by post, land, d10, d7, d8, b2, d9 from the 16th); today (Friday): d9;
- closed this month: 10 — early d3, d1, d6, d13; on time d5, d14 and the withdrawn d7; late
  d2, b1, d15; today: d14, d15;
- open now: d4, land, d10 (overdue), d8 (waiting for a supplement), b2 (due Tue 24/03, within
  the next two working days, Mon and Tue), d9 (due Wed 25/03);
- ratings: d1 "rất hài lòng", d6 "bình thường".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import User
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.feedback.actions import rate_dossier
from motcua.feedback.models import RatingQuestion
from motcua.reports.dashboard import Dashboard, build_dashboard
from motcua.reports.dashboard_views import figure_dossiers
from motcua.reports.folding import fold_pending
from motcua.reports.models import DossierFact
from motcua.reports.tests import test_form06
from motcua.reports.tests.helpers import at
from motcua.testing.dossiers import VN

FRIDAY_EVENING = dt.datetime(2026, 3, 20, 18, 0, tzinfo=VN)
NEXT_THURSDAY = dt.datetime(2026, 3, 26, 10, 0, tzinfo=VN)


class DashboardTests(test_form06.Form06Tests):
    """The form 06 dataset (its own tests are not run again here: see the end of the
    module)."""

    rated: ClassVar[list[int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        early = list(
            DossierFact.objects.filter(
                unit=p.commune_a, outcome="early", received_on__gte="2026-03-12"
            )
            .order_by("received_at")
            .values_list("dossier_id", flat=True)
        )
        d1, d6 = early[0], early[-1]  # d13 (certify, 16/03 09:00) lies between them
        answers = {q.pk: 4 for q in RatingQuestion.objects.filter(active=True)}
        with at(2026, 3, 20, 11):
            for dossier_id, level in ((d1, 5), (d6, 3)):
                actions.return_result(dossier_id, actor=p.binh)
                rate_dossier(dossier_id, level=level, answers=answers, rated_by=p.an)
        fold_pending()
        cls.rated = [d1, d6]

    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def board(self, now: dt.datetime = FRIDAY_EVENING) -> Dashboard:
        return build_dashboard(self.p.province, now=now)

    def page(self, path: str, user: User | None = None) -> str:
        self.client.force_login(user or self.p.thu)
        return self.get(path)

    def get(self, path: str) -> str:
        with at(2026, 3, 20, 18):
            response = self.client.get(path)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    # -- figures ---------------------------------------------------------------------------

    def test_the_stocks_now_are_the_open_overdue_due_soon_and_paused_dossiers(self) -> None:
        stocks = self.board().stocks
        assert (stocks.open, stocks.overdue, stocks.due_soon, stocks.paused) == (6, 3, 1, 1)

    def test_today_counts_what_was_received_and_closed_today(self) -> None:
        day = self.board().day
        assert (day.received, day.closed) == (1, 2)

    def test_this_month_counts_received_closed_and_the_rates(self) -> None:
        month = self.board().month.flows
        assert (month.received, month.received_online, month.closed) == (16, 1, 10)
        assert (month.closed_in_time, month.closed_late, month.withdrawn) == (7, 3, 1)
        assert month.on_time_rate == 70.0
        assert month.online_rate == 100 / 16

    def test_digitisation_and_electronic_results_are_the_shares_the_facts_hold(self) -> None:
        facts = DossierFact.objects.all()
        digitised = facts.filter(digitised=True).count()
        electronic = facts.filter(result_electronic=True, closed_on__isnull=False).count()
        month = self.board().month.flows
        assert month.digitised_rate == (digitised / 16 * 100 if digitised else 0.0)
        assert month.electronic_result_rate == electronic / 9 * 100

    def test_satisfaction_is_the_share_of_ratings_satisfied_or_better(self) -> None:
        board = self.board()
        assert (board.month.satisfaction.ratings, board.month.satisfaction.satisfied) == (2, 1)
        assert board.month.satisfaction.rate == 50.0
        assert board.year.satisfaction.rate == 50.0

    def test_this_year_holds_this_month_when_nothing_happened_before(self) -> None:
        board = self.board()
        assert board.year.flows == board.month.flows

    def test_a_commune_sees_only_its_own_figures(self) -> None:
        board = build_dashboard(self.p.commune_b, now=FRIDAY_EVENING)
        assert (board.month.flows.received, board.month.flows.closed) == (2, 1)
        assert (board.stocks.open, board.stocks.due_soon) == (1, 1)
        assert board.month.satisfaction.ratings == 0
        assert board.month.satisfaction.rate is None

    def test_the_trend_has_twelve_months_ending_with_this_one(self) -> None:
        trend = self.board().trend
        assert trend[0].month == dt.date(2025, 4, 1)
        assert trend[-1].month == dt.date(2026, 3, 1)
        assert [m.flows.received for m in trend] == [0] * 11 + [16]

    def test_the_trend_seen_in_april_shows_the_whole_of_march(self) -> None:
        trend = self.board(dt.datetime(2026, 4, 1, 9, 0, tzinfo=VN)).trend
        march, april = trend[-2], trend[-1]
        assert (march.month, march.flows.received, march.flows.closed) == (
            dt.date(2026, 3, 1),
            16,
            10,
        )
        assert april.flows.received == 0

    def test_a_dossier_becomes_overdue_by_the_passage_of_time(self) -> None:
        d9 = DossierFact.objects.get(received_on=dt.date(2026, 3, 20)).dossier_id
        assert d9 not in figure_dossiers(self.p.province, "overdue", FRIDAY_EVENING)
        with at(2026, 3, 26, 10):
            fold_pending()
            board = self.board(NEXT_THURSDAY)
            overdue = figure_dossiers(self.p.province, "overdue", NEXT_THURSDAY)
        # d9 was due Wed 25/03 09:00 and b2 Tue 24/03 09:00: both overdue now.
        assert board.stocks.overdue == 5
        assert d9 in overdue
        assert len(overdue) == 5

    # -- drill-down ------------------------------------------------------------------------

    def test_every_linked_figure_drills_down_to_as_many_dossiers(self) -> None:
        board = self.board()
        expected = {
            "overdue": board.stocks.overdue,
            "due_soon": board.stocks.due_soon,
            "received_today": board.day.received,
            "closed_today": board.day.closed,
            "received_month": board.month.flows.received,
            "closed_month": board.month.flows.closed,
            "late_month": board.month.flows.closed_late,
            "received_year": board.year.flows.received,
            "closed_year": board.year.flows.closed,
            "late_year": board.year.flows.closed_late,
        }
        for name, value in expected.items():
            assert len(figure_dossiers(self.p.province, name, FRIDAY_EVENING)) == value, name

    def test_the_overdue_list_names_the_overdue_dossiers(self) -> None:
        html = self.page(f"/bao-cao/tong-quan/ho-so/?don-vi={self.p.province.pk}&chi-so=overdue")
        overdue = Dossier.objects.filter(
            pk__in=figure_dossiers(self.p.province, "overdue", FRIDAY_EVENING)
        )
        assert len(overdue) == 3
        for dossier in overdue:
            assert dossier.code in html
        assert "3 hồ sơ" in html

    # -- pages -----------------------------------------------------------------------------

    def test_the_dashboard_shows_the_figures_with_links_to_the_dossiers(self) -> None:
        html = self.page("/bao-cao/tong-quan/")
        assert re.search(r'data-testid="overdue-now">3<', html)
        assert re.search(r'data-testid="due-soon">1<', html)
        assert re.search(r'data-testid="month-received">16<', html)
        assert re.search(r'data-testid="today-closed">2<', html)
        assert "chi-so=overdue" in html
        assert "70,0 %" in html  # on time this month
        assert "50,0 %" in html  # satisfaction

    def test_the_charts_are_svg_with_a_bar_for_march_and_a_table(self) -> None:
        html = self.page("/bao-cao/tong-quan/")
        assert "<script" not in html.split('id="main"')[1]
        assert html.count("<svg") == 3
        assert "<title>Tháng 3/2026 · Tiếp nhận: 16</title>" in html
        assert "<title>Tháng 3/2026 · Trước và đúng hạn: 7</title>" in html
        assert "<title>Tháng 3/2026 · Quá hạn: 3</title>" in html
        assert "<title>Tháng 3/2026 · Trực tuyến: 6,3 %</title>" in html
        received = html.split('data-testid="chart-dash-received"')[1].split("</svg>")[0]
        assert received.count("<rect") == 1  # one month with dossiers, one bar
        assert '<th scope="row">Tháng 4/2025</th>' in html  # the table alternative

    def test_the_default_unit_is_the_officers_top_unit(self) -> None:
        html = self.page("/bao-cao/tong-quan/", self.p.dung)
        assert f"<strong>{self.p.commune_b.name}</strong>" in html
        assert re.search(r'data-testid="month-received">2<', html)

    def test_an_officer_gets_404_for_a_unit_they_cannot_see(self) -> None:
        self.client.force_login(self.p.dung)
        for path in (
            f"/bao-cao/tong-quan/?don-vi={self.p.commune_a.pk}",
            f"/bao-cao/tong-quan/?don-vi={self.p.province.pk}",
            f"/bao-cao/tong-quan/ho-so/?don-vi={self.p.commune_a.pk}&chi-so=overdue",
            "/bao-cao/tong-quan/?don-vi=x",
        ):
            assert self.client.get(path).status_code == 404, path

    def test_a_citizen_gets_404_and_a_visitor_is_sent_to_log_in(self) -> None:
        assert self.client.get("/bao-cao/tong-quan/").status_code == 302
        self.client.force_login(self.p.an)
        assert self.client.get("/bao-cao/tong-quan/").status_code == 404
        assert self.client.get("/bao-cao/tong-quan/ho-so/?chi-so=overdue").status_code == 404

    def test_an_unknown_figure_is_not_found(self) -> None:
        self.client.force_login(self.p.thu)
        assert self.client.get("/bao-cao/tong-quan/ho-so/?chi-so=x").status_code == 404

    # -- cost ------------------------------------------------------------------------------

    def test_the_figures_take_a_fixed_number_of_queries(self) -> None:
        self.board()  # the working calendar is cached after its first use
        with self.assertNumQueries(5):
            self.board()

    def test_the_dashboard_page_reads_rollups_and_a_bounded_number_of_rows(self) -> None:
        self.page("/bao-cao/tong-quan/")
        with CaptureQueriesContext(connection) as queries:
            self.get("/bao-cao/tong-quan/")
        assert len(queries) <= 13, "\n".join(q["sql"][:150] for q in queries)
        tables = " ".join(q["sql"] for q in queries)
        assert '"dossiers_dossier"' not in tables


# The dataset is shared; the form's own assertions run once, in test_form06.py.
for _name in dir(test_form06.Form06Tests):
    if _name.startswith("test_"):
        setattr(DashboardTests, _name, None)
