"""Benchmark: report form 06 latency over a generated province, against the naive GROUP BY
over the dossiers that computes the same report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_province \\
        python bench/report_latency.py [--runs 30] [--naive-runs 3]

Needs a database filled by `bench/generate_province.py` (its name must contain "bench").
For the province and for one commune (the one with most dossiers), and for the last full
month, the last full quarter, the last full calendar year and the month to date (which
also counts the dossiers open now from `DossierFact`), it times `build_form06` (`--runs`
times after one warm-up; p50 / p95 / max in ms), then times the naive query — one
GROUP BY level, field over `dossiers_dossier` joined to the procedure versions, for the
province — and prints the ratio naive p50 / form 06 p95 (goal: form 06 p95 ≤ 100 ms and
≤ 1/20 of the naive query). The naive query's columns 4–11 are compared with form 06's
(they must agree: same counting rules; column 12/13 need the pauses, which it ignores).
Then the leader's other pages for the province, timed the same way: the dashboard, the
Decision 766 scores and the rankings of the communes, for the month to date and the last
full month.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_province import database_name, fetch, require_bench_url, setup_django

TZ = "Asia/Ho_Chi_Minh"

NAIVE_SQL = """
WITH d AS (
  SELECT pv.authority_level AS level, pv.field_id, d.channel, d.status,
    (d.accepted_at AT TIME ZONE '{tz}')::date AS received_on,
    (d.original_due_at AT TIME ZONE '{tz}')::date AS due_on,
    (CASE WHEN d.result_ready_at IS NOT NULL THEN d.result_ready_at
          WHEN d.status IN ('withdrawn', 'stopped') THEN d.closed_at END
     AT TIME ZONE '{tz}')::date AS closed_on
  FROM dossiers_dossier d
  JOIN catalog_procedureversion pv ON pv.id = d.procedure_version_id
  JOIN accounts_unit u ON u.id = d.competent_unit_id
  WHERE d.accepted_at IS NOT NULL AND u.path LIKE %(path)s
    AND d.accepted_at < %(end_moment)s
)
SELECT level, field_id,
  count(*) FILTER (WHERE received_on >= %(start)s AND channel = 'online'),
  count(*) FILTER (WHERE received_on >= %(start)s AND channel <> 'online'),
  count(*) FILTER (WHERE received_on < %(start)s AND (closed_on IS NULL OR closed_on >= %(start)s)),
  count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s AND status <> 'withdrawn'
                   AND closed_on < due_on),
  count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s
                   AND (status = 'withdrawn' OR closed_on = due_on)),
  count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s AND status <> 'withdrawn'
                   AND closed_on > due_on),
  count(*) FILTER (WHERE closed_on IS NULL OR closed_on > %(end)s)
