"""Receiving dossiers: online submission, intake at the desk, accept, refuse, supplements.

Legal basis: NĐ 61/2018/NĐ-CP as amended by NĐ 107/2021 and NĐ 118/2025 (receiving,
checking completeness, forms 01–03 of TT 03/2025/TT-VPCP); supplement requests stop the
clock until the applicant completes the dossier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from motcua.accounts import access as unit_access
from motcua.accounts.models import Role, Unit, UnitKind, User
from motcua.catalog.folding import fold
from motcua.catalog.models import OnlineMode, ProcedureVersion, Variant, VersionStatus
from motcua.core import workdays
from motcua.core.calendars import get_working_calendar
from motcua.documents import issuing
from motcua.documents.files import discard_files_on_failure
from motcua.documents.models import Document, DocumentKind, StoreItem
from motcua.documents.uploads import CheckedUpload
from motcua.dossiers import codes, deadlines
from motcua.dossiers.actions._base import (
    WAIT_FIELDS,
    move,
    now,
    require,
    stop_waiting,
    wait_for_applicant,
)
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.events import record_due_change, record_event
from motcua.dossiers.locks import lock_dossier
from motcua.dossiers.models import (
    Arrival,
    Channel,
    Dossier,
    DossierComponent,
    DossierStep,
    EventKind,
    ReturnChannel,
    StepKind,
    StepStatus,
)
from motcua.dossiers.status import DossierStatus


@dataclass(frozen=True)
class Applicant:
    """Who the dossier is for, as written on the receipt."""

    name: str
    identity_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_identity_number: str = ""


@dataclass(frozen=True)
class ReceivedComponent:
    """A paper received: the catalogue component it answers (if any), copy type and count."""

    name: str
    copy_type: str
    count: int = 1
    component_id: int | None = None
    # Digitisation: a scanned (desk) or uploaded (online) file, or a paper from the
    # applicant's store, or the reason it need not be scanned (TT 03/2025 Art. 5(2)).
    upload: UploadedFile[Any] | CheckedUpload | None = None
    store_item_id: int | None = None
    exemption: str = ""
    keep_in_store: bool = False
    # A file the applicant uploaded earlier and that is held for them, attached to no
    # dossier yet (an online draft's upload): it is adopted as the component's file.
    held_document_id: int | None = None


@dataclass(frozen=True)
class Submission:
    """Everything needed to create a dossier, whatever the channel."""

    version_id: int
    competent_unit_id: int
    receiving_centre_id: int
    applicant: Applicant
    components: Sequence[ReceivedComponent] = field(default_factory=tuple)
    variant_id: int | None = None
    reception_point_id: int | None = None
    request_summary: str = ""
    return_channel: str = ReturnChannel.DESK
    return_address: str = ""
    # What the applicant declared online beyond the dossier's columns (date of birth, how
    # they mean to pay): kept in the `submitted` event's data.
    declared: Mapping[str, str] = field(default_factory=dict)


def service_centre_of(unit: Unit) -> Unit:
    """The unit's own public administration service centre, or the unit itself."""
    centre = unit.children.filter(kind=UnitKind.SERVICE_CENTRE, valid_to__isnull=True).first()
    return centre or unit


def _version(submission: Submission) -> tuple[ProcedureVersion, Variant | None]:
    try:
        version = ProcedureVersion.objects.select_related("procedure").get(
            pk=submission.version_id, status=VersionStatus.PUBLISHED
        )
    except ProcedureVersion.DoesNotExist:
        raise ActionRefused("Thủ tục không có hoặc chưa được công bố.") from None
    if version != version.procedure.current_version():
        raise ActionRefused("Phiên bản thủ tục này không còn hiệu lực; hãy chọn lại thủ tục.")
    variant = None
    if submission.variant_id is not None:
        variant = version.variants.filter(pk=submission.variant_id).first()
        if variant is None:
            raise ActionRefused("Trường hợp đã chọn không thuộc thủ tục này.")
    return version, variant


