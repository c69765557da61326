"""The officers' work queues: read-only lists of the dossiers waiting for each officer.

Each queue belongs to a role: the desk (reception) sees online dossiers to accept, dossiers
waiting for supplements or payment and results to hand over; step holders see the dossiers
whose active step they may work on; signing leaders see what waits for their signature.
Every queue is one indexed query sorted by the due time that matters to it (the step's due
time for step queues, the intake or appointment time for desk queues), and its count is one
COUNT query. Nothing here writes; the actions live in `motcua.dossiers.actions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.access import AnyUser, current_assignments
from motcua.accounts.models import Role, Unit
from motcua.core.workdays import SECONDS_PER_WORKING_DAY
from motcua.dossiers import deadlines
from motcua.dossiers.models import Dossier, DossierStep, StepKind, StepStatus
from motcua.dossiers.status import DossierStatus as S

ACTING_ROLES = [role for role in Role if role != Role.AUDITOR]


class Officer:
    """The user and their current role assignments, read once per request."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self.assignments = list(current_assignments(user))
        self._ids: dict[tuple[Role, ...], list[int]] = {}

    @property
    def roles(self) -> set[Role]:
        """The roles the officer may act in (auditors only look)."""
        return {Role(a.role) for a in self.assignments} - {Role.AUDITOR}

    def units(self, roles: Sequence[Role]) -> QuerySet[Unit]:
        """Units where the officer may act in one of `roles`: the subtrees of those
        assignments (a role held at a unit covers every unit below it)."""
        paths = {a.unit.path for a in self.assignments if a.role in roles}
        paths = {p for p in paths if p} if Role.AUDITOR not in roles else set()
        if not paths:
            return Unit.objects.none()
        return Unit.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))

    def unit_ids(self, roles: Sequence[Role]) -> list[int]:
        """`units(roles)` as a list of ids, read once: queue queries filter on literal ids,
        so the database walks the (unit, status, due time) indexes of those units instead
        of every dossier of a status in the province."""
        key = tuple(roles)
        if key not in self._ids:
            self._ids[key] = list(self.units(roles).values_list("pk", flat=True))
        return self._ids[key]


# --- The queues ----------------------------------------------------------------------------


def _desk(officer: Officer, status: S) -> QuerySet[Dossier]:
    desk = officer.unit_ids([Role.RECEPTION])
    return Dossier.objects.filter(
        Q(receiving_centre_id__in=desk) | Q(reception_point_id__in=desk), status=status
    )


def _with_dossier(steps: QuerySet[DossierStep]) -> QuerySet[DossierStep]:
    return steps.select_related(
        "dossier",
        "dossier__procedure_version",
        "dossier__competent_unit",
        "unit",
        "assignee",
    )


def intake(officer: Officer) -> QuerySet[Dossier]:
    """Online dossiers submitted to the officer's desks, waiting to be accepted or refused."""
    return _desk(officer, S.SUBMITTED).order_by(F("intake_due_at").asc(nulls_last=True), "pk")


def my_steps(officer: Officer) -> QuerySet[DossierStep]:
    """Active steps the user may work on now (the same rule as `access._step_holder`), and
    consultations asked of the user's units; signing and the return desk have their own
    queues."""
    mine = Q(assignee=officer.user)
    for role in ACTING_ROLES:
        units = officer.unit_ids([role])
        mine |= Q(assignee__isnull=True, role=role, unit_id__in=units)
    heads = officer.unit_ids([Role.HEAD_OF_OFFICE])
    mine |= Q(role__in=[Role.HEAD_OF_OFFICE, Role.SPECIALIST], unit_id__in=heads)
    process = Q(
        mine,
        kind=StepKind.PROCESS,
        dossier__status__in=[S.ACCEPTED, S.PROCESSING],
    ) & ~Q(role=Role.SIGNING_LEADER)
    consulted = Q(
        kind=StepKind.CONSULTATION,
        unit_id__in=officer.unit_ids(ACTING_ROLES),
        dossier__status=S.PROCESSING,
    )
    return _with_dossier(
        DossierStep.objects.filter(process | consulted, status=StepStatus.ACTIVE)
    ).order_by("due_at", "pk")


def supplements(officer: Officer) -> QuerySet[Dossier]:
    """Dossiers waiting for the applicant's supplement, at the officer's desks or units."""
    desk = officer.unit_ids([Role.RECEPTION])
    units = officer.unit_ids(ACTING_ROLES)
    return Dossier.objects.filter(
        Q(receiving_centre_id__in=desk)
        | Q(reception_point_id__in=desk)
        | Q(competent_unit_id__in=units),
        status=S.SUPPLEMENT_REQUESTED,
    ).order_by(F("due_at").asc(nulls_last=True), "pk")


def payments(officer: Officer) -> QuerySet[Dossier]:
    """Dossiers waiting for a fee or tax to be paid, to be recorded at the desk."""
    return _desk(officer, S.AWAITING_PAYMENT).order_by(F("due_at").asc(nulls_last=True), "pk")


