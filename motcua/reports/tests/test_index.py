from __future__ import annotations

from motcua.testing.base import PersonaTestCase


class ReportIndexTests(PersonaTestCase):
    def test_an_officer_sees_the_reports_of_the_units_they_may_see(self) -> None:
        self.client.force_login(self.p.binh)
        page = self.client.get("/bao-cao/")
        assert page.status_code == 200
        assert self.p.commune_a.name in page.content.decode()
        assert self.p.commune_b.name not in page.content.decode()

    def test_a_citizen_gets_not_found(self) -> None:
        self.client.force_login(self.p.an)
        assert self.client.get("/bao-cao/").status_code == 404
