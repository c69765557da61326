"""Processing: the internal steps, hand-overs, inter-agency consultations, payments.

Each hand-over closes one step (marked early / on time / late against its own due time, for
the control slip, form 06) and opens the next; lateness is therefore attributed to the unit
that held the dossier. Legal basis: NĐ 61/2018/NĐ-CP Art. 19–21 as amended, TT 03/2025.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from motcua.accounts import access as unit_access
from motcua.accounts.models import Role, User
from motcua.documents import issuing
from motcua.documents.files import discard_files_on_failure
from motcua.documents.uploads import CheckedUpload
from motcua.dossiers import access, deadlines
from motcua.dossiers.actions._base import (
    WAIT_FIELDS,
    move,
    now,
    open_steps,
    require,
    stop_waiting,
    wait_for_applicant,
)
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.events import record_due_change, record_event
from motcua.dossiers.locks import lock_dossier, lock_steps
from motcua.dossiers.models import (
    Dossier,
    DossierStep,
    EventKind,
    Payment,
    Punctuality,
    StepKind,
    StepStatus,
)
from motcua.dossiers.status import DossierStatus


def punctuality(done_day: dt.date, due_day: dt.date) -> str:
    """Early / on time / late by day, as in practice (domain.md A5)."""
    if done_day < due_day:
        return Punctuality.EARLY
    return Punctuality.ON_TIME if done_day == due_day else Punctuality.LATE


def close_step(
    step: DossierStep, actor: User | None, status: str = StepStatus.DONE, note: str = ""
) -> None:
    """Close a step now and judge it early / on time / late by day against its due time."""
    at = now()
    calendar = deadlines.calendar_for(step.dossier)
    step.status = status
    step.completed_at = at
    step.completed_by = actor
    if note:
        step.note = note
    if step.due_at is not None:
        step.punctuality = punctuality(
            at.astimezone(calendar.tz).date(), step.due_at.astimezone(calendar.tz).date()
        )
    step.save(update_fields=["status", "completed_at", "completed_by", "note", "punctuality"])


def _active(dossier: Dossier) -> DossierStep:
    step = access.active_step(dossier)
    if step is None:
        raise ActionRefused("Hồ sơ không có bước nào đang xử lý.")
    return step


def _check_assignee(assignee: User, step: DossierStep) -> None:
    if not unit_access.can_act(assignee, step.unit, Role(step.role)):
        raise ActionRefused(
            f"{assignee} không giữ vai trò «{step.get_role_display()}» tại {step.unit}."
        )


@discard_files_on_failure
@transaction.atomic(durable=True)
def forward(
    dossier_id: int,
    *,
    actor: User,
    note: str = "",
    assignee_id: int | None = None,
    result_summary: str = "",
    result_number: str = "",
    result_file: UploadedFile[Any] | CheckedUpload | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Finish the active step and hand the dossier to the next one (optionally to a named
    officer). Finishing the last counted step makes the result ready for return, with the
    result document (the attached PDF, or the electronic result rendered from what was
    recorded) signed by the officer who finished it."""
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    require(actor, dossier, "forward", expected_version)
    step = _active(dossier)
    if access.open_consultations(dossier):
        raise ActionRefused("Còn ý kiến phối hợp chưa được trả lời; chưa thể chuyển bước.")
    following = [s for s in open_steps(dossier) if s.pk != step.pk and s.kind == StepKind.PROCESS]
    next_step = following[0] if following else None
    finishing = next_step is None or not next_step.counted
    if finishing and not result_summary.strip():
        raise ActionRefused("Phải ghi kết quả giải quyết trước khi chuyển trả kết quả.")
    at = now()
    close_step(step, actor, note=note.strip())
    source = DossierStatus(dossier.status)
    kind = EventKind.APPROVED if step.role == Role.SIGNING_LEADER else EventKind.FORWARDED
    if next_step is not None:
        if assignee_id is not None:
            assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
            if assignee is None:
                raise ActionRefused("Không tìm thấy cán bộ được phân công.")
            _check_assignee(assignee, next_step)
            next_step.assignee = assignee
        next_step.status = StepStatus.ACTIVE
        next_step.started_at = at
        next_step.save(update_fields=["status", "started_at", "assignee"])
    if finishing:
        move(dossier, DossierStatus.RESULT_READY)
        dossier.result_ready_at = at
        dossier.result_summary = result_summary.strip()
        dossier.result_number = result_number.strip()
    elif source == DossierStatus.ACCEPTED:
        move(dossier, DossierStatus.PROCESSING)
    dossier.save(
        update_fields=["status", "result_ready_at", "result_summary", "result_number", "updated_at"]
    )
    record_event(
        dossier,
        kind,
        at=at,
        actor=actor,
        from_status=source,
        step=step,
        reason=note.strip(),
        data={
            "to_step": next_step.position if next_step else None,
            "to_unit": next_step.unit.name if next_step else None,
            "punctuality": step.punctuality,
        },
    )
    if finishing:
        # The hand-over above already records the move to RESULT_READY; this entry names
        # the result for the history (from and to are the same status).
        ready = record_event(
            dossier,
            EventKind.RESULT_READY,
            at=at,
            actor=actor,
            from_status=dossier.status,
            reason=dossier.result_summary,
        )
        issuing.issue_result(dossier, ready, uploaded=result_file)
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def assign(
    dossier_id: int, *, actor: User, assignee_id: int, expected_version: int | None = None
) -> Dossier:
    """A head of office names the officer who handles the active step."""
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "assign", expected_version)
    step = _active(dossier)
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None:
        raise ActionRefused("Không tìm thấy cán bộ được phân công.")
    _check_assignee(assignee, step)
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    record_event(
        dossier,
        EventKind.ASSIGNED,
        at=now(),
        actor=actor,
        from_status=dossier.status,
        step=step,
        data={"assignee": assignee.get_full_name()},
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def send_back(
    dossier_id: int,
    *,
    actor: User,
    to_position: int,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Return the dossier to an earlier step with a reason. The steps from there on run
    again with fresh due times laid from now; the dossier's appointment does not move."""
    if not reason.strip():
        raise ActionRefused("Phải ghi rõ lý do trả lại.")
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    require(actor, dossier, "send_back", expected_version)
    step = _active(dossier)
    if to_position >= step.position:
        raise ActionRefused("Chỉ có thể trả lại một bước trước bước hiện tại.")
    redo = list(
        dossier.steps.filter(
            kind=StepKind.PROCESS,
            status=StepStatus.DONE,
            position__gte=to_position,
            position__lt=step.position,
        ).order_by("position", "-pk")
    )
    by_position: dict[int, DossierStep] = {}
    for done in redo:
        by_position.setdefault(done.position, done)  # the latest run of each position
    if to_position not in by_position:
        raise ActionRefused("Bước được chọn chưa từng được thực hiện.")
    at = now()
    close_step(step, actor, StepStatus.SENT_BACK, note=reason.strip())
    calendar = deadlines.calendar_for(dossier)
    start = at
    copies = [*(by_position[p] for p in sorted(by_position)), step]
    for i, original in enumerate(copies):
        due = deadlines.add(calendar, start, original.budget_seconds)
        again = DossierStep.objects.create(
            dossier=dossier,
            position=original.position,
            kind=StepKind.PROCESS,
            name=original.name,
            role=original.role,
            unit=original.unit,
            assignee=original.completed_by if i == 0 else original.assignee,
            budget_seconds=original.budget_seconds,
            counted=original.counted,
            status=StepStatus.ACTIVE if i == 0 else StepStatus.PENDING,
            started_at=at if i == 0 else None,
            due_at=due,
        )
        record_due_change(
            dossier,
            at=at,
            old=original.due_at,
            new=due,
            step=again,
            reason=f"làm lại bước {original.position} do bị trả lại: {reason.strip()}",
        )
        start = due
    record_event(
        dossier,
        EventKind.SENT_BACK,
        at=at,
        actor=actor,
        from_status=dossier.status,
        step=step,
        reason=reason.strip(),
        data={"to_step": to_position},
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def consult(
    dossier_id: int,
    *,
    actor: User,
    unit_id: int,
    question: str,
    hours: Decimal | int,
    expected_version: int | None = None,
) -> Dossier:
    """Ask another unit or agency for its opinion or its part (liên thông): a sub-step with
    its own unit and due time, so that its lateness is attributed to it. The active step
    cannot be finished while the consultation is open."""
    if not question.strip():
        raise ActionRefused("Phải ghi nội dung cần lấy ý kiến.")
    if Decimal(hours) <= 0:
        raise ActionRefused("Thời hạn trả lời phải lớn hơn 0 giờ làm việc.")
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "consult", expected_version)
    step = _active(dossier)
    unit = access.units_for_consultation(dossier).filter(pk=unit_id).first()
    if unit is None:
        raise ActionRefused("Không có đơn vị được chọn để lấy ý kiến.")
    at = now()
    seconds = round(Decimal(hours) * 3600)
    due = deadlines.add(deadlines.calendar_for(dossier), at, seconds)
    sub = DossierStep.objects.create(
        dossier=dossier,
        position=step.position,
        kind=StepKind.CONSULTATION,
        parent=step,
        name=question.strip()[:500],
        role=Role.SPECIALIST,
        unit=unit,
        budget_seconds=seconds,
        counted=False,
        status=StepStatus.ACTIVE,
        started_at=at,
        due_at=due,
    )
    record_due_change(
        dossier,
        at=at,
        old=None,
        new=due,
        step=sub,
        reason=f"hạn trả lời ý kiến của {unit}: {deadlines.hours_text(seconds)}",
    )
    record_event(
        dossier,
        EventKind.CONSULTATION_OPENED,
        at=at,
        actor=actor,
        from_status=dossier.status,
        step=sub,
        reason=question.strip(),
        data={"unit": unit.name, "unit_code": unit.code, "due_at": due.isoformat()},
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def answer_consultation(
    dossier_id: int, *, actor: User, answer: str, expected_version: int | None = None
) -> Dossier:
    """The consulted unit answers; its sub-step is judged against its own due time."""
    if not answer.strip():
        raise ActionRefused("Phải ghi nội dung trả lời.")
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "answer_consultation", expected_version)
    mine = [
        s
        for s in access.open_consultations(dossier)
        if any(unit_access.can_act(actor, s.unit, r) for r in Role if r != Role.AUDITOR)
    ]
    sub = mine[0]
    close_step(sub, actor, note=answer.strip())
    record_event(
        dossier,
        EventKind.CONSULTATION_ANSWERED,
        at=sub.completed_at or now(),
        actor=actor,
        from_status=dossier.status,
        step=sub,
        reason=answer.strip(),
        data={"unit": sub.unit.name, "punctuality": sub.punctuality},
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def request_payment(
    dossier_id: int,
    *,
    actor: User,
    description: str,
    amount: Decimal,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to pay a fee, charge or tax (status 6). The time the applicant
    takes is not the agency's: the clock stops until the payment is recorded."""
    if not description.strip() or Decimal(amount) <= 0:
        raise ActionRefused("Phải ghi khoản thu và số tiền lớn hơn 0.")
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "request_payment", expected_version)
    at = now()
    source = wait_for_applicant(dossier, DossierStatus.AWAITING_PAYMENT, at, "payment")
    dossier.save(update_fields=WAIT_FIELDS)
    Payment.objects.create(
        dossier=dossier, description=description.strip(), amount=Decimal(amount), requested_at=at
    )
    record_event(
        dossier,
        EventKind.PAYMENT_REQUESTED,
        at=at,
        actor=actor,
        from_status=source,
        reason=description.strip(),
        data={"amount": str(Decimal(amount))},
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def record_payment(
    dossier_id: int, *, actor: User, receipt_number: str, expected_version: int | None = None
) -> Dossier:
    """The desk records the payment; the dossier goes back to where it was."""
    if not receipt_number.strip():
        raise ActionRefused("Phải ghi số biên lai.")
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "record_payment", expected_version)
    at = now()
    source, added = stop_waiting(
        dossier, at, "chờ thực hiện nghĩa vụ tài chính", DossierStatus.PROCESSING
    )
    dossier.save(update_fields=WAIT_FIELDS)
    dossier.payments.filter(paid_at__isnull=True).update(
        paid_at=at, receipt_number=receipt_number.strip(), recorded_by=actor
    )
    record_event(
        dossier,
        EventKind.PAYMENT_RECORDED,
        at=at,
        actor=actor,
        from_status=source,
        reason=receipt_number.strip(),
        data={"added_seconds": added},
    )
    return dossier
