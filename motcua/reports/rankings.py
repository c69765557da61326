"""Rankings of the units directly below a unit (e.g. every commune of the province) by the
Decision 766 total score, the on-time rate (2.1), the online rate (3.3) or the digitisation
rate (4.2) — "thứ 2/166" as the seeds put it.

One set of rollup queries for the whole subtree (`indicators.figures_by_unit`), summed per
child's subtree in Python, and the catalogue read once: the cost does not grow with the
number of units ranked. A unit that handled fewer dossiers in the period than the minimum
(`settings.REPORTS_RANKING_MIN_DOSSIERS`, default 30) — dossiers received in the period or
carried over into it, form 06 column 3 — is not ranked and is listed apart with the reason;
so is a unit whose figure cannot be computed. Equal figures (as shown, to 0.01) share a
rank, and the next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Unit
from motcua.reports.indicators import (
    Figures,
    Scores,
    catalogue_on,
    evaluate,
    figures_by_unit,
    subtree_units,
)
from motcua.reports.rankings_targets import Progress, TargetIndicator, UnitTarget
from motcua.reports.reads import report_reads


@dataclass(frozen=True)
class Metric:
    label: Promise
    target: str  # the `TargetIndicator` it is compared with
    value: Callable[[Scores], float | None]  # points, or percent


def _percent(code: str) -> Callable[[Scores], float | None]:
    def value(scores: Scores) -> float | None:
        return scores.indicator(code).percent

    return value


METRICS: dict[str, Metric] = {
    "diem": Metric(_("Tổng điểm"), TargetIndicator.TOTAL, lambda s: s.total),
    "dung_han": Metric(_("Tỷ lệ trước hạn, đúng hạn"), TargetIndicator.ON_TIME, _percent("2.1")),
    "truc_tuyen": Metric(_("Tỷ lệ trực tuyến"), TargetIndicator.ONLINE, _percent("3.3")),
    "so_hoa": Metric(_("Tỷ lệ số hóa"), TargetIndicator.DIGITISED, _percent("4.2")),
}


@dataclass
class Entry:
    """One unit of the ranking."""

    unit: Unit
    scores: Scores
    value: float | None
    handled: int
    rank: int | None = None
    reason: str = ""
    progress: Progress | None = None

    @property
    def columns(self) -> list[tuple[str, float | None]]:
        """Every metric's figure, in the order of `METRICS` (the table's columns)."""
        return [(key, metric.value(self.scores)) for key, metric in METRICS.items()]


@dataclass
class Rankings:
    parent: Unit
    start: dt.date
    end: dt.date
    metric: str
    minimum: int
    ranked: list[Entry]
    unranked: list[Entry]
    kind: str | None = None

    @property
    def out_of(self) -> int:
        return len(self.ranked)


def rank(entries: list[Entry]) -> None:
    """Sort best first and give competition ranks: equal figures (to 0.01) share a rank."""
    entries.sort(key=lambda e: (-round(e.value or 0.0, 2), e.unit.name, e.unit.pk))
    previous: float | None = None
    for position, entry in enumerate(entries, start=1):
        shown = round(entry.value or 0.0, 2)
        if previous is None or shown != previous:
            entry.rank = position
        else:
            entry.rank = entries[position - 2].rank
        previous = shown


@report_reads
def build_rankings(
    parent: Unit,
    start: dt.date,
    end: dt.date,
    *,
    metric: str = "diem",
    minimum: int = 30,
    kind: str | None = None,
    now: dt.datetime | None = None,
) -> Rankings:
    """The units directly below `parent` (in force at some point of the period; of one
    `kind` only if given, e.g. the communes of a province without its departments), each
    with its whole subtree, ranked by `metric` (a key of `METRICS`)."""
    if end < start:
        raise ValueError("end before start")
    now = now or timezone.now()
    chosen = METRICS[metric]
    below = parent.children.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    if kind is not None:
        below = below.filter(kind=kind)
    children = list(below.order_by("name", "pk"))
    units = list(subtree_units(parent).values_list("pk", "path", "kind"))
    figures = figures_by_unit(subtree_units(parent), start, end, now=now)
    catalogue = catalogue_on(end)
    targets = {
        t.unit_id: t
        for t in UnitTarget.objects.filter(
            unit__in=children, indicator=chosen.target, year=end.year
        )
    }
    # each unit of the subtree under the child it belongs to (its path's next segment)
    totals = {child.pk: (Figures(), set[str]()) for child in children}
    for pk, path, kind in units:
        below_parent = path[len(parent.path) :].split("/", 1)[0]
        if below_parent.isdigit() and int(below_parent) in totals:
            total, kinds = totals[int(below_parent)]
            kinds.add(kind)
            if pk in figures:
                total.add(figures[pk])
    ranked: list[Entry] = []
    unranked: list[Entry] = []
    for child in children:
        total, kinds = totals[child.pk]
        scores = evaluate(child, start, end, total, catalogue, kinds)
        value = chosen.value(scores)
        entry = Entry(child, scores, value, total.handled)
        if child.pk in targets:
            entry.progress = Progress(targets[child.pk], value)
        if total.handled < minimum:
            entry.reason = str(
                _("Mới có %(n)d hồ sơ trong kỳ, cần ít nhất %(min)d để xếp hạng.")
                % {"n": total.handled, "min": minimum}
            )
            unranked.append(entry)
        elif value is None:
            entry.reason = str(_("Chưa tính được chỉ số này cho đơn vị trong kỳ."))
            unranked.append(entry)
        else:
            ranked.append(entry)
    rank(ranked)
    return Rankings(parent, start, end, metric, minimum, ranked, unranked, kind)
