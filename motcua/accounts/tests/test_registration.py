"""A citizen registers with an e-mail address or a phone number and a password."""

from __future__ import annotations

from django.urls import reverse

from motcua.accounts.models import User
from motcua.testing.base import PersonaTestCase

GOOD = {
    "full_name": "  Lê   Thị Mai ",
    "email": "Mai.Le@Example.vn",
    "phone": "",
    "password1": "hoa-sen-no-muon",
    "password2": "hoa-sen-no-muon",
}


class RegistrationTests(PersonaTestCase):
    def post(self, **changes: str) -> str:
        response = self.client.post(reverse("register"), {**GOOD, **changes})
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def test_a_citizen_registers_with_an_email_and_is_logged_in(self) -> None:
        response = self.client.post(reverse("register"), GOOD)
        assert response.status_code == 302
        user = User.objects.get(email="mai.le@example.vn")
        assert user.full_name == "Lê Thị Mai"
        assert user.username == "mai.le@example.vn"
        assert user.check_password("hoa-sen-no-muon")
        home = self.client.get("/")
        assert home.context["user"] == user
        assert "Đăng ký thành công" in home.content.decode()

    def test_a_citizen_registers_with_a_phone_number_in_any_common_spelling(self) -> None:
        response = self.client.post(
            reverse("register"), {**GOOD, "email": "", "phone": "+84 98 765 4320"}
        )
        assert response.status_code == 302
        user = User.objects.get(phone="0987654320")
        assert user.username == "0987654320"
        assert user.email == ""

    def test_an_email_or_a_phone_is_required_and_the_error_is_next_to_the_field(self) -> None:
        body = self.post(email="", phone="")
        assert 'id="id_email-error"' in body
        assert "Nhập thư điện tử hoặc số điện thoại" in body
        assert 'value="Lê Thị Mai"' in body or 'value="  Lê   Thị Mai "' in body
        assert not User.objects.filter(full_name__contains="Mai").exists()

    def test_a_wrong_phone_number_is_explained_in_vietnamese_and_kept(self) -> None:
        body = self.post(email="", phone="012345")
        assert 'id="id_phone-error"' in body
        assert "Số điện thoại di động gồm 10 chữ số" in body
        assert 'value="012345"' in body

    def test_an_email_already_used_by_another_account_is_refused_in_any_case(self) -> None:
        self.p.ha.email = "ha@example.vn"
        self.p.ha.save(update_fields=["email"])
        body = self.post(email="HA@example.VN")
        assert "Thư điện tử này đã được dùng cho một tài khoản khác." in body
        assert 'value="HA@example.VN"' in body

    def test_a_phone_already_used_by_another_account_is_refused(self) -> None:
        body = self.post(email="", phone="0912 345 678")  # An's number
        assert "Số điện thoại này đã được dùng cho một tài khoản khác." in body

    def test_the_password_validators_speak_vietnamese_next_to_the_password(self) -> None:
        body = self.post(password1="12345678", password2="12345678")
        assert 'id="id_password2-error"' in body
        assert "Mật khẩu này" in body  # Django's Vietnamese messages: too common, all digits
        assert 'value="Mai.Le@Example.vn"' in body
        assert 'value="12345678"' not in body  # passwords are never sent back

    def test_two_different_passwords_are_refused(self) -> None:
        body = self.post(password2="hoa-sen-no-som")
        assert "Hai mật khẩu không khớp nhau." in body

    def test_the_registration_page_links_from_the_login_page(self) -> None:
        body = self.client.get(reverse("login")).content.decode()
        assert reverse("register") in body
        assert reverse("password_reset") in body