FROM d
GROUP BY level, field_id
""".replace("{tz}", TZ)

NAIVE_COLUMNS = (
    "received_online",
    "received_direct_postal",
    "carried_over",
    "closed_early",
    "closed_on_time",
    "closed_late",
    "open",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(
    call: Callable[[], Any], runs: int, progress: str | None = None, *, warm_up: bool = True
) -> list[float]:
    """Milliseconds of `runs` calls, after one untimed warm-up."""
    if warm_up:
        call()
    out = []
    for _ in tqdm(range(runs), desc=progress, leave=False, disable=progress is None):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    this_quarter = today.replace(month=quarter_start_month, day=1)
    last_quarter_end = this_quarter - dt.timedelta(days=1)
    last_quarter_start = last_quarter_end.replace(
        month=3 * ((last_quarter_end.month - 1) // 3) + 1, day=1
    )
    year = today.year - 1
    return [
        ("month", last_month_end.replace(day=1), last_month_end),
        ("quarter", last_quarter_start, last_quarter_end),
        ("year", dt.date(year, 1, 1), dt.date(year, 12, 31)),
        ("month to date", first_of_month, today),
    ]


def naive(path: str, start: dt.date, end: dt.date) -> dict[tuple[str, int], dict[str, int]]:
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    end_moment = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    rows = fetch(
        NAIVE_SQL, {"path": f"{path}%", "start": start, "end": end, "end_moment": end_moment}
    )
    return {(r[0], int(r[1])): dict(zip(NAIVE_COLUMNS, map(int, r[2:]), strict=True)) for r in rows}


def form_columns(form: Any) -> dict[tuple[str, int], dict[str, int]]:
    out: dict[tuple[str, int], dict[str, int]] = {}
    for group in form.groups:
        for row in group.rows:
            out[(group.level, row.field_id)] = {c: getattr(row.cells, c) for c in NAIVE_COLUMNS}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument(
        "--naive-periods",
        type=int,
        default=4,
        help="time the naive query for the first N periods only (it reads every dossier)",
    )
    args = parser.parse_args(argv)
    url = require_bench_url(args.database_url)
    setup_django(url)
    from django.db.models import Count
    from django.utils import timezone

    from motcua.accounts.models import Unit, UnitKind
    from motcua.reports.dashboard import build_dashboard
    from motcua.reports.form06 import build_form06
    from motcua.reports.indicators import build_scores
    from motcua.reports.models import DossierFact
    from motcua.reports.rankings import build_rankings

    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    busiest = (
        DossierFact.objects.filter(unit__kind=UnitKind.COMMUNE)
        .values("unit")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("No generated data: run bench/generate_province.py first.")
    commune = Unit.objects.get(pk=busiest["unit"])
    dossiers = fetch("SELECT count(*) FROM dossiers_dossier")[0][0]
    today = timezone.localdate()
    print(
        f"Database {database_name(url)}: {dossiers:,} dossiers; province {province.name}, "
        f"commune {commune.name} ({busiest['n']:,} dossiers received)"
    )
    worst_p95 = 0.0
    ratios: list[float] = []
    mismatches = 0
    for index, (label, start, end) in enumerate(periods(today)):
        for unit in (province, commune):
            times = timed(
                functools.partial(build_form06, unit, start, end),
                args.runs,
                f"{label} {unit.short_name or unit.name}",
            )
            p50, p95 = statistics.median(times), percentile(times, 95)
            worst_p95 = max(worst_p95, p95)
            print(
                f"  form 06 {label:13} {start}..{end} {unit.short_name or unit.name:20} "
                f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(times):7.1f} ms"
            )
        # the naive query for the province, and its agreement with form 06
        if index >= args.naive_periods:
            continue
        # (the first, untimed call of the naive query is the one compared with form 06)
        got_naive = naive(province.path, start, end)
        naive_times = timed(
            functools.partial(naive, province.path, start, end), args.naive_runs, warm_up=False
        )
        form_times = timed(functools.partial(build_form06, province, start, end), 10)
        naive_p50, form_p95 = statistics.median(naive_times), percentile(form_times, 95)
        ratio = naive_p50 / form_p95
        ratios.append(ratio)
        got_form = form_columns(build_form06(province, start, end))
        zero = dict.fromkeys(NAIVE_COLUMNS, 0)
        differing = sum(
            1
            for key in got_naive.keys() | got_form.keys()
            if got_naive.get(key, zero) != got_form.get(key, zero)
        )
        mismatches += differing
        print(
            f"  naive   {label:13} province: p50 {naive_p50:8.1f} ms over {args.naive_runs} runs;"
            f" naive / form 06 p95 = {ratio:,.0f}x; columns 4–11 differ in {differing} rows"
        )
    # The other report pages of a leader, for the province, month to date (the period that
    # reads the stocks now) and last month: the dashboard, the 766 scores, the rankings.
    month_to_date = (today.replace(day=1), today)
    last_month = periods(today)[0][1:]
    pages: dict[str, Callable[[], Any]] = {
        "dashboard": functools.partial(build_dashboard, province),
        "766 scores, month to date": functools.partial(build_scores, province, *month_to_date),
        "766 scores, last month": functools.partial(build_scores, province, *last_month),
        "rankings of the communes, month to date": functools.partial(
            build_rankings, province, *month_to_date, kind=UnitKind.COMMUNE
        ),
        "rankings of the communes, last month": functools.partial(
            build_rankings, province, *last_month, kind=UnitKind.COMMUNE
        ),
    }
    others = []
    for label, call in pages.items():
        times = timed(call, args.runs, label)
        p50, p95 = statistics.median(times), percentile(times, 95)
        print(f"  {label:42} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(times):7.1f} ms")
        others.append(f"{label} p95 {p95:.1f} ms")
    naive_text = (
        f"naive GROUP BY / form 06 p95 ≥ {min(ratios):,.0f}x (goal ≥ 20x: "
        f"{'met' if min(ratios) >= 20 else 'NOT met'}); naive vs form 06 rows differing "
        f"{mismatches}"
        if ratios
        else "naive GROUP BY not timed"
    )
    print(
        f"report_latency: {dossiers:,} dossiers; form 06 worst p95 {worst_p95:.1f} ms "
        f"(goal ≤ 100 ms: {'met' if worst_p95 <= 100 else 'NOT met'}); {naive_text}; "
        f"{'; '.join(others)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