def _create(
    submission: Submission,
    *,
    channel: str,
    applicant_user: User | None,
    key: str | None,
    actor: User | None,
) -> Dossier:
    if not submission.applicant.name.strip():
        raise ActionRefused("Thiếu họ tên người nộp hồ sơ.")
    version, variant = _version(submission)
    units = Unit.objects.in_bulk(
        {
            submission.competent_unit_id,
            submission.receiving_centre_id,
            submission.reception_point_id or submission.receiving_centre_id,
        }
    )
    try:
        competent = units[submission.competent_unit_id]
        centre = units[submission.receiving_centre_id]
        point = units[submission.reception_point_id or submission.receiving_centre_id]
    except KeyError:
        raise ActionRefused("Đơn vị tiếp nhận hoặc cơ quan giải quyết không có.") from None
    if competent.kind != version.competent_unit_kind:
        raise ActionRefused(
            f"{competent} không phải là cơ quan có thẩm quyền giải quyết thủ tục này "
            f"({version.get_competent_unit_kind_display().lower()})."
        )
    if channel == Channel.ONLINE and version.online_mode == OnlineMode.NONE:
        raise ActionRefused(
            "Thủ tục này không cung cấp dịch vụ công trực tuyến; "
            "hãy nộp trực tiếp hoặc qua bưu chính."
        )
    at = now()
    calendar = get_working_calendar(competent)
    a = submission.applicant
    dossier = Dossier.objects.create(
        code=codes.issue_code(centre.code, at.astimezone(calendar.tz).date()),
        procedure_version=version,
        variant=variant,
        channel=channel,
        status=DossierStatus.SUBMITTED,
        reception_point=point,
        receiving_centre=centre,
        competent_unit=competent,
        applicant=applicant_user,
        applicant_name=a.name.strip(),
        applicant_identity_number=a.identity_number,
        applicant_phone=a.phone,
        applicant_email=a.email,
        applicant_address=a.address,
        representative_name=a.representative_name,
        representative_identity_number=a.representative_identity_number,
        applicant_search=fold(f"{a.name} {a.representative_name}"),
        request_summary=submission.request_summary or version.name,
        return_channel=submission.return_channel,
        return_address=submission.return_address,
        idempotency_key=key,
        submitted_at=at,
        intake_due_at=deadlines.intake_due(calendar, at),
    )
    created = DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            component_id=c.component_id,
            position=i,
            name=c.name,
            copy_type=c.copy_type,
            count=c.count,
            arrival=Arrival.EXEMPT if c.exemption else Arrival.PAPER,
            exemption=c.exemption,
            keep_in_store=c.keep_in_store,
        )
        for i, c in enumerate(submission.components, start=1)
    )
    digitise(dossier, zip(created, submission.components, strict=True), actor=actor)
    return dossier


def digitise(
    dossier: Dossier,
    received: Iterable[tuple[DossierComponent, ReceivedComponent]],
    *,
    actor: User | None,
) -> None:
    """Attach the scans, uploads and reused papers to their components, then record how
    far the dossier is digitised."""
    arrival = Arrival.UPLOADED if dossier.channel == Channel.ONLINE else Arrival.SCANNED
    for component, given in received:
        component.dossier = dossier
        if given.store_item_id is not None:
            item = StoreItem.objects.filter(pk=given.store_item_id).first()
            if item is None:
                raise ActionRefused("Không tìm thấy giấy tờ trong kho dữ liệu.")
            issuing.reuse(component, item, actor=actor)
        elif given.upload is not None:
            issuing.attach_scan(component, given.upload, actor=actor, arrival=arrival)
        elif given.held_document_id is not None:
            _adopt_held_document(component, given.held_document_id, arrival=arrival)
    issuing.update_digitisation(dossier)


def _adopt_held_document(component: DossierComponent, document_id: int, *, arrival: str) -> None:
    """Attach a file uploaded earlier by the applicant (and held for them, in no dossier)
    to the component: the same stored file, no copy. Only the applicant's own held file
    can be adopted, and only once (a conditional update)."""
    dossier = component.dossier
    adopted = Document.objects.filter(
        pk=document_id,
        dossier__isnull=True,
        kind=DocumentKind.COMPONENT,
        created_by_id=dossier.applicant_id,
        created_by__isnull=False,
    ).update(dossier=dossier, component=component, title=component.name)
    if adopted != 1:
        raise ActionRefused(f"Tệp đã tải lên cho «{component.name}» không còn; hãy tải lên lại.")
    component.arrival = arrival
    component.save(update_fields=["arrival"])


@discard_files_on_failure
@transaction.atomic(durable=True)
def _submit(submission: Submission, applicant_user: User, key: str) -> Dossier:
    dossier = _create(
        submission,
        channel=Channel.ONLINE,
        applicant_user=applicant_user,
        key=key,
        actor=applicant_user,
    )
    record_event(
        dossier,
        EventKind.SUBMITTED,
        at=dossier.submitted_at,
        actor=applicant_user,
        data={
            "intake_due_at": dossier.intake_due_at.isoformat() if dossier.intake_due_at else None,
            **({"declared": dict(submission.declared)} if submission.declared else {}),
        },
    )
    return dossier


