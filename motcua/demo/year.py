"""A year of demo dossiers for the reports: `motcua manage seed_demo_year [--dossiers N]`.

The dossiers are written with `bulk_create` (portable: SQLite and PostgreSQL), but each one
holds what the real actions (`motcua.dossiers.actions`) would have written for the same
history: the status, the moments (submitted, accepted, result ready, returned, closed), the
appointment from the pinned procedure version and the competent unit's working calendar
(`deadlines.legal_deadline`), moved by the working time of every supplement pause
(`deadlines.shift`, as `resume_clock` does), the internal steps laid out with
`workdays.lay_out_steps`, the deadline ledger and the processing history with the same
event kinds, statuses and data keys. Each dossier's story is drawn first (submission on a
weekday within working hours over the twelve months before today, acceptance or refusal,
supplement requests, hand-overs, result early / on time / late, return, withdrawal, stop)
and then cut at the present moment, so that recent dossiers are still open and some of them
overdue. The report rollups are then rebuilt by `reports.folding.recount`.

A second run adds nothing: generated dossiers carry an idempotency key starting with
`MARK`, and the generator refuses when any exists.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User
from motcua.catalog.folding import fold
from motcua.catalog.models import OnlineMode, Procedure, ProcedureVersion
from motcua.catalog.models import Step as CatalogueStep
from motcua.core import workdays
from motcua.core.calendars import get_working_calendar
from motcua.core.models import CalendarOverride, WorkingHoursProfile
from motcua.core.workdays import SECONDS_PER_WORKING_DAY, StepBudget, WorkingCalendar
from motcua.dossiers import deadlines
from motcua.dossiers.actions.intake import _step_unit, service_centre_of
from motcua.dossiers.codes import DEFAULT_PATTERN
from motcua.dossiers.models import (
    Arrival,
    Channel,
    DeadlineChange,
    Digitisation,
    Dossier,
    DossierCodeCounter,
    DossierComponent,
    DossierEvent,
    DossierStep,
    EventKind,
    Punctuality,
    ReturnChannel,
    StepKind,
    StepStatus,
)
from motcua.dossiers.status import DossierStatus
from motcua.feedback.models import Rating, RatingChannel

MARK = "demo-year-"  # idempotency key prefix of every generated dossier
DEFAULT_DOSSIERS = 20_000
CHUNK = 1000
S = DossierStatus

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Mai",
    "Trịnh",
]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Oanh",
    "Phúc",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thu",
    "Trang",
    "Tuấn",
    "Uyên",
    "Vinh",
    "Xuân",
    "Yến",
]
STREETS = ["Lê Lợi", "Trần Phú", "Quang Trung", "Lê Hoàn", "Bà Triệu", "Hàm Nghi", "Phan Chu Trinh"]
MISSING = [
    "Bản sao Giấy khai sinh có chứng thực",
    "Tờ khai còn thiếu chữ ký của người yêu cầu",
    "Bản sao giấy tờ tùy thân còn thời hạn",
    "Giấy ủy quyền có chứng thực",
]
WITHDRAW_REASONS = ["Người nộp xin rút hồ sơ để bổ sung sau", "Người nộp không còn nhu cầu"]
REFUSE_REASONS = [
    "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
    "Hồ sơ đã được giải quyết trước đây, không có căn cứ giải quyết lại",
]
STOP_REASONS = ["Người nộp không bổ sung hồ sơ theo yêu cầu trong thời hạn quy định"]


@dataclass
class Report:
    created: int = 0
    skipped: int = 0
    seconds: float = 0.0
    open: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if self.skipped:
            return (
                f"Đã có dữ liệu một năm mẫu ({self.skipped} hồ sơ); không sinh thêm "
                f"(xóa cơ sở dữ liệu mẫu để sinh lại)."
            )
        return (
            f"Đã sinh {self.created} hồ sơ của 12 tháng qua "
            f"({self.channels.get(Channel.ONLINE, 0)} trực tuyến, "
            f"{self.open} còn đang giải quyết) và đếm lại số liệu báo cáo "
            f"trong {self.seconds:.1f} s."
        )


@dataclass(frozen=True)
class Kind:
    """A procedure version the generator uses, with what it needs precomputed."""

    version: ProcedureVersion
    steps: tuple[CatalogueStep, ...]
    components: tuple[tuple[int, str, str, int], ...]  # id, name, copy type, count
    online: bool
    postal: bool
    electronic: bool


@dataclass
class Event:
    at: dt.datetime
    kind: str
    from_status: str
    to_status: str
    step: int | None = None  # index into the dossier's steps
    actor: User | None = None
    reason: str = ""
    form: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Place:
    """Where a dossier is handled: its competent unit, centre, calendar, officers."""

    unit: Unit
    centre: Unit
    calendar: WorkingCalendar
    officers: dict[str, User]


class Context:
    """Everything shared by the dossiers of a run, loaded once."""

    def __init__(self, rng: random.Random, dossiers: int) -> None:
        self.rng = rng
        # a few online dossiers belong to the demo citizens (their personal pages show them)
        self.citizen_share = max(0.004, 8 / max(dossiers, 1))
        self.kinds: dict[str, list[Kind]] = {}
        for procedure in Procedure.objects.order_by("code"):
            version = procedure.current_version()
            if version is None:
                continue
            kind = Kind(
                version=version,
                steps=tuple(version.steps.order_by("position")),
                components=tuple(
                    (c.pk, c.name, c.copy_type, c.count)
                    for c in version.components.order_by("pk")
                    if c.required
                ),
                online=version.online_mode != OnlineMode.NONE,
                postal=version.postal_allowed,
                electronic=version.result_electronic,
            )
            self.kinds.setdefault(version.competent_unit_kind, []).append(kind)
        units = list(Unit.objects.filter(valid_to__isnull=True).order_by("code"))
        self.units_by_kind: dict[str, list[Unit]] = {}
        for unit in units:
            self.units_by_kind.setdefault(unit.kind, []).append(unit)
        self.provincial_centre = next(
            (u for u in units if u.kind == UnitKind.SERVICE_CENTRE and u.code.count(".") == 1),
            None,
        )
        officers: dict[int, dict[str, User]] = {}
        for ra in RoleAssignment.objects.current().select_related("user"):
            officers.setdefault(ra.unit_id, {}).setdefault(ra.role, ra.user)
        self.officers = officers
        self.places: dict[int, Place] = {}
        # A unit's calendar is the national one unless it or an ancestor has its own rows
        # (`core.calendars._build`): build one calendar per distinct set of such units.
        own = set(CalendarOverride.objects.exclude(unit=None).values_list("unit_id", flat=True))
        own |= set(WorkingHoursProfile.objects.exclude(unit=None).values_list("unit_id", flat=True))
        self.own_calendar_units = own
        self.calendars: dict[frozenset[int], WorkingCalendar] = {}
        self.step_units: dict[tuple[int, str], Unit] = {}
        self.citizens = list(User.objects.filter(username__in=["an", "ha"]).order_by("username"))
        # communes weighted: a few large wards, many small communes (the two demo wards busy)
        communes = self.units_by_kind.get(UnitKind.COMMUNE, [])
        self.communes = communes
        self.commune_weights = [
            12.0 if u.code in ("H56.14797", "H56.16522") else 0.6 + 4.0 * rng.random() ** 3
            for u in communes
        ]

    def place(self, unit: Unit) -> Place:
        found = self.places.get(unit.pk)
        if found is None:
            if unit.kind == UnitKind.COMMUNE:
                centre = service_centre_of(unit)
            else:
                centre = self.provincial_centre or unit
            people = {**self.officers.get(centre.pk, {}), **self.officers.get(unit.pk, {})}
            chain = frozenset({*unit.ancestor_ids, unit.pk} & self.own_calendar_units)
            calendar = self.calendars.get(chain)
            if calendar is None:
                calendar = self.calendars[chain] = get_working_calendar(unit if chain else None)
            found = Place(unit, centre, calendar, people)
            self.places[unit.pk] = found
        return found

    def step_unit(self, place: Place, unit_kind: str) -> Unit:
        key = (place.unit.pk, unit_kind)
        found = self.step_units.get(key)
        if found is None:
            probe = Dossier(competent_unit=place.unit, receiving_centre=place.centre)
            found = self.step_units[key] = _step_unit(probe, unit_kind)
        return found

    def pick(self) -> tuple[Kind, Unit]:
        rng = self.rng
        roll = rng.random()
        level = "commune"
        if roll > 0.88 and self.kinds.get("department"):
            level = "department"
        elif roll > 0.82 and self.kinds.get("vertical_agency"):
            level = "vertical_agency"
        elif roll > 0.79 and self.kinds.get("office"):
            level = "office"
        kind = rng.choice(self.kinds.get(level) or self.kinds["commune"])
        level = kind.version.competent_unit_kind
        if level == UnitKind.COMMUNE:
            unit = rng.choices(self.communes, weights=self.commune_weights)[0]
        else:
            candidates = self.units_by_kind.get(level) or self.communes
            unit = candidates[0] if level == UnitKind.DEPARTMENT else rng.choice(candidates)
        return kind, unit


@dataclass
class Story:
    """One dossier as drawn, before it is written."""

    dossier: Dossier
    steps: list[DossierStep]
    events: list[Event]
    ledger: list[
        tuple[int | None, dt.datetime, dt.datetime | None, dt.datetime | None, str, list[str]]
    ]
    components: list[DossierComponent]
    rating: Rating | None
    outcome: str
    clock_start: dt.datetime | None = None


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _fold(text: str) -> str:
    return fold(text)


def _punctuality(calendar: WorkingCalendar, done: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return ""
    a, b = done.astimezone(calendar.tz).date(), due.astimezone(calendar.tz).date()
    if a < b:
        return Punctuality.EARLY
    return Punctuality.ON_TIME if a == b else Punctuality.LATE


def _hours(step: CatalogueStep, online: bool) -> Decimal:
    if online and step.online_budget_hours is not None:
        return Decimal(step.online_budget_hours)
    return Decimal(step.budget_hours)


def draw(
    ctx: Context, number: int, day: dt.date, now: dt.datetime, codes: dict[tuple[str, dt.date], int]
) -> Story:
    """Draw one dossier's whole story and cut it at `now`."""
    rng = ctx.rng
    kind, unit = ctx.pick()
    place = ctx.place(unit)
    cal = place.calendar
    version = kind.version
    if not cal.is_working_day(day):  # a unit's own day off
        day = cal.next_working_day(day)

    # -- channel, applicant, moment of submission ----------------------------------------
    roll = rng.random()
    if kind.online and roll < 0.6:
        channel = Channel.ONLINE
    elif kind.postal and roll > 0.9:
        channel = Channel.POSTAL
    else:
        channel = Channel.DIRECT
    day_open = cal.normalise_seconds(cal.to_seconds(dt.datetime.combine(day, dt.time(), cal.tz)))
    day_close = cal.closing_seconds(day)
    length = cal.between_seconds(day_open, day_close)
    submitted_pos = cal.shift_seconds(day_open, int(rng.random() * (length - 900)) + 1)
    submitted_at = cal.from_seconds(submitted_pos)
    local_day = submitted_at.date()
    code_key = (place.centre.code, local_day)
    codes[code_key] = codes.get(code_key, 0) + 1
    pattern = getattr(settings, "MOTCUA_DOSSIER_CODE_PATTERN", DEFAULT_PATTERN)
    applicant_user = None
    if channel == Channel.ONLINE and ctx.citizens and rng.random() < ctx.citizen_share:
        applicant_user = rng.choice(ctx.citizens)
    name = applicant_user.full_name if applicant_user else _name(rng)
    digitisation = Digitisation.FULL
    if channel != Channel.ONLINE:
        d = rng.random()
        digitisation = (
            Digitisation.FULL
            if d < 0.6
            else Digitisation.PARTIAL
            if d < 0.85
            else Digitisation.NONE
        )
    if not kind.components:
        digitisation = Digitisation.NONE
    return_channel = (
        ReturnChannel.ONLINE
        if channel == Channel.ONLINE and kind.electronic and rng.random() < 0.6
        else ReturnChannel.POST
        if channel == Channel.POSTAL
        else ReturnChannel.DESK
    )
    address = f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, {unit.short_name or unit.name}"
    dossier = Dossier(
        code=pattern.format(agency=place.centre.code, date=local_day, number=codes[code_key]),
        procedure_version=version,
        channel=channel,
        status=S.SUBMITTED,
        reception_point=place.centre,
        receiving_centre=place.centre,
        competent_unit=unit,
        applicant=applicant_user,
        applicant_name=name,
        applicant_identity_number=(applicant_user.identity_number if applicant_user else "")
        or f"038{rng.randint(0, 999_999_999):09d}",
        applicant_phone=f"09{rng.randint(0, 99_999_999):08d}",
        applicant_address=address,
        applicant_search=_fold(f"{name} "),
        request_summary=version.name[:500],
        return_channel=return_channel,
        return_address=address if return_channel == ReturnChannel.POST else "",
        idempotency_key=f"{MARK}{number}",
        submitted_at=submitted_at,
        intake_due_at=deadlines.intake_due(cal, submitted_at),
        digitisation=digitisation,
    )
    if channel == Channel.ONLINE and applicant_user is not None:
        dossier.applicant_email = applicant_user.email
    arrival = Arrival.UPLOADED if channel == Channel.ONLINE else Arrival.SCANNED
    components = [
        DossierComponent(
            dossier=dossier,
            component_id=cid,
            position=i,
            name=cname,
            copy_type=copy_type,
            count=count,
            arrival=arrival
            if digitisation == Digitisation.FULL
            or (digitisation == Digitisation.PARTIAL and i == 1)
            else Arrival.PAPER,
        )
        for i, (cid, cname, copy_type, count) in enumerate(kind.components, start=1)
    ]
    reception = place.officers.get(Role.RECEPTION)

    def officer(role: str) -> User | None:
        return place.officers.get(role)

    events: list[Event] = []
    if channel == Channel.ONLINE:
        intake_due = dossier.intake_due_at
        events.append(
            Event(
                submitted_at,
                EventKind.SUBMITTED,
                "",
                S.SUBMITTED,
                data={"intake_due_at": intake_due.isoformat() if intake_due else None},
                actor=applicant_user,
            )
        )
        wait = int(rng.uniform(0.05, 0.9) * cal.between_seconds(submitted_pos, day_close))
        accepted_at = cal.from_seconds(cal.shift_seconds(submitted_pos, max(wait, 60)))
    else:
        events.append(Event(submitted_at, EventKind.RECEIVED, "", S.SUBMITTED, actor=reception))
        accepted_at = submitted_at

    story = Story(dossier, [], events, [], components, None, "")
    if rng.random() < 0.02:  # refused at intake (form 03)
        events.append(
            Event(
                accepted_at,
                EventKind.REFUSED,
                S.SUBMITTED,
                S.REFUSED,
                reason=rng.choice(REFUSE_REASONS),
                form="03",
                actor=reception,
            )
        )
        return _cut(story, now, cal, reception, officer)

    # -- acceptance: the appointment and the steps ---------------------------------------
    legal = deadlines.legal_deadline(cal, version, None, channel, accepted_at)
    due0 = legal.due_at
    _, _, online_limit = deadlines.limit_of(version, None, channel)
    counted = [s for s in kind.steps if s.counted]
    laid = workdays.lay_out_steps(
        cal, legal.clock_start, [StepBudget(s.name, _hours(s, online_limit)) for s in counted]
    )
    laid_due = dict(zip((s.position for s in counted), (d.due_at for d in laid), strict=True))
    steps = [
        DossierStep(
            dossier=dossier,
            position=s.position,
            kind=StepKind.PROCESS,
            name=s.name,
            role=s.role,
            unit=ctx.step_unit(place, s.unit_kind),
            budget_seconds=round(float(_hours(s, online_limit)) * 3600) if s.counted else 0,
            counted=s.counted,
            status=StepStatus.PENDING,
            due_at=laid_due.get(s.position, due0),
        )
        for s in kind.steps
    ]
    story.steps = steps
    events.append(
        Event(
            accepted_at,
            EventKind.ACCEPTED,
            S.SUBMITTED,
            S.ACCEPTED,
            form="01",
            data={"due_at": due0.isoformat(), "ledger": list(legal.ledger)},
            actor=reception,
        )
    )
    story.clock_start = legal.clock_start
    a0 = cal.to_seconds(accepted_at)
    planned = max(cal.between_seconds(a0, cal.to_seconds(due0)), 600)

    # -- supplement pauses, at running positions (working seconds after acceptance) ------
    pauses: list[tuple[int, int]] = []  # (running position, working seconds waited)
    p = rng.random()
    if p < 0.07:
        first = int(planned * rng.uniform(0.1, 0.6))
        pauses.append((first, int(rng.uniform(0.3, 6) * SECONDS_PER_WORKING_DAY)))
        if p < 0.012:
            second = first + int(planned * rng.uniform(0.05, 0.3)) + 60
            pauses.append((second, int(rng.uniform(0.3, 4) * SECONDS_PER_WORKING_DAY)))

    def at_running(r: int, *, after_pause: bool = False) -> int:
        """Working position of running position `r` (pauses at r counted when after)."""
        waited = sum(w for pr, w in pauses if pr < r or (after_pause and pr == r))
        return cal.shift_seconds(a0, r + waited)

    # final appointment: moved by each pause's working time, exactly as resume_clock does
    due = due0
    for _r, waited in pauses:
        due = deadlines.shift(cal, due, waited)
    due_pos = cal.to_seconds(due)
    last_running = pauses[-1][0] + 60 if pauses else 60
    lo = at_running(last_running, after_pause=True)

    # -- how it ends ---------------------------------------------------------------------
    roll = rng.random()
    withdrawn = roll < 0.012
    stopped = 0.012 <= roll < 0.015
    wanted = rng.random()
    due_day = cal.date_of(due_pos)
    day_start = cal.normalise_seconds(
        cal.to_seconds(dt.datetime.combine(due_day, dt.time(), cal.tz))
    )
    # a few % late; among the last month's dossiers some are stuck for weeks, so that the
    # present holds overdue dossiers as well as dossiers within their appointment
    recent = (now - accepted_at).days < 30
    late_share = 0.15 if recent else 0.035
    if wanted < late_share or lo >= due_pos:
        days = rng.uniform(3, 30) if recent else rng.uniform(1.0, 6)
        end = cal.shift_seconds(max(due_pos, lo), int(days * SECONDS_PER_WORKING_DAY))
    elif wanted < late_share + 0.27 or lo >= day_start:
        begin = max(lo, day_start)
        end = cal.shift_seconds(begin, int(rng.random() * cal.between_seconds(begin, due_pos)))
    else:
        span = cal.between_seconds(lo, day_start)
        end = cal.shift_seconds(lo, int(rng.betavariate(2.5, 1.6) * span * 0.98))
    end = max(end, lo)
    running_total = cal.between_seconds(a0, end) - sum(w for _r, w in pauses)
    if withdrawn or stopped:
        running_total = max(60, int(running_total * rng.uniform(0.1, 0.9)))
        pauses = [x for x in pauses if x[0] < running_total]
        end = at_running(running_total)

    # hand-overs: the counted steps end at running positions proportional to their budgets
    budgets = [max(s.budget_seconds, 60) for s in steps if s.counted]
    total_budget = sum(budgets)
    ends: list[int] = []
    acc = 0
    for b in budgets:
        acc += b
        ends.append(int(running_total * acc / total_budget))
    ends[-1] = running_total

    timeline: list[tuple[int, int, str, int]] = []  # (running pos, order, what, index)
    for i, (pr, _w) in enumerate(pauses):
        timeline.append((pr, 1, "pause", i))
    counted_idx = [i for i, s in enumerate(steps) if s.counted]
    n_forward = len(counted_idx)
    if withdrawn or stopped:
        n_forward = sum(1 for e in ends if e < running_total)
    for k in range(n_forward):
        timeline.append((ends[k], 0, "forward", k))
    timeline.sort()

    status = S.ACCEPTED
    supplements = 0
    for r, _o, what, index in timeline:
        if what == "pause":
            waited = pauses[index][1]
            request_pos = at_running(r)
            supplements += 1
            events.append(
                Event(
                    cal.from_seconds(request_pos),
                    EventKind.SUPPLEMENT_REQUESTED,
                    status,
                    S.SUPPLEMENT_REQUESTED,
                    reason=rng.choice(MISSING),
                    form="02",
                    data={"request_number": supplements, "repeated": supplements > 1},
                    actor=officer(Role.SPECIALIST),
                )
            )
            events.append(
                Event(
                    cal.from_seconds(cal.shift_seconds(request_pos, waited)),
                    EventKind.SUPPLEMENT_RECEIVED,
                    S.SUPPLEMENT_REQUESTED,
                    status,
                    data={"added_seconds": waited},
                    actor=reception,
                )
            )
            continue
        step_index = counted_idx[index]
        step = steps[step_index]
        nxt = steps[step_index + 1] if step_index + 1 < len(steps) else None
        finishing = nxt is None or not nxt.counted
        moment = cal.from_seconds(at_running(r))
        target = S.RESULT_READY if finishing else S.PROCESSING
        events.append(
            Event(
                moment,
                EventKind.APPROVED if step.role == Role.SIGNING_LEADER else EventKind.FORWARDED,
                status,
                target,
                step=step_index,
                actor=officer(step.role),
                data={
                    "to_step": nxt.position if nxt else None,
                    "to_unit": nxt.unit.name if nxt else None,
                    "punctuality": "",  # filled in by _cut, once the step's due is known
                },
            )
        )
        status = target
        if finishing:
            summary = version.result_name[:500]
            events.append(
                Event(
                    moment,
                    EventKind.RESULT_READY,
                    S.RESULT_READY,
                    S.RESULT_READY,
                    reason=summary,
                    actor=officer(step.role),
                )
            )
            back = int(rng.uniform(0.05, 4) * SECONDS_PER_WORKING_DAY)
            via = dossier.return_channel
            tracking = f"EL{rng.randint(10**8, 10**9 - 1)}VN" if via == ReturnChannel.POST else ""
            events.append(
                Event(
                    cal.from_seconds(cal.shift_seconds(cal.to_seconds(moment), back)),
                    EventKind.RETURNED,
                    S.RESULT_READY,
                    S.RETURNED,
                    form="06",
                    data={"via": via, "tracking_number": tracking},
                    actor=reception,
                )
            )
    if withdrawn or stopped:
        events.append(
            Event(
                cal.from_seconds(end),
                EventKind.WITHDRAWN if withdrawn else EventKind.STOPPED,
                status,
                S.WITHDRAWN if withdrawn else S.STOPPED,
                reason=rng.choice(WITHDRAW_REASONS if withdrawn else STOP_REASONS),
                form="" if withdrawn else "05",
                actor=reception if withdrawn else officer(Role.SIGNING_LEADER),
            )
        )
    return _cut(story, now, cal, reception, officer)


