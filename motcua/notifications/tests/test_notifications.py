"""Notifications to the applicant: written with the event, sent after the commit, retried,
their delivery recorded; the local simulators show what a citizen received."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import time_machine
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.test import override_settings

from motcua.accounts.models import User
from motcua.dossiers import actions
from motcua.dossiers.models import Channel as DossierChannel
from motcua.dossiers.models import Dossier, EventKind
from motcua.notifications import outbox
from motcua.notifications.models import Channel, Delivery, Notification, SimulatedMessage
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, make_process_procedure, submission

PHONE = "0912345678"


class NotificationTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()

    def receive(self, decision: str = "accept", reason: str = "") -> Dossier:
        given = submission(self.p, self.version)
        applicant = actions.Applicant(
            name="Nguyễn Văn An", phone=PHONE, email="an@example.vn", address="12 Lê Lợi"
        )
        return actions.receive_at_desk(
            submission(self.p, self.version, applicant=applicant, components=given.components),
            officer=self.p.binh,
            channel=DossierChannel.DIRECT,
            decision=decision,
            reason=reason,
            applicant_user=self.p.an,
        )

    def test_accepting_a_dossier_tells_the_applicant_by_email_and_sms_after_the_commit(
        self,
    ) -> None:
        with (
            time_machine.travel(MONDAY_9AM, tick=False),
            self.captureOnCommitCallbacks(execute=True),
        ):
            dossier = self.receive()
        [email] = mail.outbox
        assert email.to == ["an@example.vn"]
        assert email.subject.endswith(f"Đã tiếp nhận hồ sơ {dossier.code}")
        assert "Kính gửi Nguyễn Văn An" in email.body
        assert "Ngày hẹn trả kết quả: 09:00 19/03/2026" in email.body
        assert f"/tra-cuu/?ma={dossier.code}&k={dossier.lookup_secret}" in email.body
        [sms] = SimulatedMessage.objects.filter(channel=Channel.SMS)
        assert sms.recipient == PHONE
        assert sms.body.startswith(f"Ho so {dossier.code} da duoc tiep nhan, hen tra ket qua")
        assert sms.body.isascii()
        sent = Notification.objects.filter(dossier=dossier)
        assert {(n.channel, n.status, n.attempts) for n in sent} == {
            ("email", "sent", 1),
            ("sms", "sent", 1),
        }
        assert all(n.sent_at == MONDAY_9AM for n in sent)

    def test_nothing_is_sent_until_the_action_has_committed(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            dossier = self.receive()
        assert Notification.objects.filter(dossier=dossier, status=Delivery.PENDING).count() == 2
        assert mail.outbox == []
        assert not SimulatedMessage.objects.exists()
        assert len(callbacks) >= 2

    def test_each_told_event_says_what_happened_and_other_events_say_nothing(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False) as clock:
            asked = self.receive("supplement", "Bản sao giấy khai sinh có chứng thực")
            refused = self.receive("refuse", "Thủ tục không thuộc thẩm quyền của phường")
            accepted = self.receive()
            actions.forward(accepted.pk, actor=self.p.binh)  # a hand-over: nothing to tell
            clock.shift(dt.timedelta(days=1))
            actions.extend(
                accepted.pk,
                actor=self.p.hung,
                new_due=dt.date(2026, 3, 24),
                reason="Chờ kết quả xác minh của công an",
            )

        def email(dossier: Dossier, kind: EventKind) -> Notification:
            return Notification.objects.get(dossier=dossier, event__kind=kind, channel="email")

        supplement = email(asked, EventKind.SUPPLEMENT_REQUESTED)
        assert "cần bổ sung" in supplement.subject
        assert "Bản sao giấy khai sinh có chứng thực" in supplement.body
        assert (
            "Lý do: Thủ tục không thuộc thẩm quyền của phường"
            in email(refused, EventKind.REFUSED).body
        )
        extended = email(accepted, EventKind.EXTENDED)
        assert "Xin lỗi" in extended.subject
        assert "Chờ kết quả xác minh của công an" in extended.body
        assert "Ngày hẹn trả kết quả mới: 17:00 24/03/2026" in extended.body
        assert not Notification.objects.filter(event__kind=EventKind.FORWARDED).exists()

    def test_the_result_ready_message_names_the_result_and_how_it_will_be_received(self) -> None:
        dossier = self.receive()
        p = self.p
        actions.forward(dossier.pk, actor=p.binh)
        actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
        actions.forward(dossier.pk, actor=p.chi)
        actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12/GXN")
        ready = Notification.objects.get(event__kind=EventKind.RESULT_READY, channel="email")
        assert "đã có kết quả: Giấy xác nhận số 12/GXN" in ready.body
        assert "Hình thức nhận kết quả Ông/Bà đã chọn: " in ready.body

    @override_settings(SMS_SIMULATOR_FAILING=[PHONE])
    def test_a_failed_sms_is_retried_with_growing_delays_then_marked_failed(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False) as clock:
            dossier = self.receive()
            sms = Notification.objects.get(dossier=dossier, channel="sms")
            assert outbox.deliver(sms.pk) == "retrying"
            sms.refresh_from_db()
            assert sms.attempts == 1
            assert "không liên lạc được" in sms.last_error
            assert sms.next_attempt_at == MONDAY_9AM + dt.timedelta(minutes=1)
            assert outbox.deliver(sms.pk) == "skipped"  # not due yet
            waited = []
            for _ in range(4):
                sms.refresh_from_db()
                assert sms.next_attempt_at is not None
                waited.append(round((sms.next_attempt_at - dt.datetime.now(tz=dt.UTC)).seconds))
                clock.move_to(sms.next_attempt_at)
                outbox.deliver(sms.pk)
            sms.refresh_from_db()
        assert waited == [60, 300, 1800, 7200]
        assert (sms.status, sms.attempts) == ("failed", 5)
        assert sms.next_attempt_at is None
        assert not SimulatedMessage.objects.filter(channel=Channel.SMS).exists()

    def test_a_retry_goes_through_once_the_gateway_is_back(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False) as clock:
            dossier = self.receive()
            sms = Notification.objects.get(dossier=dossier, channel="sms")
            with override_settings(SMS_SIMULATOR_FAILING=[PHONE]):
                outbox.deliver(sms.pk)
            clock.shift(dt.timedelta(minutes=2))
            out = StringIO()
            call_command("send_notifications", stdout=out)
        sms.refresh_from_db()
        assert (sms.status, sms.attempts, sms.last_error) == ("sent", 2, "")
        assert sms.provider_id.startswith("sms-sim-")
        assert "gửi được 2" in out.getvalue()  # the e-mail was pending too

    def test_a_notification_is_sent_once_even_when_asked_twice(self) -> None:
        dossier = self.receive()
        sms = Notification.objects.get(dossier=dossier, channel="sms")
        assert outbox.deliver(sms.pk) == "sent"
        assert outbox.deliver(sms.pk) == "skipped"
        assert SimulatedMessage.objects.filter(channel=Channel.SMS).count() == 1

    @override_settings(SMS_GATEWAY="")
    def test_without_an_sms_gateway_only_the_email_is_written(self) -> None:
        dossier = self.receive()
        assert list(
            Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)
        ) == ["email"]

    def test_an_applicant_without_email_or_phone_gets_no_notification(self) -> None:
        given = submission(self.p, self.version, applicant=actions.Applicant(name="Lê Văn Ba"))
        dossier = actions.receive_at_desk(given, officer=self.p.binh, channel=DossierChannel.DIRECT)
        assert dossier.events.filter(kind=EventKind.ACCEPTED).exists()
        assert not Notification.objects.filter(dossier=dossier).exists()


@override_settings(EMAIL_BACKEND="motcua.notifications.gateways.SimulatorEmailBackend")
class MailSimulatorTests(PersonaTestCase):
    def test_the_demo_mail_simulator_keeps_every_message_for_the_administrator(self) -> None:
        send_mail("Đặt lại mật khẩu", "Mở liên kết sau…", None, ["an@example.vn", "ha@example.vn"])
        kept = SimulatedMessage.objects.filter(channel=Channel.EMAIL).order_by("recipient")
        assert [(m.recipient, m.subject) for m in kept] == [
            ("an@example.vn", "Đặt lại mật khẩu"),
            ("ha@example.vn", "Đặt lại mật khẩu"),
        ]


class DossierPageTests(PersonaTestCase):
    def test_the_officer_sees_what_the_applicant_was_told_and_whether_it_arrived(self) -> None:
        version = make_process_procedure()
        with (
            override_settings(SMS_SIMULATOR_FAILING=[PHONE]),
            self.captureOnCommitCallbacks(execute=True),
        ):
            dossier = actions.receive_at_desk(
                submission(self.p, version),
                officer=self.p.binh,
                channel=DossierChannel.DIRECT,
                applicant_user=self.p.an,
            )
        self.client.force_login(self.p.binh)
        page = self.client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
        assert "Thông báo cho người nộp" in page
        assert "Tin nhắn SMS" in page
        assert PHONE in page
        assert "Gửi lỗi, sẽ gửi lại" in page
        assert "không liên lạc được (mô phỏng)" in page


class AdminTests(PersonaTestCase):
    def test_the_administrator_reads_the_simulated_inbox_and_phone(self) -> None:
        SimulatedMessage.objects.create(
            channel=Channel.SMS, recipient=PHONE, body="Ho so H56.1 da co ket qua."
        )
        admin = User.objects.create_superuser("quantri", "qt@example.vn", "x")
        self.client.force_login(admin)
        page = self.client.get("/quan-tri/notifications/simulatedmessage/")
        assert page.status_code == 200
        assert "Ho so H56.1 da co ket qua." in page.content.decode()
        assert self.client.get("/quan-tri/notifications/notification/").status_code == 200
