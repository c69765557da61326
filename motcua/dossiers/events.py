"""Recording the processing history (DossierEvent) and the deadline ledger (DeadlineChange)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.accounts.models import User
from motcua.documents import issuing
from motcua.dossiers.models import (
    DeadlineChange,
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
)
from motcua.notifications import outbox

# The deadline sweep's flags change nothing an officer decides on.
SWEEP_EVENTS = (EventKind.DUE_SOON, EventKind.OVERDUE)


def dossier_version(dossier: Dossier) -> int:
    """The id of the dossier's latest event (sweep flags aside): every action writes one in
    its transaction, so a different value means someone acted in between."""
    latest = (
        DossierEvent.objects.filter(dossier=dossier)
        .exclude(kind__in=SWEEP_EVENTS)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return latest or 0


def record_event(
    dossier: Dossier,
    kind: EventKind,
    *,
    at: dt.datetime,
    actor: User | None,
    from_status: str = "",
    step: DossierStep | None = None,
    reason: str = "",
    form: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=dossier.status,
        step=step,
        reason=reason,
        form=form,
        data=data or {},
    )
    if form:
        issuing.issue_form(event)  # the form this event issues, rendered, signed, stored
    outbox.notify(event)  # what the applicant is told, sent by the worker after commit
    return event


def record_due_change(
    dossier: Dossier,
    *,
    at: dt.datetime,
    old: dt.datetime | None,
    new: dt.datetime,
    reason: str,
    explanation: list[str] | tuple[str, ...] = (),
    step: DossierStep | None = None,
) -> DeadlineChange:
    return DeadlineChange.objects.create(
        dossier=dossier,
        step=step,
        at=at,
        old_due_at=old,
        new_due_at=new,
        reason=reason,
        explanation=list(explanation),
    )