def _cut(
    story: Story,
    now: dt.datetime,
    cal: WorkingCalendar,
    reception: User | None,
    officer: Callable[[str], User | None],
) -> Story:
    """Keep the events up to `now` and set the dossier and its steps as they then stand."""
    d = story.dossier
    steps = story.steps
    kept = [e for e in story.events if e.at <= now]
    story.events = kept
    paused_since: dt.datetime | None = None
    for e in kept:
        d.status = e.to_status
        if e.kind == EventKind.ACCEPTED:
            d.accepted_at = e.at
            d.clock_started_at = story.clock_start
            d.due_at = d.original_due_at = dt.datetime.fromisoformat(e.data["due_at"])
            story.ledger.append(
                (None, e.at, None, d.due_at, "hẹn trả kết quả khi tiếp nhận", e.data["ledger"])
            )
            for i, step in enumerate(steps):
                story.ledger.append(
                    (i, e.at, None, step.due_at, f"hạn bước {step.position} khi tiếp nhận", [])
                )
            steps[0].status = StepStatus.ACTIVE
            steps[0].started_at = e.at
        elif e.kind in (EventKind.REFUSED, EventKind.WITHDRAWN, EventKind.STOPPED):
            d.closed_at = e.at
            d.paused_at = None
            d.pause_reason = ""
            for step in steps:
                if step.status in (StepStatus.ACTIVE, StepStatus.PENDING):
                    step.status = StepStatus.CANCELLED
                    step.completed_at = e.at
                    step.punctuality = _punctuality(cal, e.at, step.due_at)
        elif e.kind == EventKind.SUPPLEMENT_REQUESTED:
            d.supplement_requests += 1
            d.resume_status = e.from_status
            d.paused_at = paused_since = e.at
            d.pause_reason = "supplement"
        elif e.kind == EventKind.SUPPLEMENT_RECEIVED and paused_since is not None:
            waited = int(e.data["added_seconds"])
            line = (
                f"cộng {deadlines.hours_text(waited)} tạm dừng chờ bổ sung "
                f"(từ {paused_since.astimezone(cal.tz):%H:%M %d/%m/%Y} "
                f"đến {e.at.astimezone(cal.tz):%H:%M %d/%m/%Y})"
            )
            if waited and d.due_at is not None:
                old = d.due_at
                d.due_at = deadlines.shift(cal, old, waited)
                story.ledger.append((None, e.at, old, d.due_at, line, []))
                for i, step in enumerate(steps):
                    if step.status in (StepStatus.ACTIVE, StepStatus.PENDING) and step.due_at:
                        step_old = step.due_at
                        step.due_at = deadlines.shift(cal, step_old, waited)
                        story.ledger.append((i, e.at, step_old, step.due_at, line, []))
            d.paused_seconds += waited
            d.paused_at = paused_since = None
            d.pause_reason = ""
            d.resume_status = ""
        elif e.kind in (EventKind.FORWARDED, EventKind.APPROVED) and e.step is not None:
            step = steps[e.step]
            step.status = StepStatus.DONE
            step.completed_at = e.at
            step.completed_by = officer(step.role)
            step.punctuality = _punctuality(cal, e.at, step.due_at)
            e.data["punctuality"] = step.punctuality
            if e.step + 1 < len(steps):
                nxt = steps[e.step + 1]
                nxt.status = StepStatus.ACTIVE
                nxt.started_at = e.at
        elif e.kind == EventKind.RESULT_READY:
            d.result_ready_at = e.at
            d.result_summary = e.reason
            d.result_electronic = d.procedure_version.result_electronic
        elif e.kind == EventKind.RETURNED:
            d.returned_at = d.closed_at = e.at
            d.returned_via = e.data["via"]
            d.postal_tracking_number = e.data["tracking_number"]
            for step in steps:
                if step.status in (StepStatus.ACTIVE, StepStatus.PENDING):
                    step.status = StepStatus.DONE
                    step.completed_at = e.at
                    step.completed_by = reception
                    step.punctuality = _punctuality(cal, e.at, step.due_at)
    if d.status == S.RETURNED:
        story.outcome = _outcome(cal, d.result_ready_at, d.due_at)
    elif d.status in (S.WITHDRAWN, S.STOPPED, S.REFUSED):
        story.outcome = str(d.status)
    elif d.status == S.RESULT_READY:
        story.outcome = _outcome(cal, d.result_ready_at, d.due_at)
    else:
        story.outcome = "open"
    return story


