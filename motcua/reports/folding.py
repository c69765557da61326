"""Folding dossier events into the rollups, and recounting them from the dossiers.

Every `DossierEvent` saved writes a `PendingFold` row in its own transaction (signals.py)
and, once committed, enqueues the `fold_reports` task. The fold takes the lock of the one
`FoldLock` row (SKIP LOCKED on PostgreSQL: a second worker finds it taken and leaves), reads
the pending rows, projects each of their dossiers again (projection.py), takes the old
contribution of the dossier out of `DailyFlow` and puts the new one in, stores the new
`DossierFact` and deletes the rows it handled. A pending row committed while a fold runs is
invisible to it and left for the next round, which the same fold runs before it leaves.

`recount()` projects every dossier under the same lock — in Python here on SQLite, in
set-based SQL on PostgreSQL (recount_sql.py) — compares with what the fold built and
rewrites what differs; the difference is zero unless something changed a dossier without
an event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.dossiers.models import Arrival, Dossier, DossierComponent, DossierEvent, Exemption
from motcua.reports.models import (
    FLOW_COUNTERS,
    DailyFlow,
    DossierFact,
    FoldLock,
    PendingFold,
    RunningTotal,
)
from motcua.reports.periods import half_of, next_half
from motcua.reports.projection import (
    READ_EVENTS,
    Fact,
    Key,
    add_into,
    calendar_shift,
    contribution,
    event_views,
    project,
)
from motcua.reports.recount_sql import STEPS, recount_sql

BATCH = 500


def project_many(dossier_ids: Iterable[int]) -> dict[int, Fact]:
    """The facts of these dossiers as they stand (those never received have none)."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return {}
    dossiers = (
        Dossier.objects.filter(pk__in=ids, accepted_at__isnull=False)
        .select_related("procedure_version", "competent_unit")
        .only(
            "pk",
            "channel",
            "status",
            "accepted_at",
            "original_due_at",
            "result_ready_at",
            "closed_at",
            "digitisation",
            "result_electronic",
            "competent_unit",
            "procedure_version__procedure_id",
            "procedure_version__field_id",
            "procedure_version__authority_level",
            "procedure_version__result_document_type",
        )
    )
    events: dict[int, list[dict[str, Any]]] = {}
    rows = (
        DossierEvent.objects.filter(dossier_id__in=ids, kind__in=READ_EVENTS)
        .order_by("dossier_id", "at", "id")
        .values("dossier_id", "kind", "at", "from_status", "data")
    )
    for row in rows:
        events.setdefault(int(row["dossier_id"]), []).append(dict(row))
    reused = set(
        DossierComponent.objects.filter(dossier_id__in=ids)
        .filter(Q(arrival=Arrival.REUSED) | Q(exemption=Exemption.EXCHANGED))
        .order_by()
        .values_list("dossier_id", flat=True)
        .distinct()
    )
    facts: dict[int, Fact] = {}
    for dossier in dossiers:
        fact = project(
            dossier,
            event_views(events.get(dossier.pk, [])),
            calendar_shift(dossier),
            reused=dossier.pk in reused,
        )
        if fact is not None:
            facts[dossier.pk] = fact
    return facts


def _iso(day: dt.date) -> str:
    return day.isoformat()


def to_row(fact: Fact) -> DossierFact:
    return DossierFact(
        dossier_id=fact.dossier_id,
        unit_id=fact.unit_id,
        procedure_id=fact.procedure_id,
        field_id=fact.field_id,
        level=fact.level,
        channel=fact.channel,
        received_at=fact.received_at,
        received_on=fact.received_on,
        closed_at=fact.closed_at,
        closed_on=fact.closed_on,
        outcome=fact.outcome,
        due_at=fact.due_at,
        paused_at=fact.paused_at,
        supplement_days=[_iso(d) for d in fact.supplement_days],
        digitised=fact.digitised,
        result_electronic=fact.result_electronic,
        multi_supplement=fact.multi_supplement,
        online_counted=fact.online_counted,
        reused=fact.reused,
        handling_hours=fact.handling_hours,
        stock_changes=[[_iso(d), o, p, v] for d, o, p, v in fact.stock_changes],
    )


