"""Turning dossier events into notifications for the applicant, and sending them.

`notify(event)` runs inside the action's transaction (called by `record_event`): it writes
one Notification per channel the applicant can be reached on and schedules its sending
for after the commit. `deliver(id)` is what the task worker runs."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.documents import links
from motcua.dossiers.models import DossierEvent, EventKind
from motcua.notifications.gateways import DeliveryError, sms_gateway
from motcua.notifications.models import Channel, Delivery, Notification

log = logging.getLogger(__name__)

# The events the applicant is told about, and the template that tells them.
TOLD = {
    EventKind.ACCEPTED: "accepted",
    EventKind.SUPPLEMENT_REQUESTED: "supplement_requested",
    EventKind.REFUSED: "refused",
    EventKind.EXTENDED: "extended",
    EventKind.RESULT_READY: "result_ready",
}
# Minutes to wait before each new attempt; after the last, the notification has failed.
RETRY_MINUTES = (1, 5, 30, 120)


def unaccented(text: str) -> str:
    """Vietnamese without diacritics, as SMS are sent (GSM 7-bit: 160 characters a part
    instead of 70, and what brand-name SMS providers require)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def notify(event: DossierEvent) -> list[Notification]:
    template = TOLD.get(EventKind(event.kind))
    if template is None:
        return []
    dossier = event.dossier
    context = {
        "dossier": dossier,
        "event": event,
        "procedure": dossier.procedure_version.name,
        "tracking_url": links.tracking_url(dossier),
        "site_name": settings.MOTCUA_SITE_NAME,
    }
    # The messages are Vietnamese whatever language the officer's page is in.
    with translation.override("vi"):
        subject = render_to_string(f"notifications/{template}_subject.txt", context)
        email_body = render_to_string(f"notifications/{template}.txt", context)
        sms_body = unaccented(render_to_string(f"notifications/{template}_sms.txt", context))
    targets: list[tuple[str, str, str]] = []
    if dossier.applicant_email:
        targets.append((Channel.EMAIL, dossier.applicant_email, email_body))
    if dossier.applicant_phone and settings.SMS_GATEWAY:
        targets.append((Channel.SMS, dossier.applicant_phone, sms_body))
    created = [
        Notification.objects.create(
            dossier=dossier,
            event=event,
            channel=channel,
            recipient=recipient,
            subject=" ".join(subject.split())[:200],
            body=body.strip(),
        )
        for channel, recipient, body in targets
    ]
    for notification in created:
        transaction.on_commit(partial(_enqueue, notification.pk))
    return created


def _enqueue(pk: int, run_after: dt.datetime | None = None) -> None:
    from motcua.notifications.tasks import send_notification

    task = send_notification
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # `motcua manage send_notifications` picks it up when it is due
        task = task.using(run_after=run_after)
    task.enqueue(pk)


def _send(notification: Notification) -> str:
    if notification.channel == Channel.EMAIL:
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.recipient],
        ).send()
        return ""
    return sms_gateway().send(notification.recipient, notification.body)


def _due(now: dt.datetime) -> Q:
    return Q(status=Delivery.PENDING) | Q(status=Delivery.RETRYING, next_attempt_at__lte=now)


def deliver(pk: int) -> str:
    """Send one notification unless it was sent already or another worker holds it; on
    failure record why and schedule the next attempt. Returns the resulting status."""
    with transaction.atomic():
        now = timezone.now()
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_due(now), pk=pk)
            .first()
        )
        if notification is None:
            return "skipped"  # sent already, not due yet, or another worker holds it
        notification.attempts += 1
        try:
            notification.provider_id = _send(notification)[:100]
        except (DeliveryError, OSError) as error:
            notification.last_error = str(error)[:500]
            if notification.attempts > len(RETRY_MINUTES):
                notification.status = Delivery.FAILED
                notification.next_attempt_at = None
            else:
                notification.status = Delivery.RETRYING
                delay = RETRY_MINUTES[notification.attempts - 1]
                notification.next_attempt_at = now + dt.timedelta(minutes=delay)
                when = notification.next_attempt_at
                transaction.on_commit(lambda: _enqueue(pk, run_after=when))
            log.warning("notification %s not delivered: %s", pk, error)
        else:
            notification.status = Delivery.SENT
            notification.sent_at = now
            notification.next_attempt_at = None
            notification.last_error = ""
        notification.save(
            update_fields=[
                "status",
                "attempts",
                "last_error",
                "next_attempt_at",
                "provider_id",
                "sent_at",
            ]
        )
        return str(notification.status)


def deliver_due() -> tuple[int, int]:
    """Send every notification that is pending or whose retry is due (for a worker that
    was down, or a task backend without delayed tasks). Returns (tried, sent)."""
    due = Notification.objects.filter(_due(timezone.now()))
    tried = sent = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        tried += 1
        sent += deliver(pk) == Delivery.SENT
    return tried, sent