def _outcome(cal: WorkingCalendar, closed: dt.datetime | None, due: dt.datetime | None) -> str:
    if closed is None or due is None:
        return ""
    return _punctuality(cal, closed, due)


def _working_days(today: dt.date, days: int) -> list[dt.date]:
    cal = get_working_calendar(None)
    out = []
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        if cal.is_working_day(day):
            out.append(day)
    return out


def generated_count() -> int:
    return Dossier.objects.filter(idempotency_key__startswith=MARK).count()


def _write(stories: Sequence[Story]) -> None:
    Dossier.objects.bulk_create([s.dossier for s in stories], batch_size=500)
    DossierComponent.objects.bulk_create(
        [c for s in stories for c in s.components], batch_size=1000
    )
    DossierStep.objects.bulk_create([st for s in stories for st in s.steps], batch_size=1000)
    rows: list[DossierEvent] = []
    ledger: list[DeadlineChange] = []
    for s in stories:
        d = s.dossier
        for e in s.events:
            rows.append(
                DossierEvent(
                    dossier_id=d.pk,
                    at=e.at,
                    kind=e.kind,
                    actor=e.actor,
                    from_status=e.from_status,
                    to_status=e.to_status,
                    step_id=s.steps[e.step].pk if e.step is not None else None,
                    reason=e.reason,
                    form=e.form,
                    data=e.data,
                )
            )
        for step_index, at, old, new, reason, explanation in s.ledger:
            if new is None:
                continue
            ledger.append(
                DeadlineChange(
                    dossier_id=d.pk,
                    step_id=s.steps[step_index].pk if step_index is not None else None,
                    at=at,
                    old_due_at=old,
                    new_due_at=new,
                    reason=reason,
                    explanation=explanation,
                )
            )
    DossierEvent.objects.bulk_create(rows, batch_size=1000)
    DeadlineChange.objects.bulk_create(ledger, batch_size=1000)
    Rating.objects.bulk_create([s.rating for s in stories if s.rating is not None], batch_size=500)


