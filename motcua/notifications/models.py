"""What the applicant is told about their dossier (Notification, an outbox row written in
the action's transaction) and what the local simulators received (SimulatedMessage)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class Delivery(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    RETRYING = "retrying", _("Gửi lỗi, sẽ gửi lại")
    FAILED = "failed", _("Không gửi được")


class Notification(models.Model):
    """One message to the applicant about one event of their dossier, on one channel.

    Written in the same transaction as the event (so a rolled-back action tells no one),
    sent by the task worker after commit, retried with a growing delay; every attempt's
    outcome is kept on the row."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="notifications")
    event = models.ForeignKey(DossierEvent, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái gửi"), max_length=10, choices=Delivery.choices, default=Delivery.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    provider_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel"], name="one_notification_per_event_and_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"


class SimulatedMessage(models.Model):
    """A message the local e-mail or SMS simulator accepted instead of a real provider (the
    demo and the tests): what a citizen's inbox or phone would show."""

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tin nhắn mô phỏng")
        verbose_name_plural = _("tin nhắn mô phỏng (hộp thư, điện thoại)")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
