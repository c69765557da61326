"""Marking dossiers for folding: every `DossierEvent` created writes a `PendingFold` row in
the same transaction, and the commit enqueues the fold task (once per transaction)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.dossiers.models import DossierEvent
from motcua.reports.models import PendingFold


def _enqueue_fold() -> None:
    from motcua.reports.tasks import fold_reports

    fold_reports.enqueue()


@receiver(post_save, sender=DossierEvent, dispatch_uid="reports-pending-fold")
def mark_for_folding(
    sender: type[DossierEvent], instance: DossierEvent, created: bool, **kwargs: Any
) -> None:
    if not created:
        return
    PendingFold.objects.create(dossier_id=instance.dossier_id)
    # Once per transaction: the callbacks already registered on this connection (Django's
    # `run_on_commit`, entries (savepoint ids, callback, robust)) are looked at first.
    registered = getattr(transaction.get_connection(), "run_on_commit", [])
    if not any(entry[1] is _enqueue_fold for entry in registered):
        transaction.on_commit(_enqueue_fold, robust=True)
