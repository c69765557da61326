"""Dossiers: submit online, read one, list a unit's dossiers, perform an allowed action.

Authentication is the Django session (log in at /dang-nhap/); unsafe methods need the CSRF
token, as for the pages. The rules are the pages' rules: `motcua.dossiers.access` says who
sees what and who may do what, `motcua.dossiers.actions` does it. A dossier or unit the
caller may not see answers 404 with the same body as one that does not exist.
"""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Count, DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, HeaderEx, P, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import SessionAuth

from motcua.accounts import access as unit_access
from motcua.accounts.identity import validate_identity_number
from motcua.accounts.models import Unit, User, phone_validator
from motcua.api.errors import field_error
from motcua.catalog.models import CopyType, Procedure, ProcedureVersion
from motcua.dossiers import access, actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.events import dossier_version
from motcua.dossiers.models import Dossier, ReturnChannel
from motcua.dossiers.status import OPEN, TERMINAL, DossierStatus

NOT_FOUND = "Không tìm thấy hồ sơ."
UNIT_NOT_FOUND = "Không tìm thấy đơn vị."


class DjangoSession(SessionAuth):
    """Django's session, with the CSRF check on unsafe methods, answering in Vietnamese."""

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise HttpError(
                403, "Thiếu hoặc sai mã CSRF (tiêu đề X-CSRFToken, cookie csrftoken)."
            ) from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated and request.user.is_active:
            return request.user
        raise AuthenticationError(401, "Bạn cần đăng nhập (phiên đăng nhập Django).")


router = Router(tags=["Hồ sơ"], auth=DjangoSession())


# --- Schemas -------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class ApplicantIn(Schema):
    """Empty fields take the value of the logged-in user's profile."""

    name: str = Field("", max_length=150)
    identity_number: str = Field("", max_length=12)
    phone: str = Field("", max_length=15)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=255)
    representative_name: str = Field("", max_length=150)
    representative_identity_number: str = Field("", max_length=12)


class ComponentIn(Schema):
    position: int = Field(
        ..., ge=1, description="vị trí thành phần hồ sơ trong thủ tục (components[].position)"
    )
    copy_type: CopyType | None = Field(None, description="mặc định: loại bản trong thủ tục")
    count: int = Field(1, ge=1, le=99)


class SubmissionIn(Schema):
    procedure_code: str = Field(..., max_length=40, description="mã thủ tục, ví dụ 1.001193")
    variant_id: int | None = Field(None, description="trường hợp của thủ tục (nếu có)")
    competent_unit_code: str = Field(..., max_length=35, description="mã cơ quan giải quyết")
    receiving_centre_code: str | None = Field(
        None, max_length=35, description="mặc định: trung tâm phục vụ hành chính công của cơ quan"
    )
    applicant: ApplicantIn | None = Field(None, description="mặc định: hồ sơ tài khoản")
    request_summary: str = Field("", max_length=500)
    components: list[ComponentIn] = Field(default_factory=list)
    return_channel: ReturnChannel = ReturnChannel.DESK
    return_address: str = Field("", max_length=255)


class StatusOut(Schema):
    key: str
    label: str
    national_code: int
    colour: str


class CodeName(Schema):
    code: str
    name: str


class ProcedureRef(Schema):
    code: str
    name: str
    version: int
    variant: str | None


class ApplicantOut(Schema):
    name: str
    identity_number: str
    phone: str
    email: str
    address: str
    representative_name: str
    representative_identity_number: str


class ComponentOut(Schema):
    position: int
    name: str
    copy_type: str
    count: int
    supplemented_at: dt.datetime | None


class LedgerLineOut(Schema):
    at: dt.datetime
    step: int | None = Field(description="vị trí bước; null: hạn của cả hồ sơ")
    old_due_at: dt.datetime | None
    new_due_at: dt.datetime
    reason: str
    explanation: list[str]


class StepOut(Schema):
    id: int
    position: int
    kind: str
    parent_position: int | None
    name: str
    role: str
    unit: CodeName
    assignee: str | None
    budget_hours: float
    counted: bool
    status: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    completed_by: str | None
    punctuality: str = Field(description="early / on_time / late, rỗng khi chưa xong")
    note: str


