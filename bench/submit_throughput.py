"""Benchmark: dossiers received per second through the real action, with and without the
report rollups.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_province \\
        python bench/submit_throughput.py [--dossiers 300] [--rounds 3]

Needs a "bench" database with the demo province (`bench/generate_province.py` makes one;
the rollups and dossiers it holds make the fold work at scale). In one process, on one
thread, the reception officer of commune A (Bình) receives and accepts `--dossiers`
dossiers at the desk with `actions.receive_at_desk` (the action a desk runs: code counter,
dossier, components, steps, deadline ledger, events), in three modes, interleaved over
`--rounds` rounds (the machine is shared; the best round of each mode is kept):

- `off` — the reports' signal (motcua/reports/signals.py, `mark_for_folding`) disconnected
  inside this benchmark only: no pending rows, no fold task enqueued, no fold (after the
  round, untimed, its dossiers are marked and folded, so the rollups stay exact);
- `on, batched` — as in production: each event writes its pending row and the commit
  enqueues the fold task (database task backend); the fold (`fold_pending`, what the worker
  runs) then folds the round's dossiers at the end, its time counted;
- `on, each` — the same, with a fold after every dossier (the worst case: a worker that
  wakes for every commit).

Overhead = 1 − rate(on) / rate(off); goal ≤ 20 %.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_province import database_name, fetch, require_bench_url, setup_django


def receiver_off() -> Callable[[], None]:
    """Disconnect the reports' signal; returns the function that connects it again."""
    from django.db.models.signals import post_save

    from motcua.dossiers.models import DossierEvent
    from motcua.reports.signals import mark_for_folding

    post_save.disconnect(mark_for_folding, sender=DossierEvent, dispatch_uid="reports-pending-fold")

    def again() -> None:
        post_save.connect(
            mark_for_folding, sender=DossierEvent, dispatch_uid="reports-pending-fold"
        )

    return again


def desk_submitter() -> Callable[[], Any]:
    """One call = one dossier received and accepted at commune A's desk by Bình."""
    from motcua.accounts.models import Unit, User
    from motcua.catalog.models import Procedure
    from motcua.dossiers import actions
    from motcua.dossiers.models import Channel

    officer = User.objects.get(username="binh")
    citizen = User.objects.get(username="an")
    commune = Unit.objects.get(code="H56.14797")
    version = None
    for procedure in Procedure.objects.order_by("pk"):
        candidate = procedure.current_version()
        if candidate is not None and candidate.authority_level == "commune":
            version = candidate
            break
    assert version is not None  # noqa: S101 -- the demo catalogue has commune procedures
    submission = actions.Submission(
        version_id=version.pk,
        competent_unit_id=commune.pk,
        receiving_centre_id=actions.service_centre_of(commune).pk,
        applicant=actions.Applicant(
            name=citizen.full_name, identity_number=citizen.identity_number or ""
        ),
        components=[
            actions.ReceivedComponent(
                name=c.name, copy_type=c.copy_type, count=c.count, component_id=c.pk
            )
            for c in version.components.all()
            if c.required
        ],
    )

    def submit() -> Any:
        return actions.receive_at_desk(
            submission, officer=officer, channel=Channel.DIRECT, applicant_user=citizen
        )

    return submit


def run(mode: str, count: int, submit: Callable[[], Any], progress: bool) -> float:
    """Dossiers per second in `mode` (the fold's time included where it runs)."""
    from motcua.reports.folding import fold_pending
    from motcua.reports.models import PendingFold

    again = receiver_off() if mode == "off" else None
    made: list[int] = []
    try:
        start = time.perf_counter()
        for _ in tqdm(range(count), desc=mode, leave=False, disable=not progress):
            made.append(submit().pk)
            if mode == "on, each":
                fold_pending()
        if mode == "on, batched":
            fold_pending()
        elapsed = time.perf_counter() - start
    finally:
        if again is not None:
            again()
            # untimed: fold what was received with the signal off, so that the rollups
            # stay equal to a recount for the benchmarks that follow
            PendingFold.objects.bulk_create([PendingFold(dossier_id=pk) for pk in made])
            fold_pending()
    return count / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    url = require_bench_url(args.database_url)
    setup_django(url)
    from motcua.reports.folding import fold_pending

    fold_pending()  # start from nothing pending
    submit = desk_submitter()
    for _ in range(10):  # warm-up: caches, connections, the day's code counter
        submit()
    fold_pending()
    modes = ("off", "on, batched", "on, each")
    best: dict[str, float] = dict.fromkeys(modes, 0.0)
    for round_ in range(args.rounds):
        for mode in modes:
            rate = run(mode, args.dossiers, submit, not args.no_progress)
            best[mode] = max(best[mode], rate)
            tqdm.write(f"  round {round_ + 1} {mode:12} {rate:6.1f} dossiers/s")
    dossiers = fetch("SELECT count(*) FROM dossiers_dossier")[0][0]
    off = best["off"]
    overhead = {m: 1 - best[m] / off for m in modes[1:]}
    print(
        f"submit_throughput: receive_at_desk on {database_name(url)} ({dossiers:,} dossiers), "
        f"{args.dossiers} per round, best of {args.rounds}: off {off:.1f}/s, "
        f"on + batched fold {best['on, batched']:.1f}/s "
        f"(overhead {overhead['on, batched']:.0%}), on + fold each {best['on, each']:.1f}/s "
        f"(overhead {overhead['on, each']:.0%}); goal ≤ 20 %: "
        f"{'met' if overhead['on, batched'] <= 0.20 else 'NOT met'} (batched)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
