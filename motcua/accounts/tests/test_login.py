"""Logging in with a user name, an e-mail address or a phone number; lockout after
repeated failures, its message and its expiry."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from motcua.accounts.models import LoginThrottle
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import PASSWORD, make_user
from motcua.testing.dossiers import VN

MORNING = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VN)


class LoginNameTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.p.an.email = "an@example.vn"
        cls.p.an.save(update_fields=["email"])

    def log_in(self, name: str, password: str = PASSWORD, address: str = "10.0.0.1") -> str:
        response = self.client.post(
            reverse("login"), {"username": name, "password": password}, REMOTE_ADDR=address
        )
        if response.status_code == 302:
            return "ok"
        return response.content.decode()

    def test_a_citizen_logs_in_with_their_email_in_any_case(self) -> None:
        assert self.log_in("AN@Example.vn") == "ok"
        assert self.client.get("/").context["user"] == self.p.an

    def test_a_citizen_logs_in_with_their_phone_number_written_with_the_country_code(self) -> None:
        assert self.log_in("+84 912 345 678") == "ok"
        assert self.client.get("/").context["user"] == self.p.an

    def test_an_officer_still_logs_in_with_the_user_name(self) -> None:
        assert self.log_in("binh") == "ok"

    def test_a_wrong_password_gives_the_same_answer_for_every_kind_of_name(self) -> None:
        for name in ("an", "an@example.vn", "0912345678", "nobody@example.vn"):
            body = self.log_in(name, "sai-mat-khau")
            assert "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại." in body

    def test_an_inactive_account_cannot_log_in(self) -> None:
        self.p.ha.is_active = False
        self.p.ha.save(update_fields=["is_active"])
        assert self.log_in("ha") != "ok"


class LockoutTests(PersonaTestCase):
    def log_in(self, name: str, password: str, address: str = "10.0.0.1") -> str:
        response = self.client.post(
            reverse("login"), {"username": name, "password": password}, REMOTE_ADDR=address
        )
        return "ok" if response.status_code == 302 else response.content.decode()

    def fail_login(self, times: int, name: str = "an", address: str = "10.0.0.1") -> str:
        body = ""
        for _ in range(times):
            body = self.log_in(name, "sai-mat-khau", address)
        return body

    def test_the_fifth_failure_locks_the_account_from_that_address_with_a_clear_message(
        self,
    ) -> None:
        with time_machine.travel(MORNING, tick=False):
            assert "không đúng" in self.fail_login(4)
            body = self.fail_login(1)
        assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in body
        assert "trong 15 phút, đến 09:15" in body

    def test_while_locked_even_the_right_password_is_refused(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            self.fail_login(5)
        with time_machine.travel(MORNING + dt.timedelta(minutes=14), tick=False):
            body = self.log_in("an", PASSWORD)
        assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in body

    def test_the_lock_ends_after_fifteen_minutes(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            self.fail_login(5)
        with time_machine.travel(MORNING + dt.timedelta(minutes=15, seconds=1), tick=False):
            assert self.log_in("an", PASSWORD) == "ok"
        assert not LoginThrottle.objects.exists()  # success forgets the failures

    def test_failures_with_the_email_phone_and_user_name_count_together(self) -> None:
        self.p.an.email = "an@example.vn"
        self.p.an.save(update_fields=["email"])
        with time_machine.travel(MORNING, tick=False):
            self.fail_login(2, "an")
            self.fail_login(2, "an@example.vn")
            body = self.fail_login(1, "0912345678")
        assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in body

    def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            self.fail_login(4)
        with time_machine.travel(MORNING + dt.timedelta(minutes=16), tick=False):
            assert "không đúng" in self.fail_login(1)
            assert self.log_in("an", PASSWORD) == "ok"

    def test_the_lock_holds_for_one_address_only(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            self.fail_login(5, address="10.0.0.1")
            assert self.log_in("an", PASSWORD, address="10.0.0.2") == "ok"

    def test_other_accounts_are_not_locked(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            self.fail_login(5, "an")
            assert self.log_in("ha", PASSWORD) == "ok"

    def test_names_of_no_account_are_locked_too(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            body = self.fail_login(5, "khong-ai@example.vn")
        assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in body


class AdminLoginLockoutTests(PersonaTestCase):
    def test_the_admin_login_counts_failures_and_locks_like_the_portal(self) -> None:
        admin = make_user("quantri", "Quản trị", is_staff=True, is_superuser=True)
        url = reverse("admin:login")
        with time_machine.travel(MORNING, tick=False):
            for _ in range(4):
                self.client.post(url, {"username": "quantri", "password": "sai"})
            body = self.client.post(url, {"username": "quantri", "password": "sai"})
            assert "Bạn đã nhập sai mật khẩu quá nhiều lần" in body.content.decode()
            locked = self.client.post(url, {"username": "quantri", "password": PASSWORD})
            assert locked.status_code == 200
        with time_machine.travel(MORNING + dt.timedelta(minutes=16), tick=False):
            response = self.client.post(url, {"username": "quantri", "password": PASSWORD})
            assert response.status_code == 302
            assert self.client.get("/quan-tri/").context["user"] == admin


class StaleRowsTests(PersonaTestCase):
    def test_rows_of_guesses_over_a_day_old_are_forgotten(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            self.client.post(reverse("login"), {"username": "khong-ai", "password": "sai"})
        with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):
            self.client.post(reverse("login"), {"username": "an", "password": "sai"})
        assert list(LoginThrottle.objects.values_list("account", flat=True)) == [
            f"user:{self.p.an.pk}"
        ]
