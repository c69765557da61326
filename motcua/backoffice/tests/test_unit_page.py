from django.urls import reverse

from motcua.testing.base import PersonaTestCase


class UnitPageTests(PersonaTestCase):
    def url(self, unit_id: int) -> str:
        return reverse("backoffice:unit_detail", args=[unit_id])

    def test_an_officer_opens_their_communes_page(self) -> None:
        self.client.force_login(self.p.binh)
        response = self.client.get(self.url(self.p.commune_a.pk))
        assert response.status_code == 200
        body = response.content.decode()
        assert "UBND phường A" in body
        assert "Trung tâm PVHCC phường A" in body  # the unit below it
        assert "Lê Thị Bình" in body  # the unit's officers and their roles
        assert "Phạm Minh Chi" in body
        assert "Trần Văn Dũng" not in body

    def test_an_officer_of_commune_b_gets_not_found_for_commune_a(self) -> None:
        self.client.force_login(self.p.dung)
        assert self.client.get(self.url(self.p.commune_a.pk)).status_code == 404
        assert self.client.get(self.url(self.p.centre_a.pk)).status_code == 404

    def test_a_forbidden_page_looks_exactly_like_a_missing_one(self) -> None:
        self.client.force_login(self.p.dung)
        forbidden = self.client.get(self.url(self.p.commune_a.pk))
        missing = self.client.get(self.url(987654))
        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.content == missing.content

    def test_a_citizen_gets_not_found_for_any_unit_page(self) -> None:
        self.client.force_login(self.p.an)
        assert self.client.get(self.url(self.p.commune_a.pk)).status_code == 404

    def test_a_visitor_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.url(self.p.commune_a.pk))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_breadcrumbs_stop_at_what_the_officer_may_see(self) -> None:
        self.client.force_login(self.p.binh)
        body = self.client.get(self.url(self.p.centre_a.pk)).content.decode()
        assert "UBND tỉnh Thử Nghiệm" not in body
        assert "UBND phường A" in body


class OfficerHomeTests(PersonaTestCase):
    def test_an_officer_sees_their_unit_and_role(self) -> None:
        self.client.force_login(self.p.dung)
        body = self.client.get(reverse("backoffice:home")).content.decode()
        assert "UBND phường B" in body
        assert "Cán bộ tiếp nhận và trả kết quả" in body
        assert "UBND phường A" not in body

    def test_a_citizen_gets_not_found_for_the_officer_home(self) -> None:
        self.client.force_login(self.p.an)
        assert self.client.get(reverse("backoffice:home")).status_code == 404
