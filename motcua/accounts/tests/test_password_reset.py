"""Resetting a forgotten password by e-mail, with Django's one-time tokens."""

from __future__ import annotations

import re

import time_machine
from django.core import mail
from django.urls import reverse

from motcua.accounts.models import LoginThrottle
from motcua.testing.base import PersonaTestCase


class PasswordResetTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.p.an.email = "an@example.vn"
        cls.p.an.save(update_fields=["email"])

    def ask(self, email: str) -> None:
        response = self.client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")

    def link(self) -> str:
        found = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", str(mail.outbox[-1].body))
        assert found is not None, mail.outbox[-1].body
        return found.group(1)

    def test_the_citizen_gets_a_vietnamese_email_and_sets_a_new_password(self) -> None:
        self.ask("AN@example.vn")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["an@example.vn"]
        assert message.subject == "Đặt lại mật khẩu tài khoản dịch vụ công"
        assert "Kính gửi Nguyễn Văn An" in str(message.body)
        form_page = self.client.get(self.link(), follow=True)
        assert "Đặt mật khẩu mới" in form_page.content.decode()
        response = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "mua-thu-ha-noi", "new_password2": "mua-thu-ha-noi"},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_complete")
        self.p.an.refresh_from_db()
        assert self.p.an.check_password("mua-thu-ha-noi")

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self) -> None:
        self.ask("nobody@example.vn")
        assert mail.outbox == []

    def test_the_link_works_only_once(self) -> None:
        self.ask("an@example.vn")
        link = self.link()
        page = self.client.get(link, follow=True)
        self.client.post(
            page.redirect_chain[-1][0],
            {"new_password1": "mua-thu-ha-noi", "new_password2": "mua-thu-ha-noi"},
        )
        again = self.client.get(link, follow=True).content.decode()
        assert "không hợp lệ hoặc đã được dùng" in again

    def test_the_link_expires(self) -> None:
        self.ask("an@example.vn")
        link = self.link()
        with time_machine.travel(dt_after_days(2)):
            again = self.client.get(link, follow=True).content.decode()
        assert "không hợp lệ hoặc đã được dùng" in again

    def test_a_weak_new_password_is_refused_next_to_the_field(self) -> None:
        self.ask("an@example.vn")
        page = self.client.get(self.link(), follow=True)
        body = self.client.post(
            page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
        ).content.decode()
        assert 'id="id_new_password2-error"' in body

    def test_a_new_password_lifts_the_lockout(self) -> None:
        for _ in range(5):
            self.client.post(reverse("login"), {"username": "an", "password": "sai"})
        assert LoginThrottle.objects.filter(locked_until__isnull=False).exists()
        self.ask("an@example.vn")
        page = self.client.get(self.link(), follow=True)
        self.client.post(
            page.redirect_chain[-1][0],
            {"new_password1": "mua-thu-ha-noi", "new_password2": "mua-thu-ha-noi"},
        )
        assert not LoginThrottle.objects.exists()


def dt_after_days(days: int) -> float:
    import time

    return time.time() + days * 86400