def from_row(row: DossierFact) -> Fact:
    return Fact(
        dossier_id=row.dossier_id,
        unit_id=row.unit_id,
        procedure_id=row.procedure_id,
        field_id=row.field_id,
        level=row.level,
        channel=row.channel,
        received_at=row.received_at,
        received_on=row.received_on,
        closed_at=row.closed_at,
        closed_on=row.closed_on,
        outcome=row.outcome,
        due_at=row.due_at,
        paused_at=row.paused_at,
        supplement_days=tuple(dt.date.fromisoformat(d) for d in row.supplement_days),
        digitised=row.digitised,
        result_electronic=row.result_electronic,
        stock_changes=tuple(
            (dt.date.fromisoformat(d), int(o), int(p), int(v)) for d, o, p, v in row.stock_changes
        ),
        multi_supplement=row.multi_supplement,
        online_counted=row.online_counted,
        reused=row.reused,
        handling_hours=row.handling_hours,
    )


Flow = DailyFlow | RunningTotal


def _key(row: Flow) -> Key:
    when = row.day if isinstance(row, DailyFlow) else row.start
    return (row.unit_id, row.procedure_id, row.field_id, row.level, when)


def totals_after(changes: dict[Key, Counter[str]], through: dt.date) -> dict[Key, Counter[str]]:
    """Day changes carried into the running totals of every later half-month up to
    `through` (a running total sums the days before its start)."""
    out: dict[Key, Counter[str]] = {}
    for (unit, procedure, field, level, day), counters in changes.items():
        start = next_half(half_of(day))
        while start <= through:
            out.setdefault((unit, procedure, field, level, start), Counter()).update(counters)
            start = next_half(start)
    return out


def _apply(model: type[Flow], changes: dict[Key, Counter[str]]) -> None:
    """Add `changes` to the rows of `model` (creating and deleting rows as needed)."""
    changes = {k: c for k, c in changes.items() if any(c.values())}
    if not changes:
        return
    when = "day" if model is DailyFlow else "start"
    units = {k[0] for k in changes}
    moments = {k[4] for k in changes}
    existing: dict[Key, Flow] = {
        _key(row): row
        for row in model.objects.filter(unit_id__in=units, **{f"{when}__in": moments})
    }
    updated: list[Flow] = []
    created: list[Flow] = []
    for key, counters in changes.items():
        row = existing.get(key)
        if row is None:
            unit_id, procedure_id, field_id, level, moment = key
            row = model(
                unit_id=unit_id,
                procedure_id=procedure_id,
                field_id=field_id,
                level=level,
                **{when: moment},
            )
            created.append(row)
        else:
            updated.append(row)
        for name, amount in counters.items():
            setattr(row, name, getattr(row, name) + amount)

    def empty(row: Flow) -> bool:
        return not any(getattr(row, name) for name in FLOW_COUNTERS)

    emptied = {row.pk for row in updated if empty(row)}
    if emptied:
        model.objects.filter(pk__in=emptied).delete()
    kept = [row for row in updated if row.pk not in emptied]
    if kept:
        model.objects.bulk_update(kept, list(FLOW_COUNTERS))  # type: ignore[arg-type]
    fresh = [row for row in created if not empty(row)]
    if fresh:
        model.objects.bulk_create(fresh, batch_size=1000)  # type: ignore[arg-type]


def apply_changes(changes: dict[Key, Counter[str]], totals_through: dt.date | None) -> None:
    """Add changes keyed by day to the day table and to the running totals kept (up to
    `totals_through`)."""
    _apply(DailyFlow, changes)
    if totals_through is not None:
        _apply(RunningTotal, totals_after(changes, totals_through))


def totals_target() -> dt.date:
    """The last half-month whose running totals are kept: the next one (a report reads
    them at the latest for the day after tomorrow)."""
    return next_half(half_of(timezone.localdate() + dt.timedelta(days=2)))


def extend_totals(through: dt.date | None, target: dt.date) -> dt.date:
    """Add the running totals of the half-months after `through` up to `target`, each the
    previous one plus the days of the previous half-month; returns the new `through`."""
    if through is None:
        first = DailyFlow.objects.order_by("day").values_list("day", flat=True).first()
        if first is None or half_of(first) >= target:
            return target  # nothing before: every total up to `target` is zero
        through = half_of(first)  # nothing before the first day with data: all zero
    start = through
    sums = {name: Sum(name) for name in FLOW_COUNTERS}
    while start < target:
        following = next_half(start)
        totals: dict[Key, Counter[str]] = {}
        for row in RunningTotal.objects.filter(start=start):
            totals[(*_key(row)[:4], following)] = Counter(
                {name: getattr(row, name) for name in FLOW_COUNTERS}
            )
        days = (
            DailyFlow.objects.filter(day__gte=start, day__lt=following)
            .order_by()
            .values("unit_id", "procedure_id", "field_id", "level")
            .annotate(**sums)
        )
        for day_sums in days:
            values: dict[str, Any] = dict(day_sums)
            key = (
                values["unit_id"],
                values["procedure_id"],
                values["field_id"],
                values["level"],
                following,
            )
            totals.setdefault(key, Counter()).update(
                {name: int(values[name] or 0) for name in FLOW_COUNTERS}
            )
        RunningTotal.objects.bulk_create(
            [
                RunningTotal(
                    unit_id=unit,
                    procedure_id=procedure,
                    field_id=field,
                    level=level,
                    start=when,
                    **{name: values[name] for name in FLOW_COUNTERS},
                )
                for (unit, procedure, field, level, when), values in totals.items()
                if any(values.values())
            ],
            batch_size=1000,
        )
        start = following
    return max(through, target)