class EventOut(Schema):
    at: dt.datetime
    kind: str
    label: str
    actor: str | None
    from_status: str
    to_status: str
    step: int | None
    reason: str
    form: str
    data: dict[str, Any]


class PaymentOut(Schema):
    description: str
    amount: Decimal
    requested_at: dt.datetime
    paid_at: dt.datetime | None
    receipt_number: str


class AllowedActionOut(Schema):
    name: str
    label: str


class DossierSummaryOut(Schema):
    code: str
    status: StatusOut
    procedure: ProcedureRef
    channel: str
    applicant_name: str
    competent_unit: CodeName
    receiving_centre: CodeName
    submitted_at: dt.datetime
    intake_due_at: dt.datetime | None
    due_at: dt.datetime | None
    paused: bool
    overdue: bool


class DossierOut(DossierSummaryOut):
    version: int = Field(
        description="phiên bản hồ sơ (mã sự kiện mới nhất); gửi lại trong expected_version"
    )
    reception_point: CodeName
    applicant: ApplicantOut
    request_summary: str
    return_channel: str
    return_address: str
    accepted_at: dt.datetime | None
    original_due_at: dt.datetime | None
    paused_at: dt.datetime | None
    supplement_requests: int
    extended_at: dt.datetime | None
    result_ready_at: dt.datetime | None
    result_summary: str
    result_number: str
    returned_at: dt.datetime | None
    returned_via: str
    postal_tracking_number: str
    closed_at: dt.datetime | None
    components: list[ComponentOut]
    ledger: list[LedgerLineOut]
    steps: list[StepOut]
    events: list[EventOut]
    payments: list[PaymentOut]
    allowed_actions: list[AllowedActionOut]


class DossierPageOut(Schema):
    items: list[DossierSummaryOut]
    next_cursor: str | None = Field(description="null: trang cuối")
    counts: dict[str, int] = Field(description="số hồ sơ của đơn vị theo trạng thái (không lọc)")


class ListFilters(Schema):
    unit: str = Field(..., max_length=35, description="mã định danh của đơn vị")
    status: str = Field(
        "",
        max_length=300,
        description="một hoặc nhiều trạng thái, cách nhau bởi dấu phẩy; hoặc open / closed",
    )
    overdue: bool | None = Field(None, description="true: chỉ hồ sơ quá hạn; false: bỏ chúng")
    cursor: str = Field("", max_length=200, description="next_cursor của trang trước")
    limit: int = Field(50, ge=1, le=200)