def submit_online(submission: Submission, *, applicant_user: User, idempotency_key: str) -> Dossier:
    """An applicant submits online. The same idempotency key always gives the same dossier:
    a double click or a retry after a lost answer never creates a second one."""
    if not idempotency_key or len(idempotency_key) > 80:
        raise ActionRefused("Thiếu khóa chống nộp trùng (idempotency key) hoặc khóa quá dài.")
    existing = Dossier.objects.filter(
        applicant=applicant_user, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    try:
        return _submit(submission, applicant_user, idempotency_key)
    except IntegrityError:
        # The same key won a race in another request: answer with its dossier.
        return Dossier.objects.get(applicant=applicant_user, idempotency_key=idempotency_key)


@discard_files_on_failure
@transaction.atomic(durable=True)
def receive_at_desk(
    submission: Submission,
    *,
    officer: User,
    channel: str = Channel.DIRECT,
    decision: str = "accept",
    reason: str = "",
    applicant_user: User | None = None,
) -> Dossier:
    """An officer receives a paper dossier at the desk or by post and decides at once:
    accept (receipt and appointment, form 01), refuse (form 03) or ask for supplements
    (form 02)."""
    if channel not in (Channel.DIRECT, Channel.POSTAL):
        raise ActionRefused("Tại bộ phận một cửa chỉ nhận hồ sơ trực tiếp hoặc qua bưu chính.")
    point = Unit.objects.filter(
        pk=submission.reception_point_id or submission.receiving_centre_id
    ).first()
    if point is None or not unit_access.can_act(officer, point, Role.RECEPTION):
        raise ActionRefused("Bạn không có quyền tiếp nhận hồ sơ tại đơn vị này.")
    dossier = _create(
        submission, channel=channel, applicant_user=applicant_user, key=None, actor=officer
    )
    record_event(dossier, EventKind.RECEIVED, at=dossier.submitted_at, actor=officer)
    if decision == "accept":
        _accept(dossier, officer)
    elif decision == "refuse":
        _refuse(dossier, officer, reason)
    elif decision == "supplement":
        _request_supplement(dossier, officer, reason)
    else:
        raise ActionRefused("Quyết định tiếp nhận không hợp lệ.")
    return dossier


def _step_unit(dossier: Dossier, unit_kind: str) -> Unit:
    """Where a step of the catalogue's process runs for this dossier: at the receiving
    centre for reception steps, at the competent unit for its own kind, otherwise at the
    nearest unit of that kind among the competent unit's and its ancestors' children."""
    competent = dossier.competent_unit
    if unit_kind in (UnitKind.SERVICE_CENTRE, UnitKind.RECEPTION_POINT):
        return dossier.receiving_centre
    if unit_kind == competent.kind:
        return competent
    for ancestor_id in reversed(competent.ancestor_ids):
        found = (
            Unit.objects.filter(parent_id=ancestor_id, kind=unit_kind, valid_to__isnull=True)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return competent


def _accept(dossier: Dossier, actor: User | None) -> None:
    at = now()
    source = move(dossier, DossierStatus.ACCEPTED)
    calendar = deadlines.calendar_for(dossier)
    version = dossier.procedure_version
    legal = deadlines.legal_deadline(calendar, version, dossier.variant, dossier.channel, at)
    dossier.accepted_at = at
    dossier.clock_started_at = legal.clock_start
    dossier.due_at = dossier.original_due_at = legal.due_at
    dossier.save(
        update_fields=[
            "status",
            "accepted_at",
            "clock_started_at",
            "due_at",
            "original_due_at",
            "updated_at",
        ]
    )
    record_due_change(
        dossier,
        at=at,
        old=None,
        new=legal.due_at,
        reason="hẹn trả kết quả khi tiếp nhận",
        explanation=legal.ledger,
    )
    _, _, online = deadlines.limit_of(version, dossier.variant, dossier.channel)
    budgets = dict(deadlines.step_budgets(version, online=online))
    laid = iter(workdays.lay_out_steps(calendar, legal.clock_start, list(budgets.values())))
    first = True
    for catalogue_step in version.steps.all():
        due = next(laid).due_at if catalogue_step.position in budgets else legal.due_at
        budget = budgets.get(catalogue_step.position)
        step = DossierStep.objects.create(
            dossier=dossier,
            position=catalogue_step.position,
            kind=StepKind.PROCESS,
            name=catalogue_step.name,
            role=catalogue_step.role,
            unit=_step_unit(dossier, catalogue_step.unit_kind),
            budget_seconds=round(float(budget.working_hours) * 3600) if budget else 0,
            counted=catalogue_step.counted,
            status=StepStatus.ACTIVE if first else StepStatus.PENDING,
            started_at=at if first else None,
            due_at=due,
        )
        record_due_change(
            dossier,
            at=at,
            old=None,
            new=due,
            step=step,
            reason=f"hạn bước {step.position} khi tiếp nhận",
        )
        first = False
    record_event(
        dossier,
        EventKind.ACCEPTED,
        at=at,
        actor=actor,
        from_status=source,
        form="01",
        data={"due_at": legal.due_at.isoformat(), "ledger": list(legal.ledger)},
    )
    issuing.keep_components(dossier)


@discard_files_on_failure
@transaction.atomic(durable=True)
def accept(dossier_id: int, *, actor: User, expected_version: int | None = None) -> Dossier:
    """Accept a complete online dossier: the appointment time from the pinned version (the
    online limit when set), the internal steps with their due times, receipt form 01."""
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "accept", expected_version)
    _accept(dossier, actor)
    return dossier


def _refuse(dossier: Dossier, actor: User | None, reason: str) -> None:
    if not reason.strip():
        raise ActionRefused("Phải ghi rõ lý do từ chối tiếp nhận.")
    at = now()
    source = move(dossier, DossierStatus.REFUSED)
    dossier.closed_at = at
    dossier.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(
        dossier,
        EventKind.REFUSED,
        at=at,
        actor=actor,
        from_status=source,
        reason=reason.strip(),
        form="03",
    )


@discard_files_on_failure
@transaction.atomic(durable=True)
def refuse(
    dossier_id: int, *, actor: User, reason: str, expected_version: int | None = None
) -> Dossier:
    """Refuse to receive a dossier, with the reasons (form 03)."""
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "refuse", expected_version)
    _refuse(dossier, actor, reason)
    return dossier


