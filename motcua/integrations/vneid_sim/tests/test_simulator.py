"""The local VNeID simulator: only when switched on, and strict like a real provider."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet

from motcua.accounts.identity import parse_identity_number
from motcua.integrations.vneid_sim.citizens import CITIZENS

CLIENT = {"client_id": "motcua-mo-phong", "client_secret": "mo-phong-khong-bi-mat"}
BACK = "http://testserver/dang-nhap/vneid/ve/"
VERIFIER = "mot-chuoi-bi-mat-du-dai-cho-pkce-0123456789-abcdefghij"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=")


@override_settings(VNEID_SIMULATOR=True)
class SimulatorTests(SimpleTestCase):
    def code(self, citizen: str = "an", **extra: str) -> str:
        params = {
            "client_id": "motcua-mo-phong",
            "redirect_uri": BACK,
            "response_type": "code",
            "scope": "openid profile",
            "state": "s1",
            "nonce": "n1",
            "code_challenge": CHALLENGE.decode(),
            "code_challenge_method": "S256",
            **extra,
        }
        response = self.client.post(reverse("vneid_sim:authorize"), {**params, "citizen": citizen})
        assert response.status_code == 302
        back = urlsplit(response["Location"])
        assert f"http://testserver{back.path}" == BACK
        query = parse_qs(back.query)
        assert query["state"] == ["s1"]
        return query["code"][0]

    def exchange(self, code: str, **changes: str) -> dict[str, object]:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": BACK,
            "code_verifier": VERIFIER,
            **CLIENT,
            **changes,
        }
        response = self.client.post(reverse("vneid_sim:token"), data)
        result: dict[str, object] = response.json()
        result["status"] = response.status_code
        return result

    def test_every_simulated_citizen_has_a_valid_identity_number_matching_the_birth_year(
        self,
    ) -> None:
        for citizen in CITIZENS:
            parsed = parse_identity_number(citizen.identity_number)
            assert parsed.birth_year == citizen.birthdate.year
            assert parsed.female == (citizen.gender == "female")
            assert parsed.place_code == "038"  # Thanh Hóa
            assert "Thanh Hóa" in citizen.address

    def test_the_discovery_document_names_every_endpoint(self) -> None:
        doc = self.client.get("/mo-phong/vneid/.well-known/openid-configuration").json()
        assert doc["issuer"] == "http://testserver/mo-phong/vneid"
        assert doc["token_endpoint"] == "http://testserver/mo-phong/vneid/token/"
        assert doc["id_token_signing_alg_values_supported"] == ["RS256"]

    def test_the_authorize_page_lists_the_citizens(self) -> None:
        body = self.client.get(
            reverse("vneid_sim:authorize"), {"client_id": "motcua-mo-phong", "redirect_uri": BACK}
        ).content.decode()
        assert "Nguyễn Văn An" in body
        assert "Trần Thị Hà" in body
        assert "trang mô phỏng" in body

    def test_an_unknown_client_or_a_foreign_redirect_is_refused(self) -> None:
        url = reverse("vneid_sim:authorize")
        assert self.client.get(url, {"client_id": "x", "redirect_uri": BACK}).status_code == 400
        foreign = {"client_id": "motcua-mo-phong", "redirect_uri": "https://evil.example/cb"}
        assert self.client.get(url, foreign).status_code == 400

    def test_the_id_token_is_signed_with_the_published_key_and_carries_the_nonce(self) -> None:
        answer = self.exchange(self.code("ha"))
        assert answer["status"] == 200
        keys = KeySet.import_key_set(self.client.get(reverse("vneid_sim:jwks")).json())
        token = jwt.decode(str(answer["id_token"]), keys)
        assert token.header["alg"] == "RS256"
        assert token.claims["nonce"] == "n1"
        assert token.claims["aud"] == "motcua-mo-phong"
        assert token.claims["identity_number"] == "038195004567"
        assert token.claims["name"] == "Trần Thị Hà"
        info = self.client.get(
            reverse("vneid_sim:userinfo"),
            headers={"Authorization": f"Bearer {answer['access_token']}"},
        ).json()
        assert info["sub"] == token.claims["sub"]
        assert info["birthdate"] == "1995-09-02"

    def test_a_code_works_once(self) -> None:
        code = self.code()
        assert self.exchange(code)["status"] == 200
        assert self.exchange(code)["error"] == "invalid_grant"

    def test_a_wrong_secret_a_wrong_verifier_or_another_redirect_are_refused(self) -> None:
        assert self.exchange(self.code(), client_secret="sai")["status"] == 401
        assert self.exchange(self.code(), code_verifier="khac")["error"] == "invalid_grant"
        assert self.exchange(self.code(), redirect_uri=BACK + "x")["error"] == "invalid_grant"

    def test_a_code_expires_after_two_minutes(self) -> None:
        code = self.code()
        with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=3)):
            assert self.exchange(code)["error"] == "invalid_grant"


class SwitchedOffTests(SimpleTestCase):
    @override_settings(VNEID_SIMULATOR=False)
    def test_every_page_is_not_found_when_the_simulator_is_off(self) -> None:
        for name in ("discovery", "authorize", "jwks", "userinfo"):
            assert self.client.get(reverse(f"vneid_sim:{name}")).status_code == 404
        assert self.client.post(reverse("vneid_sim:token")).status_code == 404

    @override_settings(VNEID_SIMULATOR=True, DEMO=False, DEBUG=False)
    def test_the_deploy_check_warns_when_it_is_on_in_production(self) -> None:
        from motcua.integrations.vneid_sim.checks import simulator_is_off_in_production

        assert [m.id for m in simulator_is_off_in_production()] == ["motcua.W001"]

    @override_settings(VNEID_SIMULATOR=False, DEMO=False, DEBUG=False)
    def test_the_deploy_check_is_quiet_when_it_is_off(self) -> None:
        from motcua.integrations.vneid_sim.checks import simulator_is_off_in_production

        assert simulator_is_off_in_production() == []
        call_command("check", "--deploy", "--tag", "security", verbosity=0)


@override_settings(VNEID_SIMULATOR=True, ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"])
class RedirectTests(SimpleTestCase):
    def test_codes_go_back_to_any_name_of_this_site_and_to_nowhere_else(self) -> None:
        url = reverse("vneid_sim:authorize")
        for back, status in (
            ("http://localhost:8765/dang-nhap/vneid/ve/", 200),
            ("http://127.0.0.1:8765/dang-nhap/vneid/ve/", 200),
            ("http://127.0.0.1.evil.example/dang-nhap/vneid/ve/", 400),
            ("javascript:alert(1)", 400),
        ):
            response = self.client.get(url, {"client_id": "motcua-mo-phong", "redirect_uri": back})
            assert response.status_code == status, back