def refold(dossier_ids: Iterable[int], totals_through: dt.date | None = None) -> int:
    """Project these dossiers again and move their contributions; returns how many."""
    ids = set(dossier_ids)
    new = project_many(ids)
    old = {row.dossier_id: from_row(row) for row in DossierFact.objects.filter(pk__in=ids)}
    changes: dict[Key, Counter[str]] = {}
    for dossier_id in ids:
        before, after = old.get(dossier_id), new.get(dossier_id)
        if before == after:
            continue
        if before is not None:
            add_into(changes, contribution(before), -1)
        if after is not None:
            add_into(changes, contribution(after))
    apply_changes(changes, totals_through)
    changed = [i for i in ids if old.get(i) != new.get(i)]
    if changed:
        DossierFact.objects.filter(pk__in=changed).delete()
        DossierFact.objects.bulk_create([to_row(new[i]) for i in changed if i in new])
    return len(ids)


def _take_lock(wait: bool) -> FoldLock | None:
    """The fold lock row, locked for this transaction; None if another holds it."""
    skip = not wait and connection.features.has_select_for_update_skip_locked
    return FoldLock.objects.select_for_update(skip_locked=skip).filter(pk=1).first()


def _ensure_lock_row() -> None:
    if not FoldLock.objects.filter(pk=1).exists():
        try:
            with transaction.atomic():
                FoldLock.objects.create(pk=1)
        except IntegrityError:
            pass  # created by another process meanwhile


def fold_pending(batch: int = BATCH) -> int:
    """Fold every dossier with a pending event; returns how many dossiers were folded.

    Safe with several workers: only the holder of the fold lock folds; the others return 0
    at once (PostgreSQL) or wait their turn (SQLite serialises writers anyway)."""
    _ensure_lock_row()
    folded = 0
    while True:
        with transaction.atomic():
            lock = _take_lock(wait=False)
            if lock is None:
                return folded
            pending = list(
                PendingFold.objects.order_by("id").values_list("id", "dossier_id")[:batch]
            )
            through = lock.totals_through
            if through is None or through < totals_target():
                through = lock.totals_through = extend_totals(through, totals_target())
                lock.save(update_fields=["totals_through"])
            if not pending:
                return folded
            count = refold((dossier_id for _, dossier_id in pending), through)
            PendingFold.objects.filter(pk__in=[pk for pk, _ in pending]).delete()
            lock.folded_at = timezone.now()
            lock.folded_dossiers += count
            lock.save(update_fields=["folded_at", "folded_dossiers"])
        folded += count


@dataclass
class RecountReport:
    dossiers: int = 0
    rows: int = 0
    rows_differing: int = 0
    total_rows_differing: int = 0
    facts_differing: int = 0
    written: bool = True

    @property
    def difference(self) -> int:
        return self.rows_differing + self.total_rows_differing + self.facts_differing

    def summary(self) -> str:
        numbers = {
            "dossiers": self.dossiers,
            "rows": self.rows,
            "rows_differing": self.rows_differing,
            "totals_differing": self.total_rows_differing,
            "facts_differing": self.facts_differing,
        }
        if self.written:
            text = _(
                "Đếm lại: %(dossiers)d hồ sơ đã tiếp nhận, %(rows)d dòng số liệu theo ngày; "
                "chênh lệch với số liệu cộng dồn: %(rows_differing)d dòng theo ngày, "
                "%(totals_differing)d dòng lũy kế, %(facts_differing)d hồ sơ."
            )
        else:
            text = _(
                "Đếm lại: %(dossiers)d hồ sơ đã tiếp nhận, %(rows)d dòng số liệu theo ngày; "
                "chênh lệch với số liệu cộng dồn: %(rows_differing)d dòng theo ngày, "
                "%(totals_differing)d dòng lũy kế, %(facts_differing)d hồ sơ "
                "(chạy thử, không ghi)."
            )
        return text % numbers