def _chunks(items: Sequence[dt.date], size: int) -> Iterator[Sequence[dt.date]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def generate_year(
    dossiers: int = DEFAULT_DOSSIERS,
    *,
    seed: int = 2026,
    now: dt.datetime | None = None,
    progress: bool = True,
    recount: bool = True,
) -> Report:
    """Generate `dossiers` dossiers over the twelve months before `now` (default: now) and
    rebuild the report rollups; refuses (and reports) when a year was generated already."""
    started = time.monotonic()
    report = Report()
    existing = generated_count()
    if existing:
        report.skipped = existing
        return report
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 -- demo data, reproducible from the seed
    ctx = Context(rng, dossiers)
    if not ctx.kinds.get("commune") or not ctx.communes:
        raise RuntimeError("Chưa có dữ liệu mẫu: hãy chạy «motcua manage seed_demo» trước.")
    today = timezone.localtime(now, get_working_calendar(None).tz).date()
    days = _working_days(today, 365)
    # days drawn uniformly, a little busier towards the end of the year (catch-up season)
    chosen = sorted(
        rng.choices(days, weights=[1 + i / len(days) * 0.4 for i in range(len(days))], k=dossiers)
    )
    codes: dict[tuple[str, dt.date], int] = {}
    existing_counters = {
        (c.agency_code, c.day): c for c in DossierCodeCounter.objects.filter(day__in=set(days))
    }
    for key, counter in existing_counters.items():
        codes[key] = counter.last_number
    bar = tqdm(total=dossiers, desc="Sinh hồ sơ", unit=" hs", disable=not progress)
    with transaction.atomic():
        number = 0
        for part in _chunks(chosen, CHUNK):
            stories = []
            for day in part:
                number += 1
                story = draw(ctx, number, day, now, codes)
                d = story.dossier
                if d.status == S.RETURNED and d.returned_at is not None and rng.random() < 0.3:
                    rated = d.returned_at + dt.timedelta(hours=rng.uniform(0.1, 72))
                    if rated <= now:
                        story.rating = Rating(
                            dossier=d,
                            level=rng.choices([5, 4, 3, 2, 1], weights=[55, 30, 9, 4, 2])[0],
                            channel=RatingChannel.PORTAL
                            if d.applicant_id
                            else RatingChannel.TRACKING,
                            rated_by=d.applicant,
                            created_at=rated,
                        )
                stories.append(story)
                if d.is_open:
                    report.open += 1
                report.statuses[str(d.status)] = report.statuses.get(str(d.status), 0) + 1
                report.channels[d.channel] = report.channels.get(d.channel, 0) + 1
                report.outcomes[story.outcome] = report.outcomes.get(story.outcome, 0) + 1
            _write(stories)
            bar.update(len(part))
        bar.close()
        counters = [
            DossierCodeCounter(agency_code=agency, day=day, last_number=last)
            for (agency, day), last in codes.items()
            if (agency, day) not in existing_counters
        ]
        DossierCodeCounter.objects.bulk_create(counters, batch_size=1000)
        for key, counter in existing_counters.items():
            if codes[key] != counter.last_number:
                counter.last_number = codes[key]
                counter.save(update_fields=["last_number"])
    report.created = dossiers
    if recount:
        from motcua.reports.folding import recount as rebuild

        rebuild(write=True, progress=progress)
    report.seconds = time.monotonic() - started
    return report
