"""Tasks run by the task worker (`motcua worker`)."""

from __future__ import annotations

from django_tasks import task

from motcua.notifications.outbox import deliver


@task()
def send_notification(notification_id: int) -> str:
    return deliver(notification_id)