def _differences(model: type[Flow], want: dict[Key, Counter[str]]) -> dict[Key, Counter[str]]:
    """What to add to the rows of `model` to make them `want` (only the rows that differ)."""
    have = {_key(row): row for row in model.objects.all()}
    repair: dict[Key, Counter[str]] = {}
    for key in want.keys() | have.keys():
        row = have.get(key)
        target = want.get(key, Counter())
        delta = Counter(
            {n: target[n] - (getattr(row, n) if row is not None else 0) for n in FLOW_COUNTERS}
        )
        if any(delta.values()):
            repair[key] = delta
    return repair


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def recount(
    *, write: bool = True, progress: bool = False, chunk: int = 2000, method: str = ""
) -> RecountReport:
    """Rebuild the rollups from the dossiers, under the fold lock, and say how far the
    incremental tables were from the rebuilt ones.

    `method`: "sql" (set-based, PostgreSQL only: recount_sql.py), "python" (a dossier at a
    time through projection.py, any database); by default "sql" on PostgreSQL."""
    method = method or ("sql" if connection.vendor == "postgresql" else "python")
    _ensure_lock_row()
    report = RecountReport(written=write)
    with transaction.atomic():
        lock = _take_lock(wait=True)
        assert lock is not None  # noqa: S101 -- waiting for the lock always gets it
        # Compare the running totals kept so far (all up to the next half-month if none).
        through = lock.totals_through or totals_target()
        if method == "sql":
            with tqdm(total=len(STEPS), desc="Đếm lại", disable=not progress) as bar:
                recount_sql(report, write=write, bar=bar, through=through)
        else:
            _recount_python(report, write=write, progress=progress, chunk=chunk, through=through)
        if write:
            lock.totals_through = extend_totals(through, totals_target())
            lock.save(update_fields=["totals_through"])
    return report


def _recount_python(
    report: RecountReport, *, write: bool, progress: bool, chunk: int, through: dt.date
) -> None:
    ids = list(
        Dossier.objects.filter(accepted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stored_ids = set(DossierFact.objects.values_list("pk", flat=True))
    totals: dict[Key, Counter[str]] = {}
    bar = tqdm(total=len(ids), desc="Hồ sơ", unit=" hs", disable=not progress)
    for part in _chunks(ids, chunk):
        facts = project_many(part)
        stored = {row.dossier_id: from_row(row) for row in DossierFact.objects.filter(pk__in=part)}
        for dossier_id in part:
            fact = facts.get(dossier_id)
            if stored.get(dossier_id) != fact:
                report.facts_differing += 1
            if fact is not None:
                report.dossiers += 1
                add_into(totals, contribution(fact))
        if write:
            changed = [i for i in part if stored.get(i) != facts.get(i)]
            DossierFact.objects.filter(pk__in=changed).delete()
            DossierFact.objects.bulk_create(
                [to_row(facts[i]) for i in changed if i in facts], batch_size=1000
            )
        bar.update(len(part))
    bar.close()
    orphans = stored_ids - set(ids)  # facts of dossiers no longer received (none expected)
    report.facts_differing += len(orphans)
    if write and orphans:
        DossierFact.objects.filter(pk__in=orphans).delete()

    rebuilt = {k: c for k, c in totals.items() if any(c.values())}
    report.rows = len(rebuilt)
    repair = _differences(DailyFlow, rebuilt)
    report.rows_differing = len(repair)
    if write:
        _apply(DailyFlow, repair)
    repair = _differences(RunningTotal, running_totals(rebuilt, through))
    report.total_rows_differing = len(repair)
    if write:
        _apply(RunningTotal, repair)


def running_totals(days: dict[Key, Counter[str]], through: dt.date) -> dict[Key, Counter[str]]:
    """The running totals up to `through` from the day counters, computed afresh."""
    per_pair: dict[tuple[int, int, int, str], dict[dt.date, Counter[str]]] = {}
    for (unit, procedure, field, level, day), counters in days.items():
        halves = per_pair.setdefault((unit, procedure, field, level), {})
        halves.setdefault(half_of(day), Counter()).update(counters)
    out: dict[Key, Counter[str]] = {}
    for pair, halves in per_pair.items():
        running: Counter[str] = Counter()
        start = min(halves)
        while start < through:
            running.update(halves.get(start, Counter()))
            start = next_half(start)
            if any(running.values()):
                out[(*pair, start)] = Counter(running)
    return out
