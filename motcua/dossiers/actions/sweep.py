"""The periodic deadline sweep: flag dossiers and steps that are due soon (less than one
working day left) or overdue, once each, with an event for the notifications to follow.

Overdue stays derived (now > due, open, clock running); the flags only record that the
warning was given. Each flag is set with a conditional UPDATE (… WHERE overdue_at IS NULL)
and the event is written only when that UPDATE changed one row, so two workers running
the sweep at once give every warning exactly once (healthchecks' sendalerts pattern).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from motcua.core.workdays import SECONDS_PER_WORKING_DAY
from motcua.dossiers import deadlines
from motcua.dossiers.actions._base import now
from motcua.dossiers.events import record_event
from motcua.dossiers.models import Dossier, DossierStep, EventKind, StepStatus
from motcua.dossiers.status import CLOCK_RUNNING

# Less than one working day left is never more than this many calendar days away (Tết).
HORIZON = dt.timedelta(days=14)


@dataclass
class SweepReport:
    due_soon: int = 0
    overdue: int = 0
    steps_due_soon: int = 0
    steps_overdue: int = 0

    @property
    def flagged(self) -> int:
        return self.due_soon + self.overdue + self.steps_due_soon + self.steps_overdue

    def summary(self) -> str:
        return (
            f"Quét thời hạn: {self.overdue} hồ sơ quá hạn, {self.due_soon} hồ sơ sắp đến hạn; "
            f"{self.steps_overdue} bước quá hạn, {self.steps_due_soon} bước sắp đến hạn."
        )


def _flag_dossier(dossier: Dossier, field: str, kind: EventKind, at: dt.datetime) -> bool:
    with transaction.atomic():
        changed = Dossier.objects.filter(pk=dossier.pk, **{f"{field}__isnull": True}).update(
            **{field: at}
        )
        if changed:
            record_event(
                dossier,
                kind,
                at=at,
                actor=None,
                from_status=dossier.status,
                data={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
            )
    return bool(changed)


def _flag_step(step: DossierStep, field: str, kind: EventKind, at: dt.datetime) -> bool:
    with transaction.atomic():
        changed = DossierStep.objects.filter(pk=step.pk, **{f"{field}__isnull": True}).update(
            **{field: at}
        )
        if changed:
            record_event(
                step.dossier,
                kind,
                at=at,
                actor=None,
                from_status=step.dossier.status,
                step=step,
                data={"due_at": step.due_at.isoformat() if step.due_at else None},
            )
    return bool(changed)


def sweep_deadlines() -> SweepReport:
    """Flag what became due soon or overdue since the last sweep."""
    at = now()
    report = SweepReport()
    candidates = (
        Dossier.objects.filter(
            status__in=CLOCK_RUNNING, paused_at__isnull=True, due_at__lt=at + HORIZON
        )
        .filter(overdue_at__isnull=True)
        .select_related("competent_unit")
    )
    for dossier in candidates.iterator(chunk_size=500):
        if dossier.due_at is None:
            continue
        if dossier.due_at < at:
            report.overdue += _flag_dossier(dossier, "overdue_at", EventKind.OVERDUE, at)
        elif dossier.due_soon_at is None:
            calendar = deadlines.calendar_for(dossier)
            if deadlines.worked_between(calendar, at, dossier.due_at) < SECONDS_PER_WORKING_DAY:
                report.due_soon += _flag_dossier(dossier, "due_soon_at", EventKind.DUE_SOON, at)
    steps = DossierStep.objects.filter(
        status=StepStatus.ACTIVE,
        counted=True,
        due_at__lt=at + HORIZON,
        overdue_at__isnull=True,
        dossier__status__in=CLOCK_RUNNING,
        dossier__paused_at__isnull=True,
    ).select_related("dossier", "dossier__competent_unit")
    for step in steps.iterator(chunk_size=500):
        if step.due_at is None:
            continue
        if step.due_at < at:
            report.steps_overdue += _flag_step(step, "overdue_at", EventKind.OVERDUE, at)
        elif step.due_soon_at is None:
            calendar = deadlines.calendar_for(step.dossier)
            if deadlines.worked_between(calendar, at, step.due_at) < SECONDS_PER_WORKING_DAY:
                report.steps_due_soon += _flag_step(step, "due_soon_at", EventKind.DUE_SOON, at)
    return report
