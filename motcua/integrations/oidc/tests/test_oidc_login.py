"""Logging in through an OpenID Connect provider like VNeID, against the simulator
(in-process: the relying party's HTTP calls go through the test client, no socket)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from django.test import override_settings
from django.urls import reverse

from motcua.accounts.models import ExternalIdentity, User
from motcua.integrations.oidc.client import forget_metadata
from motcua.integrations.vneid_sim.citizens import BY_KEY
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import make_process_procedure, online_dossier

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

SIMULATOR = {
    "VNEID_SIMULATOR": True,
    "OIDC_DISCOVERY_URL": "http://testserver/mo-phong/vneid/.well-known/openid-configuration",
    "OIDC_CLIENT_ID": "motcua-mo-phong",
    "OIDC_CLIENT_SECRET": "mo-phong-khong-bi-mat",
    "OIDC_HTTP_ADAPTER": "motcua.integrations.oidc.inprocess.InProcessAdapter",
    "OIDC_LOGIN_LABEL": "Đăng nhập bằng VNeID (mô phỏng)",
}


@override_settings(**SIMULATOR)
class OidcLoginTests(PersonaTestCase):
    def setUp(self) -> None:
        forget_metadata()

    def authorize(self, citizen: str, next_url: str = "") -> str:
        """Start the login and consent at the simulator; the URL it sends the browser back to."""
        start = self.client.get(reverse("oidc:start") + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302, start.content
        to = urlsplit(start["Location"])
        assert to.path == reverse("vneid_sim:authorize")
        params = {k: v[0] for k, v in parse_qs(to.query).items()}
        assert all(params.get(k) for k in ("nonce", "state", "code_challenge"))
        consent = self.client.post(to.path, {**params, "citizen": citizen, "allow": ""})
        assert consent.status_code == 302
        return str(consent["Location"])

    def log_in_as(self, citizen: str, next_url: str = "") -> _MonkeyPatchedWSGIResponse:
        back = urlsplit(self.authorize(citizen, next_url))
        return self.client.get(f"{back.path}?{back.query}")

    def test_the_login_page_offers_the_e_identity_button(self) -> None:
        body = self.client.get(reverse("login")).content.decode()
        assert "Đăng nhập bằng VNeID (mô phỏng)" in body
        assert reverse("oidc:start") in body

    def test_a_first_login_creates_the_citizen_with_their_identity_data(self) -> None:
        response = self.log_in_as("cuong")
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        user = User.objects.get(identity_number="038088012345")
        assert user.full_name == "Lê Văn Cường"
        assert str(user.date_of_birth) == "1988-11-20"
        assert user.address == "Thôn Trung Chính, xã Hoằng Hóa, tỉnh Thanh Hóa"
        assert user.phone == "0977123456"
        assert user.email == "cuong@example.vn"
        assert not user.has_usable_password()
        link = ExternalIdentity.objects.get(user=user)
        assert link.issuer == "http://testserver/mo-phong/vneid"
        assert link.subject == BY_KEY["cuong"].subject
        home = self.client.get("/")
        assert home.context["user"] == user
        assert "Đã đăng nhập bằng định danh điện tử: Lê Văn Cường." in home.content.decode()

    def test_a_second_login_updates_the_account_and_does_not_duplicate_it(self) -> None:
        self.log_in_as("cuong")
        user = User.objects.get(identity_number="038088012345")
        user.full_name, user.address = "Tên cũ", "Địa chỉ cũ"
        user.save(update_fields=["full_name", "address"])
        self.client.post(reverse("logout"))
        assert self.log_in_as("cuong").status_code == 302
        assert User.objects.filter(identity_number="038088012345").count() == 1
        assert ExternalIdentity.objects.filter(subject=BY_KEY["cuong"].subject).count() == 1
        user.refresh_from_db()
        assert user.full_name == "Lê Văn Cường"
        assert user.address.startswith("Thôn Trung Chính")

    def test_an_existing_citizen_is_found_by_identity_number_and_keeps_their_contacts(
        self,
    ) -> None:
        users_before = User.objects.count()
        self.log_in_as("an")
        assert User.objects.count() == users_before
        self.p.an.refresh_from_db()
        assert self.p.an.date_of_birth is not None
        assert self.p.an.has_usable_password()  # their password login still works
        assert self.client.get("/").context["user"] == self.p.an

    def test_a_citizen_logged_in_this_way_sees_only_their_own_dossiers(self) -> None:
        version = make_process_procedure()
        dossier = online_dossier(self.p, version)  # An's
        self.log_in_as("an")
        assert self.client.get(reverse("my_dossier", args=[dossier.pk])).status_code == 200
        self.client.post(reverse("logout"))
        self.log_in_as("ha")
        assert self.client.get("/").context["user"] == self.p.ha
        assert self.client.get(reverse("my_dossier", args=[dossier.pk])).status_code == 404

    def test_it_returns_to_the_page_asked_for_but_never_to_another_site(self) -> None:
        assert self.log_in_as("lan", "/thu-tuc/")["Location"] == "/thu-tuc/"
        self.client.post(reverse("logout"))
        assert self.log_in_as("lan", "https://evil.example/")["Location"] == reverse("home")

    def test_a_changed_state_is_refused(self) -> None:
        back = urlsplit(self.authorize("cuong"))
        query = {k: v[0] for k, v in parse_qs(back.query).items()}
        query["state"] = "ke-gian"
        response = self.client.get(back.path, query)
        assert response.status_code == 400
        assert "Phiên đăng nhập không hợp lệ hoặc đã hết hạn" in response.content.decode()
        assert not User.objects.filter(identity_number="038088012345").exists()

    def test_an_answer_arriving_in_another_browser_is_refused(self) -> None:
        back = urlsplit(self.authorize("cuong"))
        self.client.cookies.clear()  # another browser: no state in its session
        assert self.client.get(f"{back.path}?{back.query}").status_code == 400
        assert not User.objects.filter(identity_number="038088012345").exists()

    def test_an_id_token_with_another_nonce_is_refused(self) -> None:
        back = urlsplit(self.authorize("cuong"))
        state = parse_qs(back.query)["state"][0]
        session = self.client.session
        key = f"_state_vneid_{state}"
        stored = session[key]
        stored["data"]["nonce"] = "mot-nonce-khac"
        session[key] = stored
        session.save()
        response = self.client.get(f"{back.path}?{back.query}")
        assert response.status_code == 400
        assert not User.objects.filter(identity_number="038088012345").exists()

    def test_an_answer_cannot_be_used_twice(self) -> None:
        back = urlsplit(self.authorize("cuong"))
        assert self.client.get(f"{back.path}?{back.query}").status_code == 302
        assert self.client.get(f"{back.path}?{back.query}").status_code == 400

    def test_cancelling_at_the_provider_returns_to_the_login_page(self) -> None:
        start = urlsplit(self.client.get(reverse("oidc:start"))["Location"])
        params = {k: v[0] for k, v in parse_qs(start.query).items()}
        back = urlsplit(self.client.post(start.path, {**params, "cancel": ""})["Location"])
        response = self.client.get(f"{back.path}?{back.query}", follow=True)
        assert response.redirect_chain[-1][0] == reverse("login")
        assert "Bạn đã hủy đăng nhập bằng định danh điện tử." in response.content.decode()

    def test_an_officers_identity_number_does_not_log_into_the_officers_account(self) -> None:
        self.p.binh.identity_number = "038088012345"
        self.p.binh.save(update_fields=["identity_number"])
        response = self.log_in_as("cuong")
        assert response.status_code == 403
        assert "tài khoản công vụ" in response.content.decode()
        assert not self.client.get("/").context["user"].is_authenticated

    @override_settings(OIDC_IDENTITY_CLAIM="so_dinh_danh")
    def test_without_the_configured_identity_claim_nobody_is_logged_in(self) -> None:
        response = self.log_in_as("cuong")
        assert response.status_code == 403
        assert "số định danh cá nhân hợp lệ" in response.content.decode()


@override_settings(OIDC_DISCOVERY_URL="", OIDC_CLIENT_ID="", VNEID_SIMULATOR=False)
class NoProviderTests(PersonaTestCase):
    def test_without_a_provider_there_is_no_button_and_no_e_identity_login(self) -> None:
        assert "VNeID" not in self.client.get(reverse("login")).content.decode()
        assert self.client.get(reverse("oidc:start")).status_code == 404
        assert self.client.get(reverse("oidc:callback")).status_code == 404

    @override_settings(
        OIDC_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration",
        OIDC_CLIENT_ID="motcua",
        OIDC_HTTP_ADAPTER="motcua.integrations.oidc.inprocess.InProcessAdapter",
    )
    def test_an_unreachable_provider_is_explained(self) -> None:
        forget_metadata()
        response = self.client.get(reverse("oidc:start"))
        assert response.status_code == 502
        assert "Không kết nối được với hệ thống định danh điện tử" in response.content.decode()