def results(officer: Officer) -> QuerySet[Dossier]:
    """Results ready, to be handed over at the officer's desks."""
    return _desk(officer, S.RESULT_READY).order_by(F("due_at").asc(nulls_last=True), "pk")


def signing(officer: Officer) -> QuerySet[DossierStep]:
    """Active signing steps at the units where the user is a signing leader."""
    units = officer.unit_ids([Role.SIGNING_LEADER])
    return _with_dossier(
        DossierStep.objects.filter(
            Q(assignee__isnull=True) | Q(assignee=officer.user),
            kind=StepKind.PROCESS,
            status=StepStatus.ACTIVE,
            role=Role.SIGNING_LEADER,
            unit__in=units,
            dossier__status__in=[S.ACCEPTED, S.PROCESSING],
        )
    ).order_by("due_at", "pk")


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise
    roles: frozenset[Role]
    rows: Callable[[Officer], QuerySet[Dossier] | QuerySet[DossierStep]]


QUEUES: list[Queue] = [
    Queue("cho-tiep-nhan", _("Chờ tiếp nhận"), frozenset({Role.RECEPTION}), intake),
    Queue(
        "buoc-cua-toi",
        _("Đang xử lý tại bước của tôi"),
        frozenset(ACTING_ROLES) - {Role.SIGNING_LEADER},
        my_steps,
    ),
    Queue("cho-bo-sung", _("Chờ bổ sung"), frozenset(ACTING_ROLES), supplements),
    Queue(
        "cho-nop-phi", _("Chờ thực hiện nghĩa vụ tài chính"), frozenset({Role.RECEPTION}), payments
    ),
    Queue("cho-tra-ket-qua", _("Chờ trả kết quả"), frozenset({Role.RECEPTION}), results),
    Queue(
        "lanh-dao-ky-duyet",
        _("Lãnh đạo ký duyệt"),
        frozenset({Role.SIGNING_LEADER}),
        signing,
    ),
]
BY_KEY = {q.key: q for q in QUEUES}


def queues_for(officer: Officer) -> list[Queue]:
    """The queues that concern the officer's roles, in a fixed order (none for auditors)."""
    held = officer.roles
    return [q for q in QUEUES if q.roles & held]


@dataclass(frozen=True)
class QueueCount:
    queue: Queue
    count: int


def counts_for(officer: Officer) -> list[QueueCount]:
    """Each of the user's queues with its size: one COUNT query per queue."""
    return [QueueCount(q, q.rows(officer).count()) for q in queues_for(officer)]


# --- Rows and time left --------------------------------------------------------------------


OVERDUE = "overdue"
DUE_SOON = "due-soon"
IN_TIME = "in-time"
PAUSED = "paused"


@dataclass(frozen=True)
class TimeLeft:
    """How much working time is left before a due time, as a word and as a colour class."""

    state: str
    text: str


def time_left(dossier: Dossier, due: dt.datetime | None, now: dt.datetime) -> TimeLeft | None:
    if dossier.paused_at is not None:
        return TimeLeft(PAUSED, str(_("Tạm dừng, chưa tính thời gian")))
    if due is None:
        return None
    calendar = deadlines.calendar_for(dossier)
    if due <= now:
        late = deadlines.worked_between(calendar, due, now)
        return TimeLeft(OVERDUE, str(_("Quá hạn %(time)s") % {"time": working_time_text(late)}))
    left = deadlines.worked_between(calendar, now, due)
    if left < SECONDS_PER_WORKING_DAY:
        return TimeLeft(
            DUE_SOON,
            str(_("Còn %(time)s (dưới 1 ngày làm việc)") % {"time": working_time_text(left)}),
        )
    return TimeLeft(IN_TIME, str(_("Còn %(time)s") % {"time": working_time_text(left)}))


def working_time_text(seconds: int) -> str:
    """ "2 ngày 3 giờ làm việc", "45 phút làm việc"."""
    days, rest = divmod(max(0, seconds), SECONDS_PER_WORKING_DAY)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(str(_("%(n)d ngày") % {"n": days}))
    if hours:
        parts.append(str(_("%(n)d giờ") % {"n": hours}))
    if minutes and not days:
        parts.append(str(_("%(n)d phút") % {"n": minutes}))
    if not parts:
        return str(_("dưới 1 phút làm việc"))
    return " ".join(parts) + " " + str(_("làm việc"))


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    step: DossierStep | None
    due: dt.datetime | None
    left: TimeLeft | None


def rows_of(items: Sequence[Dossier | DossierStep], queue: Queue) -> list[Row]:
    now = timezone.now()
    rows = []
    for item in items:
        if isinstance(item, DossierStep):
            due = item.due_at
            rows.append(Row(item.dossier, item, due, time_left(item.dossier, due, now)))
        else:
            due = item.intake_due_at if queue.key == "cho-tiep-nhan" else item.due_at
            rows.append(Row(item, None, due, time_left(item, due, now)))
    return rows


def dossier_rows(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.select_related("procedure_version", "competent_unit", "receiving_centre")
