"""Ending a dossier: returning the result, withdrawal, stop notice, and the one extension
with an apology (forms 04 and 05 of TT 03/2025/TT-VPCP; NĐ 61/2018 Art. 19(4) as amended).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.accounts.models import User
from motcua.core.workdays import SECONDS_PER_WORKING_DAY
from motcua.documents import issuing
from motcua.documents.files import discard_files_on_failure
from motcua.dossiers import deadlines
from motcua.dossiers.actions._base import move, now, open_steps, require
from motcua.dossiers.actions.processing import close_step
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.events import record_due_change, record_event
from motcua.dossiers.locks import lock_dossier, lock_steps
from motcua.dossiers.models import Dossier, EventKind, ReturnChannel, StepStatus
from motcua.dossiers.status import DossierStatus


@discard_files_on_failure
@transaction.atomic(durable=True)
def return_result(
    dossier_id: int,
    *,
    actor: User,
    via: str = ReturnChannel.DESK,
    tracking_number: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Hand the result over at the desk, send it by post (with the tracking number) or
    online. The return step is closed; the dossier is closed."""
    if via not in ReturnChannel.values:
        raise ActionRefused("Hình thức trả kết quả không hợp lệ.")
    if via == ReturnChannel.POST and not tracking_number.strip():
        raise ActionRefused("Trả qua bưu chính phải có số hiệu bưu gửi.")
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    require(actor, dossier, "return_result", expected_version)
    at = now()
    source = move(dossier, DossierStatus.RETURNED)
    for step in open_steps(dossier):
        close_step(step, actor)
    dossier.returned_at = dossier.closed_at = at
    dossier.returned_via = via
    dossier.postal_tracking_number = tracking_number.strip()
    dossier.save(
        update_fields=[
            "status",
            "returned_at",
            "closed_at",
            "returned_via",
            "postal_tracking_number",
            "updated_at",
        ]
    )
    record_event(
        dossier,
        EventKind.RETURNED,
        at=at,
        actor=actor,
        from_status=source,
        form="06",  # the final process control slip
        data={"via": via, "tracking_number": tracking_number.strip()},
    )
    issuing.keep_results(dossier)
    return dossier


def _close_without_result(
    dossier: Dossier, actor: User, target: DossierStatus, kind: EventKind, reason: str, form: str
) -> None:
    at = now()
    source = move(dossier, target)
    for step in open_steps(dossier):
        close_step(step, actor, StepStatus.CANCELLED)
    dossier.closed_at = at
    dossier.paused_at = None
    dossier.save(update_fields=["status", "closed_at", "paused_at", "updated_at"])
    record_event(dossier, kind, at=at, actor=actor, from_status=source, reason=reason, form=form)


@discard_files_on_failure
@transaction.atomic(durable=True)
def withdraw(
    dossier_id: int, *, actor: User, reason: str, expected_version: int | None = None
) -> Dossier:
    """The applicant withdraws the dossier (status 7), possible only before a result exists;
    the applicant may do it online, or the desk records the written request."""
    if not reason.strip():
        raise ActionRefused("Phải ghi lý do rút hồ sơ.")
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    require(actor, dossier, "withdraw", expected_version)
    if dossier.result_ready_at is not None:
        raise ActionRefused("Hồ sơ đã có kết quả, không thể rút.")
    _close_without_result(
        dossier, actor, DossierStatus.WITHDRAWN, EventKind.WITHDRAWN, reason.strip(), ""
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def stop(
    dossier_id: int, *, actor: User, reason: str, expected_version: int | None = None
) -> Dossier:
    """The competent unit stops handling the dossier, with the reason (stop notice, form 05)."""
    if not reason.strip():
        raise ActionRefused("Phải ghi lý do dừng giải quyết.")
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    require(actor, dossier, "stop", expected_version)
    _close_without_result(
        dossier, actor, DossierStatus.STOPPED, EventKind.STOPPED, reason.strip(), "05"
    )
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def extend(
    dossier_id: int,
    *,
    actor: User,
    new_due: dt.datetime | dt.date,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Apologise and set a new appointment (form 04): at least one working day before the
    due time, once per dossier, signed by the unit's leader. Statistics still judge the
    dossier against its original due time."""
    if not reason.strip():
        raise ActionRefused("Phải ghi lý do gia hạn.")
    dossier = lock_dossier(dossier_id)
    lock_steps(dossier)
    require(actor, dossier, "extend", expected_version)
    if dossier.extended_at is not None:
        raise ActionRefused("Hồ sơ đã được gia hạn một lần; không được gia hạn lần nữa.")
    if dossier.due_at is None:
        raise ActionRefused("Hồ sơ chưa có hạn trả kết quả.")
    calendar = deadlines.calendar_for(dossier)
    at = now()
    if isinstance(new_due, dt.datetime):
        new_due_at = new_due
    else:
        if not calendar.is_working_day(new_due):
            raise ActionRefused(f"Ngày {new_due:%d/%m/%Y} không phải ngày làm việc.")
        new_due_at = calendar.from_seconds(calendar.closing_seconds(new_due))
    if new_due_at <= dossier.due_at:
        raise ActionRefused("Hạn mới phải sau hạn hiện tại.")
    if deadlines.worked_between(calendar, at, dossier.due_at) < SECONDS_PER_WORKING_DAY:
        raise ActionRefused(
            "Phải xin lỗi và gia hạn trước hạn trả kết quả ít nhất một ngày làm việc."
        )
    old = dossier.due_at
    dossier.due_at = new_due_at
    dossier.extended_at = at
    dossier.save(update_fields=["due_at", "extended_at", "updated_at"])
    line = (
        f"gia hạn (phiếu xin lỗi, mẫu 04) từ {old.astimezone(calendar.tz):%H:%M %d/%m/%Y} "
        f"đến {new_due_at.astimezone(calendar.tz):%H:%M %d/%m/%Y}: {reason.strip()}"
    )
    record_due_change(dossier, at=at, old=old, new=new_due_at, reason=line)
    for step in open_steps(dossier):
        if not step.counted and step.due_at == old:
            step.due_at = new_due_at
            step.save(update_fields=["due_at"])
            record_due_change(dossier, at=at, old=old, new=new_due_at, reason=line, step=step)
    record_event(
        dossier,
        EventKind.EXTENDED,
        at=at,
        actor=actor,
        from_status=dossier.status,
        reason=reason.strip(),
        form="04",
        data={"old_due_at": old.isoformat(), "new_due_at": new_due_at.isoformat()},
    )
    return dossier
