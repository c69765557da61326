"""What every action shares: the permission check, the status move, pausing the clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers import access, deadlines
from motcua.dossiers.errors import ActionRefused, InvalidTransition, StaleDossier
from motcua.dossiers.events import dossier_version, record_due_change
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.dossiers.status import CLOCK_RUNNING, TRANSITIONS, DossierStatus


def now() -> dt.datetime:
    return timezone.now()


def require(
    actor: User | None, dossier: Dossier, action: str, expected_version: int | None = None
) -> None:
    """Refuse unless `actor` may take `action` now (the system, actor None, always may).

    With `expected_version` (what the officer's page showed, see `dossier_version`), refuse
    with `StaleDossier` when anyone acted in between: checked here, under the row lock, so
    two identical requests can never both pass.
    """
    if expected_version is not None and dossier_version(dossier) != expected_version:
        raise StaleDossier("Hồ sơ vừa được người khác cập nhật; hãy xem lại trước khi xử lý.")
    if actor is None:
        return
    reason = access.refusal(actor, dossier, action)
    if reason is None:
        return
    if DossierStatus(dossier.status) not in access.RULES[action].statuses:
        raise InvalidTransition(reason)
    raise ActionRefused(reason)


def move(dossier: Dossier, target: DossierStatus) -> str:
    """Check the move against the status table and make it; returns the old status."""
    source = DossierStatus(dossier.status)
    if target not in TRANSITIONS[source]:
        raise InvalidTransition(
            f"Không thể chuyển hồ sơ từ «{source.label}» sang «{target.label}»."
        )
    dossier.status = target
    return source


def open_steps(dossier: Dossier) -> list[DossierStep]:
    return list(
        dossier.steps.filter(status__in=[StepStatus.ACTIVE, StepStatus.PENDING]).order_by(
            "position", "pk"
        )
    )


# What `wait_for_applicant` and `stop_waiting` change, for save(update_fields=…).
WAIT_FIELDS = [
    "status",
    "resume_status",
    "paused_at",
    "pause_reason",
    "paused_seconds",
    "due_at",
    "updated_at",
]


def wait_for_applicant(dossier: Dossier, target: DossierStatus, at: dt.datetime, why: str) -> str:
    """Move to a status where the applicant must act (a supplement, a payment), remembering
    where to come back to; the clock stops if it was running. Returns the old status."""
    source = move(dossier, target)
    dossier.resume_status = source
    if source in CLOCK_RUNNING:
        dossier.paused_at = at
        dossier.pause_reason = why
    return source


def stop_waiting(
    dossier: Dossier, at: dt.datetime, why: str, default: DossierStatus
) -> tuple[str, int]:
    """Go back to where the dossier was before `wait_for_applicant`, adding the working time
    waited to the due times. Returns (old status, working seconds added)."""
    source = move(dossier, DossierStatus(dossier.resume_status or default))
    added = resume_clock(dossier, at, why)
    dossier.resume_status = ""
    return source, added


def resume_clock(dossier: Dossier, at: dt.datetime, why: str) -> int:
    """Add the working time since the pause to the dossier's and the open steps' due times,
    with a ledger line for each. Returns the working seconds added."""
    if dossier.paused_at is None:
        return 0
    calendar = deadlines.calendar_for(dossier)
    worked = max(0, deadlines.worked_between(calendar, dossier.paused_at, at))
    line = (
        f"cộng {deadlines.hours_text(worked)} tạm dừng {why} "
        f"(từ {dossier.paused_at.astimezone(calendar.tz):%H:%M %d/%m/%Y} "
        f"đến {at.astimezone(calendar.tz):%H:%M %d/%m/%Y})"
    )
    if worked and dossier.due_at is not None:
        old = dossier.due_at
        dossier.due_at = deadlines.shift(calendar, old, worked)
        record_due_change(dossier, at=at, old=old, new=dossier.due_at, reason=line)
        for step in open_steps(dossier):
            if step.due_at is None:
                continue
            step_old = step.due_at
            step.due_at = deadlines.shift(calendar, step_old, worked)
            step.save(update_fields=["due_at"])
            record_due_change(dossier, at=at, old=step_old, new=step.due_at, reason=line, step=step)
    dossier.paused_seconds += worked
    dossier.paused_at = None
    dossier.pause_reason = ""
    return worked
