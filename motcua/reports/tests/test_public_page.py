"""The public statistics page (/thong-ke/) over the dashboard's dataset (test_dashboard.py:
the hand-built month of form 06 with two ratings), seen on Friday 20 March 2026 at 18:00."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.reports.tests import test_dashboard
from motcua.reports.tests.helpers import at


class PublicPageTests(test_dashboard.DashboardTests):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def visit(self, path: str = "/thong-ke/", status: int = 200) -> str:
        with at(2026, 3, 20, 18):
            response = self.client.get(path)
        assert response.status_code == status, response.status_code
        return response.content.decode()

    def test_a_visitor_sees_the_province_figures_without_logging_in(self) -> None:
        html = self.visit()
        province = html.split('data-testid="public-province"')[1]
        assert self.p.province.name in province
        assert "70,0 %" in province  # on time this month: 7 of 10
        assert "6,3 %" in province  # online: 1 of 16
        assert "50,0 %" in province  # satisfaction: 1 of 2 ratings
        assert province.count("<svg") == 3
        assert "<title>Tháng 3/2026 · Tiếp nhận: 16</title>" in province

    def test_a_chosen_unit_is_shown_below_the_province(self) -> None:
        html = self.visit(f"/thong-ke/?don-vi={self.p.commune_b.pk}")
        unit = html.split('data-testid="public-unit"')[1]
        assert self.p.commune_b.name in unit
        assert '<span class="value">2</span>' in unit  # received this month
        assert "<title>Tháng 3/2026 · Tiếp nhận: 2</title>" in unit

    def test_the_page_shows_no_dossier_and_no_person(self) -> None:
        html = self.visit(f"/thong-ke/?don-vi={self.p.commune_a.pk}")
        for code, applicant in Dossier.objects.values_list("code", "applicant_name"):
            assert code not in html
            assert applicant not in html
        assert "/ho-so/" not in html
        assert self.p.binh.get_full_name() not in html

    def test_a_unit_not_offered_is_not_found(self) -> None:
        self.visit(f"/thong-ke/?don-vi={self.p.centre_a.pk}", status=404)
        self.visit("/thong-ke/?don-vi=999999", status=404)
        self.visit("/thong-ke/?don-vi=abc", status=404)

    def test_the_figures_are_cached_so_a_second_visit_reads_nothing(self) -> None:
        with CaptureQueriesContext(connection) as first:
            self.visit(f"/thong-ke/?don-vi={self.p.commune_b.pk}")
        assert len(first) <= 16, "\n".join(q["sql"][:150] for q in first)
        assert '"dossiers_dossier"' not in " ".join(q["sql"] for q in first)
        with self.assertNumQueries(0):
            self.visit(f"/thong-ke/?don-vi={self.p.commune_b.pk}")

    def test_the_public_home_page_links_to_the_statistics(self) -> None:
        response = self.client.get("/")
        assert 'href="/thong-ke/"' in response.content.decode()


# The dataset is shared; the dashboard's and the form's assertions run in their own modules.
for _name in dir(test_dashboard.DashboardTests):
    if _name.startswith("test_"):
        setattr(PublicPageTests, _name, None)
