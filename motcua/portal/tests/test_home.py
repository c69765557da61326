from django.urls import reverse

from motcua.testing.base import PersonaTestCase


class HomePageTests(PersonaTestCase):
    def test_a_visitor_sees_the_vietnamese_welcome_and_a_login_link(self) -> None:
        response = self.client.get("/")
        body = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="vi">' in body
        assert "Hệ thống thông tin một cửa điện tử" in body
        assert reverse("login") in body

    def test_a_citizen_sees_their_own_account(self) -> None:
        self.client.force_login(self.p.an)
        body = self.client.get("/").content.decode()
        assert "Xin chào, Nguyễn Văn An" in body
        assert "038090001234" in body
        assert "Công dân" in body

    def test_an_officer_is_taken_to_their_work_home(self) -> None:
        self.client.force_login(self.p.binh)
        response = self.client.get("/")
        assert response.status_code == 302
        assert response["Location"] == reverse("backoffice:home")

    def test_the_header_names_the_officers_role_and_unit(self) -> None:
        self.client.force_login(self.p.binh)
        body = self.client.get(reverse("backoffice:home")).content.decode()
        assert "Cán bộ tiếp nhận và trả kết quả · UBND phường A" in body

    def test_english_is_available_through_the_language_switch(self) -> None:
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        body = self.client.get("/").content.decode()
        assert '<html lang="en">' in body
        assert "Electronic one-stop-shop information system" in body
        assert "Log in" in body


class LoginTests(PersonaTestCase):
    def test_a_wrong_password_is_explained_in_vietnamese(self) -> None:
        response = self.client.post(reverse("login"), {"username": "an", "password": "sai"})
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()

    def test_a_citizen_logs_in_with_username_and_password(self) -> None:
        from motcua.testing.builders import PASSWORD

        response = self.client.post(reverse("login"), {"username": "an", "password": PASSWORD})
        assert response.status_code == 302
        assert self.client.get("/").context["user"] == self.p.an

    def test_logging_out_needs_a_post_and_ends_the_session(self) -> None:
        self.client.force_login(self.p.an)
        self.client.post(reverse("logout"))
        assert not self.client.get("/").context["user"].is_authenticated
