"""Benchmark: how long `motcua recount` takes over a generated province.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_province \\
        python bench/recount_time.py [--method sql|python] [--mode auto|full|sample]
                                     [--sample 100000] [--write]

Needs a database filled by `bench/generate_province.py`. `full` runs the project's
`recount()` over every dossier (`--write` rewrites the tables as `manage.py recount` does;
without it, `--dry-run`: compare only) and reports its time and difference (goal ≤ 60 s on
PostgreSQL, difference 0), by default the set-based recount PostgreSQL runs
(motcua/reports/recount_sql.py). `--method python` times the recount a dossier at a time
(the one SQLite runs); `sample` — its default above 300 000 received dossiers, where a full
run takes hours — does that recount's per-dossier work (`project_many` of chunks of 2 000,
the stored facts read back, `contribution` summed), read-only, over `--sample` consecutive
dossiers from a random start, and extrapolates linearly to every received dossier (the
final comparison of the day and running-total tables is timed in full: it reads them all).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_province import database_name, require_bench_url, setup_django


def sample_rate(size: int, progress: bool) -> tuple[int, float]:
    """(dossiers, seconds) of recount's per-dossier work over `size` received dossiers."""
    from motcua.dossiers.models import Dossier
    from motcua.reports.folding import from_row, project_many
    from motcua.reports.models import DossierFact
    from motcua.reports.projection import Key, add_into, contribution

    bounds = Dossier.objects.filter(accepted_at__isnull=False).order_by("pk")
    first = bounds.values_list("pk", flat=True).first() or 0
    last = bounds.reverse().values_list("pk", flat=True).first() or 0
    start_at = random.Random(11).randint(first, max(first, last - size))
    ids = list(
        Dossier.objects.filter(accepted_at__isnull=False, pk__gte=start_at)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    totals: dict[Key, Counter[str]] = {}
    bar = tqdm(total=len(ids), desc="Hồ sơ", unit=" hs", disable=not progress)
    started = time.perf_counter()
    for i in range(0, len(ids), 2000):
        part = ids[i : i + 2000]
        facts = project_many(part)
        stored = {r.dossier_id: from_row(r) for r in DossierFact.objects.filter(pk__in=part)}
        for dossier_id in part:
            fact = facts.get(dossier_id)
            _ = stored.get(dossier_id) != fact
            if fact is not None:
                add_into(totals, contribution(fact))
        bar.update(len(part))
    bar.close()
    return len(ids), time.perf_counter() - started


def tables_time() -> float:
    """Seconds to read the day and running-total tables as recount's comparison does."""
    from motcua.reports.models import DailyFlow, RunningTotal

    started = time.perf_counter()
    for model in (DailyFlow, RunningTotal):
        for _row in model.objects.all().iterator(chunk_size=5000):
            pass
    return time.perf_counter() - started


def verdict(dossiers: int, seconds: float) -> str:
    """The goal is ≤ 60 s for a province of 10 million dossiers: judged only at that size."""
    if dossiers < 9_000_000:
        return "goal ≤ 60 s at 10 M: not judged at this size"
    return f"goal ≤ 60 s at 10 M: {'met' if seconds <= 60 else 'NOT met'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--method", choices=("sql", "python"), default="sql")
    parser.add_argument("--mode", choices=("auto", "full", "sample"), default="auto")
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    url = require_bench_url(args.database_url)
    setup_django(url)
    from motcua.dossiers.models import Dossier
    from motcua.reports.folding import recount

    received = Dossier.objects.filter(accepted_at__isnull=False).count()
    mode = args.mode
    if mode == "auto":
        mode = "full" if args.method == "sql" or received <= 300_000 else "sample"
    if mode == "full":
        started = time.perf_counter()
        report = recount(write=args.write, progress=not args.no_progress, method=args.method)
        seconds = time.perf_counter() - started
        print(
            f"recount_time: full {args.method} recount ({'write' if args.write else 'dry run'}) of "
            f"{report.dossiers:,} received dossiers on {database_name(url)} in {seconds:.1f} s "
            f"({seconds / max(1, report.dossiers) * 1e6:.0f} µs per dossier), difference "
            f"{report.difference}; {verdict(report.dossiers, seconds)}"
        )
        return 0
    done, seconds = sample_rate(args.sample, not args.no_progress)
    read = tables_time()
    estimate = seconds / done * received + read
    print(
        f"recount_time: recount's per-dossier work over {done:,} dossiers in {seconds:.1f} s "
        f"({seconds / done * 1e6:.0f} µs per dossier) + reading the rollup tables {read:.1f} s "
        f"→ estimated full recount of {received:,} received dossiers on {database_name(url)}: "
        f"{estimate:,.0f} s ({estimate / 60:,.0f} min); {verdict(received, estimate)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
