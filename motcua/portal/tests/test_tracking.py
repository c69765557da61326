from django.core.cache import cache
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.portal import tracking
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure


class PublicTrackingTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.dossier: Dossier = desk_dossier(self.p, make_process_procedure())

    def look_up(self, code: str, secret: str, address: str = "203.0.113.5") -> object:
        return self.client.get(reverse("track"), {"ma": code, "k": secret}, REMOTE_ADDR=address)

    def test_the_code_and_secret_show_status_due_time_procedure_and_unit(self) -> None:
        response = self.look_up(self.dossier.code, self.dossier.lookup_secret)
        body = response.content.decode()  # type: ignore[attr-defined]
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert self.dossier.code in body
        assert "Đã tiếp nhận" in body or self.dossier.get_status_display() in body
        assert "Cấp giấy xác nhận" in body
        assert self.p.commune_a.name in body

    def test_the_applicant_is_shown_only_by_a_masked_name(self) -> None:
        body = self.look_up(self.dossier.code, self.dossier.lookup_secret).content.decode()  # type: ignore[attr-defined]
        assert "N. V. An" in body
        assert "Nguyễn Văn An" not in body
        assert (self.p.an.identity_number or "x") not in body
        assert (self.p.an.phone or "x") not in body

    def test_the_secret_is_accepted_in_lower_case(self) -> None:
        response = self.look_up(self.dossier.code, self.dossier.lookup_secret.lower())
        assert response.status_code == 200  # type: ignore[attr-defined]

    def test_a_wrong_secret_and_an_unknown_code_get_the_same_answer(self) -> None:
        wrong_secret = self.look_up(self.dossier.code, "ZZZZZZ")
        unknown_code = self.look_up("H99.00001-010101-9999", self.dossier.lookup_secret)
        assert wrong_secret.status_code == unknown_code.status_code == 404  # type: ignore[attr-defined]
        for response in (wrong_secret, unknown_code):
            body = response.content.decode()  # type: ignore[attr-defined]
            assert "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này" in body
            assert "Cấp giấy xác nhận" not in body

    def test_too_many_lookups_from_one_address_are_refused_with_429(self) -> None:
        for _ in range(tracking.LOOKUPS_PER_WINDOW):
            assert self.look_up("H99.x", "AAAAAA").status_code == 404  # type: ignore[attr-defined]
        limited = self.look_up(self.dossier.code, self.dossier.lookup_secret)
        assert limited.status_code == 429  # type: ignore[attr-defined]
        assert "quá nhiều lần" in limited.content.decode()  # type: ignore[attr-defined]
        assert self.dossier.code not in limited.content.decode().split("<form")[0]  # type: ignore[attr-defined]
        other = self.look_up(self.dossier.code, self.dossier.lookup_secret, address="198.51.100.7")
        assert other.status_code == 200  # type: ignore[attr-defined]

    def test_the_empty_page_offers_the_lookup_form(self) -> None:
        body = self.client.get(reverse("track")).content.decode()
        assert 'name="ma"' in body
        assert 'name="k"' in body
        assert "Mã tra cứu" in body

    def test_masking_keeps_initials_and_the_given_name(self) -> None:
        assert tracking.mask_name("Nguyễn Thị Hà") == "N. T. Hà"
        assert tracking.mask_name("Hà") == "Hà"
        assert tracking.mask_name("") == ""
