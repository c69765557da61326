"""What one dossier adds to the rollups: a pure function of the dossier and its events.

A dossier counts from its acceptance (received for handling, `accepted_at`) to the end of
its handling (`closed_at`): the result ready (status 9), or its withdrawal (7) or stop
notice (8). The appointment statistics judge by is the one given at acceptance, moved by
the working time of each supplement or payment pause (the applicant's time is not the
agency's), never by an extension with apology (form 04; docs/dossiers.md).

Stocks are taken at the start of a Hà Nội day D (midnight), after everything that happened
before it:
- open on D: received before D and not closed before D;
- paused on D: a pause began before D and did not end before D (counted within deadline);
- overdue on D: open, not paused, and the appointment as it stood then is before D — that
  is, the due day is D − 1 or earlier, so a dossier due on D − 1 and still open at its end
  is late, the same day comparison as "early / on time / late" when it closes.
Each of these is a run of days [from, to); a dossier contributes +1 on `from` and −1 on
`to`, so the stock on any day is the sum of the changes up to that day. A dossier due on
day D gets its +1 overdue on D + 1 when it is folded: nothing needs to happen when the
time passes. A dossier never paused keeps no changes on its fact: they follow from its
days (`changes_of`), which spares the recount building and comparing them for nineteen
dossiers in twenty.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from motcua.dossiers import deadlines
from motcua.dossiers.models import Channel, Digitisation, Dossier, EventKind
from motcua.dossiers.status import CLOCK_RUNNING, DossierStatus
from motcua.reports.models import Outcome

PAUSE_STARTS = frozenset({EventKind.SUPPLEMENT_REQUESTED, EventKind.PAYMENT_REQUESTED})
PAUSE_ENDS = frozenset({EventKind.SUPPLEMENT_RECEIVED, EventKind.PAYMENT_RECORDED})
# The events the projection reads (the others change nothing it counts).
READ_EVENTS = tuple(PAUSE_STARTS | PAUSE_ENDS)

RECEIVED_COUNTER = {
    Channel.ONLINE: "received_online",
    Channel.DIRECT: "received_direct",
    Channel.POSTAL: "received_postal",
}
CLOSED_COUNTER = {
    Outcome.EARLY: "closed_early",
    Outcome.ON_TIME: "closed_on_time",
    Outcome.LATE: "closed_late",
    Outcome.WITHDRAWN: "withdrawn",
}

# Closed within deadline, but late for Decision 766 (2.1) after two or more supplement
# requests.
MULTI_SUPPLEMENT_LATE = frozenset({Outcome.EARLY, Outcome.ON_TIME, Outcome.WITHDRAWN})
# Closed with a result: the dossiers whose handling time 2.2 averages.
WITH_RESULT = frozenset({Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE})

# (unit, procedure, field, level, day): the key of a `DailyFlow` row.
Key = tuple[int, int, int, str, dt.date]
StockChange = tuple[dt.date, int, int, int]  # day, open, paused, overdue


@dataclass(frozen=True)
class EventView:
    """The few things the projection needs from a `DossierEvent`."""

    kind: str
    at: dt.datetime
    from_status: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """The report's view of one received dossier (stored as `DossierFact`)."""

    dossier_id: int
    unit_id: int
    procedure_id: int
    field_id: int
    level: str
    channel: str
    received_at: dt.datetime
    received_on: dt.date
    closed_at: dt.datetime | None
    closed_on: dt.date | None
    outcome: str
    due_at: dt.datetime | None
    paused_at: dt.datetime | None
    supplement_days: tuple[dt.date, ...]
    digitised: bool
    result_electronic: bool
    stock_changes: tuple[StockChange, ...]
    # Decision 766 (docs/reports.md): two or more supplement requests; online and counted by
    # 3.3; a component reused from the store or obtained by exchange.
    multi_supplement: bool = False
    online_counted: bool = False
    reused: bool = False
    handling_hours: int = 0  # 2.2 (`handling_hours`)


