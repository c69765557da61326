"""Where messages leave motcua: e-mail through Django's mail backend (SMTP by settings), SMS
through a gateway named by `settings.SMS_GATEWAY` (a dotted path to a class with `send`).

Vietnamese SMS providers (brand-name SMS of the carriers and their resellers) each have
their own API, so motcua defines the small interface below and ships one implementation,
the local simulator; a deployment writes a class of a few lines for its provider."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from motcua.notifications.models import Channel, SimulatedMessage


class DeliveryError(Exception):
    """The provider refused or could not take the message; it will be tried again."""


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> str:
        """Send `text` to the phone number `to`; return the provider's message id or raise
        DeliveryError."""
        ...


class SimulatorSmsGateway:
    """The local SMS gateway simulator: records each message (visible to the demo's
    administrator at /quan-tri/notifications/simulatedmessage/). Numbers listed in
    `settings.SMS_SIMULATOR_FAILING` are refused, to see retries happen."""

    def send(self, to: str, text: str) -> str:
        if to in settings.SMS_SIMULATOR_FAILING:
            raise DeliveryError(f"Thuê bao {to} tạm thời không liên lạc được (mô phỏng).")
        message = SimulatedMessage.objects.create(channel=Channel.SMS, recipient=to, body=text)
        return f"sms-sim-{message.pk}"


def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.SMS_GATEWAY)()
    return gateway


class SimulatorEmailBackend(BaseEmailBackend):
    """Django e-mail backend of the local mail simulator: every message goes to the
    SimulatedMessage table instead of an SMTP server (the demo's default)."""

    def send_messages(self, email_messages: list[EmailMessage]) -> int:  # type: ignore[override]
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                SimulatedMessage.objects.create(
                    channel=Channel.EMAIL,
                    recipient=recipient,
                    subject=str(message.subject)[:200],
                    body=str(message.body),
                )
            sent += 1
        return sent
