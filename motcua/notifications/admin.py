from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.notifications.models import Notification, SimulatedMessage


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = [
        "created_at",
        "dossier",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
    ]
    list_filter = ["channel", "status"]
    search_fields = ["dossier__code", "recipient"]
    list_select_related = ["dossier"]


@admin.register(SimulatedMessage)
class SimulatedMessageAdmin(ReadOnly):
    list_display = ["received_at", "channel", "recipient", "subject", "body"]
    list_filter = ["channel"]
    search_fields = ["recipient", "body"]