def local_day(moment: dt.datetime) -> dt.date:
    """The Hà Nội date of a moment (the reports' days are Hà Nội days)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def outcome_of(closed: dt.datetime, due: dt.datetime | None) -> str:
    """Early / on time / late by Hà Nội day against the appointment (domain.md B1.7)."""
    if due is None:
        return Outcome.ON_TIME
    closed_day, due_day = local_day(closed), local_day(due)
    if closed_day < due_day:
        return Outcome.EARLY
    return Outcome.ON_TIME if closed_day == due_day else Outcome.LATE


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def epoch_seconds(moment: dt.datetime) -> int:
    """Whole seconds since 1970 (floored, exactly: the SQL recount floors the same)."""
    return (moment - EPOCH) // SECOND


def handling_hours(
    received: dt.datetime, closed: dt.datetime, pauses: Iterable[tuple[dt.datetime, dt.datetime]]
) -> int:
    """Decision 766 2.2: the time from reception to the end of handling less the pauses
    (the applicant's waits), by the calendar, in whole seconds rounded to the nearest hour
    (half up)."""
    seconds = epoch_seconds(closed) - epoch_seconds(received)
    seconds -= sum(epoch_seconds(end) - epoch_seconds(start) for start, end in pauses)
    return (max(0, seconds) + 1800) // 3600


def _run(start: dt.datetime, end: dt.datetime | None) -> tuple[dt.date, dt.date | None]:
    """The days whose start falls inside [start, end): from the day after `start` to the
    day after `end`."""
    first = local_day(start) + dt.timedelta(days=1)
    return first, (local_day(end) + dt.timedelta(days=1) if end is not None else None)


def _changes(
    received_at: dt.datetime,
    closed_at: dt.datetime | None,
    pauses: Sequence[tuple[dt.datetime, dt.datetime | None]],
    running: Sequence[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]],
) -> tuple[StockChange, ...]:
    """The stock changes, in day order: open from reception to closing, paused during each
    pause, overdue during each running stretch (start, end, due in force) once past its
    due day."""
    changes: dict[dt.date, list[int]] = {}

    def add_run(first: dt.date, stop: dt.date | None, column: int) -> None:
        if stop is not None and stop <= first:
            return  # no day starts inside it
        changes.setdefault(first, [0, 0, 0])[column] += 1
        if stop is not None:
            changes.setdefault(stop, [0, 0, 0])[column] -= 1

    add_run(*_run(received_at, closed_at), 0)
    for pause in pauses:
        add_run(*_run(*pause), 1)
    for start, end, run_due in running:
        if run_due is None:
            continue
        # overdue from the day after the later of the run's start and its due day
        first = max(local_day(start), local_day(run_due)) + dt.timedelta(days=1)
        add_run(first, _run(start, end)[1], 2)
    return tuple(
        (day, *values)  # type: ignore[misc]
        for day, values in sorted(changes.items())
        if any(values)
    )


def changes_of(fact: Fact) -> tuple[StockChange, ...]:
    """The fact's stock changes: those it keeps, or, for a dossier never paused (which
    keeps none), those of its days — open from the day after reception, overdue from the
    day after its due day, both to the day after closing. (A paused dossier closed the day
    it was received keeps none either; its days give none.)"""
    if fact.stock_changes:
        return fact.stock_changes
    return _changes(
        fact.received_at, fact.closed_at, (), [(fact.received_at, fact.closed_at, fact.due_at)]
    )


def project(
    dossier: Dossier,
    events: Sequence[EventView],
    shift: Callable[[dt.datetime, int], dt.datetime],
    *,
    reused: bool = False,
) -> Fact | None:
    """The fact of `dossier` (None if it was never received for handling).

    `events` are its events of the kinds in `READ_EVENTS`, in order; `shift(moment,
    seconds)` adds working seconds in the dossier's calendar; `reused`: one of its
    components was taken from the data store or obtained by exchange between agencies.
    """
    if dossier.accepted_at is None:
        return None
    received_at = dossier.accepted_at
    closed_at: dt.datetime | None = None
    if dossier.result_ready_at is not None:
        closed_at = dossier.result_ready_at
    elif dossier.status in (DossierStatus.WITHDRAWN, DossierStatus.STOPPED):
        closed_at = dossier.closed_at

    due = dossier.original_due_at
    running: list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]] = []
    pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
    run_start: dt.datetime | None = received_at
    pause_start: dt.datetime | None = None
    supplement_days: list[dt.date] = []
    for event in events:
        if event.kind == EventKind.SUPPLEMENT_REQUESTED:
            supplement_days.append(local_day(event.at))
        if closed_at is not None and event.at > closed_at:
            continue  # e.g. a fee asked for once the result is ready: handling is over
        if event.kind in PAUSE_STARTS and event.from_status in CLOCK_RUNNING:
            if run_start is not None and pause_start is None:
                running.append((run_start, event.at, due))
                run_start, pause_start = None, event.at
        elif event.kind in PAUSE_ENDS and pause_start is not None:
            pauses.append((pause_start, event.at))
            added = int(event.data.get("added_seconds") or 0)
            if added and due is not None:
                due = shift(due, added)
            run_start, pause_start = event.at, None
    if run_start is not None:
        running.append((run_start, closed_at, due))
    if pause_start is not None:
        pauses.append((pause_start, closed_at))

    if dossier.status == DossierStatus.WITHDRAWN and closed_at is not None:
        outcome: str = Outcome.WITHDRAWN
    elif closed_at is not None:
        outcome = outcome_of(closed_at, due)
    else:
        outcome = ""
    version = dossier.procedure_version
    result_electronic = dossier.result_electronic and dossier.result_ready_at is not None
    # 3.3: an online dossier counts if it got an electronic result, or if its procedure's
    # result is not a document (no document type: nothing on paper to issue electronically).
    online_counted = dossier.channel == Channel.ONLINE and (
        result_electronic or version.result_document_type_id is None
    )
    return Fact(
        dossier_id=dossier.pk,
        unit_id=dossier.competent_unit_id,
        procedure_id=version.procedure_id,
        field_id=version.field_id,
        level=version.authority_level,
        channel=dossier.channel,
        received_at=received_at,
        received_on=local_day(received_at),
        closed_at=closed_at,
        closed_on=local_day(closed_at) if closed_at is not None else None,
        outcome=outcome,
        due_at=due,
        paused_at=pause_start if closed_at is None else None,
        supplement_days=tuple(supplement_days),
        digitised=dossier.digitisation == Digitisation.FULL,
        result_electronic=result_electronic,
        # a dossier never paused keeps none: they follow from its days (`changes_of`)
        stock_changes=_changes(received_at, closed_at, pauses, running) if pauses else (),
        multi_supplement=len(supplement_days) >= 2,
        online_counted=online_counted,
        reused=reused,
        handling_hours=(
            handling_hours(received_at, closed_at, [(s, e) for s, e in pauses if e is not None])
            if closed_at is not None
            else 0
        ),
    )


def contribution(fact: Fact) -> dict[Key, Counter[str]]:
    """What `fact` adds to each `DailyFlow` row."""
    rows: dict[Key, Counter[str]] = {}

    def add(day: dt.date, counter: str, amount: int = 1) -> None:
        key = (fact.unit_id, fact.procedure_id, fact.field_id, fact.level, day)
        rows.setdefault(key, Counter())[counter] += amount

    add(fact.received_on, RECEIVED_COUNTER[Channel(fact.channel)])
    if fact.digitised:
        add(fact.received_on, "digitised")
        if fact.result_electronic:
            add(fact.received_on, "digitised_with_result")
    if fact.online_counted:
        add(fact.received_on, "online_with_result")
    if fact.reused:
        add(fact.received_on, "reused")
    if fact.closed_on is not None and fact.outcome:
        add(fact.closed_on, CLOSED_COUNTER[Outcome(fact.outcome)])
        if fact.result_electronic:
            add(fact.closed_on, "result_electronic")
        if fact.multi_supplement and fact.outcome in MULTI_SUPPLEMENT_LATE:
            add(fact.closed_on, "closed_multi_supplement")
        if fact.outcome in WITH_RESULT and fact.handling_hours:
            add(fact.closed_on, "handling_hours", fact.handling_hours)
    for day in fact.supplement_days:
        add(day, "supplements_requested")
    for day, opened, paused, overdue in changes_of(fact):
        add(day, "open_change", opened)
        add(day, "paused_change", paused)
        add(day, "overdue_change", overdue)
    return rows


def add_into(total: dict[Key, Counter[str]], part: dict[Key, Counter[str]], sign: int = 1) -> None:
    for key, counters in part.items():
        into = total.setdefault(key, Counter())
        for name, amount in counters.items():
            into[name] += sign * amount


def calendar_shift(dossier: Dossier) -> Callable[[dt.datetime, int], dt.datetime]:
    """`shift` for `project`, building the dossier's calendar only when a pause needs it."""

    def shift(moment: dt.datetime, seconds: int) -> dt.datetime:
        return deadlines.shift(deadlines.calendar_for(dossier), moment, seconds)

    return shift


def event_views(rows: Iterable[dict[str, Any]]) -> list[EventView]:
    return [
        EventView(kind=r["kind"], at=r["at"], from_status=r["from_status"], data=r["data"] or {})
        for r in rows
    ]