def _request_supplement(dossier: Dossier, actor: User | None, missing: str) -> None:
    if not missing.strip():
        raise ActionRefused("Phải ghi rõ giấy tờ cần bổ sung, hoàn thiện.")
    at = now()
    source = wait_for_applicant(dossier, DossierStatus.SUPPLEMENT_REQUESTED, at, "supplement")
    dossier.supplement_requests += 1
    dossier.save(update_fields=[*WAIT_FIELDS, "supplement_requests"])
    record_event(
        dossier,
        EventKind.SUPPLEMENT_REQUESTED,
        at=at,
        actor=actor,
        from_status=source,
        reason=missing.strip(),
        form="02",
        data={
            "request_number": dossier.supplement_requests,
            "repeated": dossier.supplement_requests > 1,
        },
    )


@discard_files_on_failure
@transaction.atomic(durable=True)
def request_supplement(
    dossier_id: int, *, actor: User, missing: str, expected_version: int | None = None
) -> Dossier:
    """Ask the applicant to complete the dossier (form 02). The clock stops until the
    supplement arrives; a second request is allowed but marked (it counts as late in the
    Decision 766 evaluation)."""
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "request_supplement", expected_version)
    _request_supplement(dossier, actor, missing)
    return dossier


@discard_files_on_failure
@transaction.atomic(durable=True)
def receive_supplement(
    dossier_id: int, *, actor: User, note: str = "", expected_version: int | None = None
) -> Dossier:
    """The applicant completed the dossier: it goes back to where it was, and the working
    time it waited is added to its due time and to its open steps' due times."""
    dossier = lock_dossier(dossier_id)
    require(actor, dossier, "receive_supplement", expected_version)
    resume_after_supplement(dossier, actor, now(), note)
    return dossier


def resume_after_supplement(
    dossier: Dossier,
    actor: User,
    at: dt.datetime,
    note: str,
    data: dict[str, Any] | None = None,
) -> None:
    """The supplement arrived at `at` (the dossier is locked and the actor checked): back to
    where the dossier was, the working time waited added to its and its open steps' due
    times (each with a ledger line), and the event. Shared by the desk and the online
    answer."""
    source, added = stop_waiting(dossier, at, "chờ bổ sung", DossierStatus.SUBMITTED)
    if dossier.status == DossierStatus.SUBMITTED:
        dossier.intake_due_at = deadlines.intake_due(deadlines.calendar_for(dossier), at)
    dossier.save(update_fields=[*WAIT_FIELDS, "intake_due_at"])
    record_event(
        dossier,
        EventKind.SUPPLEMENT_RECEIVED,
        at=at,
        actor=actor,
        from_status=source,
        reason=note.strip(),
        data={"added_seconds": added, **(data or {})},
    )