class ActionName(StrEnum):
    """The keys of `motcua.dossiers.access.RULES` (a test keeps them equal)."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    FORWARD = "forward"
    ASSIGN = "assign"
    SEND_BACK = "send_back"
    CONSULT = "consult"
    ANSWER_CONSULTATION = "answer_consultation"
    REQUEST_PAYMENT = "request_payment"
    RECORD_PAYMENT = "record_payment"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"
    EXTEND = "extend"


class ActionIn(Schema):
    """Every field any action takes; each action reads its own (see docs/api.md)."""

    reason: str = Field("", max_length=2000)
    missing: str = Field("", max_length=2000, description="request_supplement: giấy tờ thiếu")
    note: str = Field("", max_length=2000)
    assignee_id: int | None = Field(None, description="assign, forward: cán bộ được giao")
    to_position: int | None = Field(None, ge=1, description="send_back: bước trả về")
    unit_code: str = Field("", max_length=35, description="consult: đơn vị được hỏi ý kiến")
    hours: Decimal | None = Field(None, gt=0, le=2000, description="consult: giờ làm việc")
    question: str = Field("", max_length=2000, description="consult: nội dung hỏi")
    answer: str = Field("", max_length=2000, description="answer_consultation")
    new_due: dt.datetime | dt.date | None = Field(None, description="extend: hạn mới")
    receipt_number: str = Field("", max_length=60, description="record_payment")
    result_summary: str = Field("", max_length=500, description="forward ở bước cuối")
    result_number: str = Field("", max_length=60)
    via: ReturnChannel = Field(ReturnChannel.DESK, description="return_result")
    tracking_number: str = Field("", max_length=40, description="return_result qua bưu chính")
    description: str = Field("", max_length=255, description="request_payment: khoản thu")
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=0)
    expected_version: int | None = Field(
        None,
        description="the dossier's `version` as the client last saw it: 409 if someone acted since",
    )


# --- Reading -------------------------------------------------------------------------------


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _unit(unit: Unit) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name}


def _summary(d: Dossier) -> dict[str, Any]:
    status = DossierStatus(d.status)
    version = d.procedure_version
    return {
        "code": d.code,
        "status": {
            "key": status.value,
            "label": str(status.label),
            "national_code": d.national_status_code,
            "colour": d.status_colour,
        },
        "procedure": {
            "code": version.procedure.code,
            "name": version.name,
            "version": version.number,
            "variant": d.variant.name if d.variant is not None else None,
        },
        "channel": d.channel,
        "applicant_name": d.applicant_name,
        "competent_unit": _unit(d.competent_unit),
        "receiving_centre": _unit(d.receiving_centre),
        "submitted_at": _local(d.submitted_at),
        "intake_due_at": _local(d.intake_due_at),
        "due_at": _local(d.due_at),
        "paused": d.paused_at is not None,
        "overdue": d.is_overdue,
    }


def _with_refs(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.select_related(
        "procedure_version__procedure", "variant", "competent_unit", "receiving_centre"
    )


def _detail(user: User, d: Dossier) -> dict[str, Any]:
    steps = list(d.steps.select_related("unit", "assignee", "completed_by", "parent"))
    position = {s.pk: s.position for s in steps}
    return {
        **_summary(d),
        "version": dossier_version(d),
        "reception_point": _unit(d.reception_point),
        "applicant": {
            "name": d.applicant_name,
            "identity_number": d.applicant_identity_number,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "address": d.applicant_address,
            "representative_name": d.representative_name,
            "representative_identity_number": d.representative_identity_number,
        },
        **{
            attr: getattr(d, attr)
            for attr in (
                "request_summary",
                "return_channel",
                "return_address",
                "supplement_requests",
                "result_summary",
                "result_number",
                "returned_via",
                "postal_tracking_number",
            )
        },
        **{
            attr: _local(getattr(d, attr))
            for attr in (
                "accepted_at",
                "original_due_at",
                "paused_at",
                "extended_at",
                "result_ready_at",
                "returned_at",
                "closed_at",
            )
        },
        "components": [
            {
                "position": c.position,
                "name": c.name,
                "copy_type": c.copy_type,
                "count": c.count,
                "supplemented_at": _local(c.supplemented_at),
            }
            for c in d.components.all()
        ],
        "ledger": [
            {
                "at": _local(line.at),
                "step": position.get(line.step_id) if line.step_id else None,
                "old_due_at": _local(line.old_due_at),
                "new_due_at": _local(line.new_due_at),
                "reason": line.reason,
                "explanation": list(line.explanation),
            }
            for line in d.deadline_changes.all()
        ],
        "steps": [
            {
                "id": s.pk,
                "position": s.position,
                "kind": s.kind,
                "parent_position": s.parent.position if s.parent is not None else None,
                "name": s.name,
                "role": s.role,
                "unit": _unit(s.unit),
                "assignee": s.assignee.get_full_name() if s.assignee is not None else None,
                "budget_hours": round(s.hours, 2),
                "counted": s.counted,
                "status": s.status,
                "started_at": _local(s.started_at),
                "due_at": _local(s.due_at),
                "completed_at": _local(s.completed_at),
                "completed_by": s.completed_by.get_full_name() if s.completed_by else None,
                "punctuality": s.punctuality,
                "note": s.note,
            }
            for s in steps
        ],
        "events": [
            {
                "at": _local(e.at),
                "kind": e.kind,
                "label": e.get_kind_display(),
                "actor": e.actor.get_full_name() if e.actor is not None else None,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "step": position.get(e.step_id) if e.step_id else None,
                "reason": e.reason,
                "form": e.form,
                "data": e.data,
            }
            for e in d.events.select_related("actor")
        ],
        "payments": list(d.payments.all()),
        "allowed_actions": [
            {"name": name, "label": access.RULES[name].label}
            for name in access.allowed_actions(user, d)
        ],
    }


def _find(user: User, code: str) -> Dossier:
    """The dossier if the caller may see it (officer or applicant), else 404 — the same
    answer as for a code that does not exist."""
    for visible in (access.dossiers_for_officer(user), access.dossiers_for_applicant(user)):
        dossier = _with_refs(visible).select_related("reception_point").filter(code=code).first()
        if dossier is not None:
            return dossier
    raise HttpError(404, NOT_FOUND)


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 -- the router's auth returns only users
    return user


@router.get(
    "/{code}",
    response={200: DossierOut, 401: ErrorOut, 404: ErrorOut},
    summary="Chi tiết hồ sơ",
)
def get_dossier(request: HttpRequest, code: str) -> dict[str, Any]:
    """Status (with the national portal's code), due times and the deadline ledger that
    explains them, steps with punctuality, the processing history and the actions the
    caller may take now. Applicants see their own dossiers, officers those of the units
    they may see."""
    user = _user(request)
    return _detail(user, _find(user, code))


# --- Listing (keyset pagination) -----------------------------------------------------------


def encode_cursor(due_at: dt.datetime | None, pk: int) -> str:
    raw = json.dumps([due_at.isoformat() if due_at is not None else None, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due, pk = json.loads(raw)
        moment = dt.datetime.fromisoformat(due) if due is not None else None
        if not isinstance(pk, int) or (moment is not None and moment.tzinfo is None):
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error):
        raise field_error(
            ["query", "cursor"], "Con trỏ phân trang không hợp lệ; hãy dùng next_cursor."
        ) from None
    return moment, pk


def _statuses(raw: str) -> frozenset[DossierStatus] | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw == "open":
        return OPEN
    if raw == "closed":
        return TERMINAL
    try:
        return frozenset(DossierStatus(part.strip()) for part in raw.split(","))
    except ValueError:
        choices = ", ".join(["open", "closed", *DossierStatus.values])
        raise field_error(
            ["query", "status"], f"Trạng thái không hợp lệ. Chọn trong: {choices}."
        ) from None


def unit_dossiers(unit: Unit) -> QuerySet[Dossier]:
    """A unit's dossiers: those it decides, receives or took in at its desk.

    Every one of them is visible to an officer who may see the unit (`dossiers_for_officer`
    matches the same three fields), so the list needs no further access filter."""
    return Dossier.objects.filter(
        Q(competent_unit=unit) | Q(receiving_centre=unit) | Q(reception_point=unit)
    )


# Dossiers without a due time (not accepted yet) sort after all others.
NO_DUE_TIME = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def queue_page(
    unit: Unit,
    *,
    statuses: frozenset[DossierStatus] | None = None,
    overdue: bool | None = None,
    after: tuple[dt.datetime | None, int] | None = None,
    limit: int = 50,
) -> tuple[list[Dossier], tuple[dt.datetime | None, int] | None]:
    """One page of the unit's dossiers in due-time order (no due time last, then by id),
    and the key to continue after it (None on the last page)."""
    qs = unit_dossiers(unit)
    if statuses is not None:
        qs = qs.filter(status__in=sorted(statuses))
    if overdue is not None:
        late = Q(status__in=sorted(OPEN), paused_at__isnull=True, due_at__lt=timezone.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    # Sorting on an expression rather than on `due_at` itself is deliberate: with a LIMIT,
    # PostgreSQL would otherwise walk the whole due_at index from the oldest due time
    # (closed dossiers, not the unit's) instead of taking the unit's rows through the
    # (unit, status, due_at) indexes and sorting those few thousand (bench/dossiers.py).
    no_due = Value(NO_DUE_TIME, output_field=DateTimeField())
    qs = qs.annotate(queue_due=Coalesce("due_at", no_due))
    if after is not None:
        due, pk = after
        due = due or NO_DUE_TIME
        qs = qs.filter(Q(queue_due__gt=due) | Q(queue_due=due, pk__gt=pk))
    rows = list(_with_refs(qs.order_by("queue_due", "pk"))[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], (last.due_at, last.pk)


def status_counts(unit: Unit) -> dict[str, int]:
    counts = dict.fromkeys(DossierStatus.values, 0)
    for row in unit_dossiers(unit).order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


@router.get(
    "",
    response={200: DossierPageOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Danh sách hồ sơ của một đơn vị",
)
def list_dossiers(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    """For officers: the dossiers a unit decides, receives or took in, by due time (those
    without one last), keyset-paginated: pass `next_cursor` as `cursor` for the next page.
    A unit the caller may not see answers 404."""
    user = _user(request)
    unit = unit_access.visible_units(user).filter(code=filters.unit).first()
    if unit is None:
        raise HttpError(404, UNIT_NOT_FOUND)
    statuses = _statuses(filters.status)
    after = decode_cursor(filters.cursor) if filters.cursor else None
    rows, following = queue_page(
        unit, statuses=statuses, overdue=filters.overdue, after=after, limit=filters.limit
    )
    return {
        "items": [_summary(d) for d in rows],
        "next_cursor": encode_cursor(*following) if following is not None else None,
        "counts": status_counts(unit),
    }


# --- Online submission ---------------------------------------------------------------------

# Dossiers created by the current request (post_save), to tell a new dossier from the one a
# concurrent request with the same key created first.
_created: ContextVar[list[int] | None] = ContextVar("api_created_dossiers", default=None)


def _note_creation(sender: type[Dossier], instance: Dossier, created: bool, **kwargs: Any) -> None:
    box = _created.get()
    if created and box is not None:
        box.append(instance.pk)


post_save.connect(_note_creation, sender=Dossier, dispatch_uid="api_v1_dossier_created")


def _current_version(code: str) -> ProcedureVersion:
    procedure = Procedure.objects.filter(code=code).first()
    version = procedure.current_version() if procedure is not None else None
    if version is None:
        raise field_error(
            ["body", "payload", "procedure_code"],
            f"Không có thủ tục mã «{code}» đang có hiệu lực.",
        )
    if version.online_mode == "none":
        raise field_error(
            ["body", "payload", "procedure_code"],
            "Thủ tục này không cung cấp dịch vụ công trực tuyến; hãy nộp trực tiếp.",
        )
    return version


def _active_unit(code: str, field: str) -> Unit:
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise field_error(["body", "payload", field], f"Không có đơn vị mã «{code}».")
    return unit


def _applicant(user: User, given: ApplicantIn) -> actions.Applicant:
    loc = ["body", "payload", "applicant"]
    applicant = actions.Applicant(
        name=(given.name or user.get_full_name()).strip(),
        identity_number=(given.identity_number or user.identity_number or "").strip(),
        phone=(given.phone or user.phone).strip(),
        email=(given.email or user.email).strip(),
        address=given.address.strip(),
        representative_name=given.representative_name.strip(),
        representative_identity_number=given.representative_identity_number.strip(),
    )
    if not applicant.name:
        raise field_error([*loc, "name"], "Thiếu họ tên người nộp hồ sơ.")
    checks: list[tuple[str, str, Callable[[str], object]]] = [
        ("identity_number", applicant.identity_number, validate_identity_number),
        ("phone", applicant.phone, phone_validator),
        ("email", applicant.email, validate_email),
        (
            "representative_identity_number",
            applicant.representative_identity_number,
            validate_identity_number,
        ),
    ]
    for name, value, validator in checks:
        if not value:
            continue
        try:
            validator(value)
        except DjangoValidationError as exc:
            raise field_error([*loc, name], " ".join(str(m) for m in exc.messages)) from None
    return applicant


def _components(version: ProcedureVersion, given: list[ComponentIn]) -> list[Any]:
    catalogue = {c.position: c for c in version.components.all()}
    loc = ["body", "payload", "components"]
    seen: set[int] = set()
    received = []
    for i, item in enumerate(given):
        component = catalogue.get(item.position)
        if component is None:
            raise field_error(
                [*loc, i, "position"], f"Thủ tục không có thành phần hồ sơ số {item.position}."
            )
        if item.position in seen:
            raise field_error([*loc, i, "position"], "Thành phần hồ sơ bị lặp.")
        seen.add(item.position)
        received.append(
            actions.ReceivedComponent(
                name=component.name,
                copy_type=item.copy_type.value if item.copy_type else component.copy_type,
                count=item.count,
                component_id=component.pk,
            )
        )
    missing = [c.name for p, c in sorted(catalogue.items()) if c.required and p not in seen]
    if missing:
        raise field_error(loc, "Thiếu thành phần hồ sơ bắt buộc: " + "; ".join(missing) + ".")
    return received


def _submission(user: User, payload: SubmissionIn) -> actions.Submission:
    version = _current_version(payload.procedure_code)
    if (
        payload.variant_id is not None
        and not version.variants.filter(pk=payload.variant_id).exists()
    ):
        raise field_error(
            ["body", "payload", "variant_id"], "Trường hợp đã chọn không thuộc thủ tục này."
        )
    competent = _active_unit(payload.competent_unit_code, "competent_unit_code")
    if competent.kind != version.competent_unit_kind:
        raise field_error(
            ["body", "payload", "competent_unit_code"],
            f"{competent.name} không phải cơ quan giải quyết thủ tục này.",
        )
    centre = (
        _active_unit(payload.receiving_centre_code, "receiving_centre_code")
        if payload.receiving_centre_code
        else actions.service_centre_of(competent)
    )
    if payload.return_channel == ReturnChannel.POST and not payload.return_address.strip():
        raise field_error(
            ["body", "payload", "return_address"],
            "Nhận kết quả qua bưu chính phải có địa chỉ nhận.",
        )
    return actions.Submission(
        version_id=version.pk,
        variant_id=payload.variant_id,
        competent_unit_id=competent.pk,
        receiving_centre_id=centre.pk,
        applicant=_applicant(user, payload.applicant or ApplicantIn.model_validate({})),
        components=_components(version, payload.components),
        request_summary=payload.request_summary.strip(),
        return_channel=payload.return_channel.value,
        return_address=payload.return_address.strip(),
    )


@router.post(
    "",
    response={
        200: DossierOut,
        201: DossierOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Nộp hồ sơ trực tuyến",
)
def submit_dossier(
    request: HttpRequest,
    response: HttpResponse,
    payload: SubmissionIn,
    idempotency_key: HeaderEx[
        str | None,
        P(
            alias="Idempotency-Key",
            description="khóa chống nộp trùng do ứng dụng tạo (ví dụ UUID), tối đa 80 ký tự",
        ),
    ] = None,
) -> Status[dict[str, Any]]:
    """The logged-in applicant submits a dossier online. `201` with the new dossier; the
    same `Idempotency-Key` again (a retry, a double click, even at the same moment) answers
    `200` with the dossier the key created first, whatever the body."""
    user = _user(request)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise field_error(
            ["header", "Idempotency-Key"],
            "Thiếu tiêu đề Idempotency-Key (khóa chống nộp trùng, tối đa 80 ký tự).",
        )
    existing = access.dossiers_for_applicant(user).filter(idempotency_key=key).first()
    if existing is None:
        submission = _submission(user, payload)
        box: list[int] = []
        token = _created.set(box)
        try:
            dossier = actions.submit_online(submission, applicant_user=user, idempotency_key=key)
        except ActionRefused as exc:
            raise field_error(["body", "payload"], exc.message, "refused") from None
        finally:
            _created.reset(token)
        created = dossier.pk in box
    else:
        dossier, created = existing, False
    response["Location"] = f"/api/v1/dossiers/{dossier.code}"
    # The caller is the dossier's applicant: no need to look among the officers' dossiers.
    mine = _with_refs(access.dossiers_for_applicant(user)).select_related("reception_point")
    return Status(201 if created else 200, _detail(user, mine.get(pk=dossier.pk)))


# --- Actions -------------------------------------------------------------------------------

REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "refuse": (("reason", "Phải ghi rõ lý do từ chối tiếp nhận."),),
    "request_supplement": (("missing", "Phải ghi rõ giấy tờ cần bổ sung, hoàn thiện."),),
    "assign": (("assignee_id", "Phải chọn cán bộ được phân công."),),
    "send_back": (
        ("to_position", "Phải chọn bước trả về."),
        ("reason", "Phải ghi rõ lý do trả lại."),
    ),
    "consult": (
        ("unit_code", "Phải chọn đơn vị được lấy ý kiến."),
        ("hours", "Phải ghi thời hạn trả lời (giờ làm việc)."),
        ("question", "Phải ghi nội dung cần lấy ý kiến."),
    ),
    "answer_consultation": (("answer", "Phải ghi nội dung trả lời."),),
    "request_payment": (
        ("description", "Phải ghi khoản thu."),
        ("amount", "Phải ghi số tiền."),
    ),
    "record_payment": (("receipt_number", "Phải ghi số biên lai."),),
    "withdraw": (("reason", "Phải ghi lý do rút hồ sơ."),),
    "stop": (("reason", "Phải ghi lý do dừng giải quyết."),),
    "extend": (
        ("new_due", "Phải ghi hạn trả kết quả mới."),
        ("reason", "Phải ghi lý do gia hạn."),
    ),
}


def _check_payload(name: str, payload: ActionIn) -> None:
    for field, message in REQUIRED.get(name, ()):
        value = getattr(payload, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise field_error(["body", "payload", field], message)
    if (
        name == "return_result"
        and payload.via == ReturnChannel.POST
        and not payload.tracking_number.strip()
    ):
        raise field_error(
            ["body", "payload", "tracking_number"], "Trả qua bưu chính phải có số hiệu bưu gửi."
        )


def _why_not(user: User, dossier: Dossier, name: str) -> HttpError:
    """Why `may()` said no: the caller (403) or the dossier's state (409), with the domain's
    own message."""
    rule = access.RULES[name]
    if DossierStatus(dossier.status) in rule.statuses and not rule.who(user, dossier):
        return HttpError(403, f"Bạn không có quyền «{rule.label.lower()}» đối với hồ sơ này.")
    return HttpError(409, access.refusal(user, dossier, name) or rule.label)


def _new_due(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)  # a time without offset is Việt Nam time
    return value


def _perform(name: str, dossier: Dossier, user: User, p: ActionIn) -> None:
    """Turn the payload into the action's inputs (a unit code into its id, a naive new due
    time into Việt Nam time) and take the action; `_check_payload` checked what it needs."""
    inputs: dict[str, Any] = p.dict(exclude={"expected_version", "unit_code"})
    inputs["via"] = p.via.value
    if p.new_due is not None:
        inputs["new_due"] = _new_due(p.new_due)
    if name == "consult":
        unit = access.units_for_consultation(dossier).filter(code=p.unit_code.strip()).first()
        if unit is None:
            raise field_error(
                ["body", "payload", "unit_code"],
                f"Không có đơn vị mã «{p.unit_code}» để lấy ý kiến.",
            )
        inputs["unit_id"] = unit.pk
    actions.perform(name, dossier.pk, actor=user, expected_version=p.expected_version, **inputs)


@router.post(
    "/{code}/actions/{name}",
    response={
        200: DossierOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Thực hiện một thao tác trên hồ sơ",
)
def perform_action(
    request: HttpRequest, code: str, name: ActionName, payload: ActionIn | None = None
) -> dict[str, Any]:
    """Perform an action the caller may take now (`allowed_actions` of the dossier).
    `404` if the caller cannot see the dossier, `403` if they see it but may not take this
    action, `409` if the dossier's state does not allow it (including a concurrent change
    by someone else), `422` for a missing or invalid field. Answers the updated dossier."""
    user = _user(request)
    dossier = _find(user, code)
    p = payload or ActionIn.model_validate({})
    if not access.may(user, dossier, name.value):
        raise _why_not(user, dossier, name.value)
    _check_payload(name.value, p)
    try:
        _perform(name.value, dossier, user, p)
    except ActionRefused as exc:  # InvalidTransition included
        raise HttpError(409, exc.message) from None
    return _detail(user, _find(user, code))
