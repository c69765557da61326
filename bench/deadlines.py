"""Benchmark: due times for 1 million random (start, limit) pairs, calendar cached.

    .venv/bin/python bench/deadlines.py [--count N] [--seed S]

Starts are random instants of 2024–2026 (any minute, inside or outside working time);
limits are random working-day limits in quarter days from 0 to 60 days, or working-hour
limits from 0 to 200 hours. The calendar is the national built-in one (no database),
built before the clock starts. Prints one summary line with the figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.core.holiday_data import national_calendar
from motcua.core.workdays import VN_TZ, add_working_days, add_working_hours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    first = dt.datetime(2024, 1, 1, tzinfo=VN_TZ)
    span_minutes = 3 * 366 * 24 * 60
    pairs = [
        (
            first + dt.timedelta(minutes=rng.randrange(span_minutes)),
            rng.random() < 0.8,
            rng.randrange(0, 241) / 4 if rng.random() < 0.8 else rng.randrange(0, 201),
        )
        for _ in range(args.count)
    ]
    calendar = national_calendar()
    add_working_days(calendar, first, 1)  # warm: tables and year caches built

    chunk = 10_000
    latest = first
    started = time.perf_counter()
    with tqdm(total=args.count, unit="hạn", unit_scale=True, mininterval=0.5) as progress:
        for offset in range(0, args.count, chunk):
            for start, in_days, amount in pairs[offset : offset + chunk]:
                if in_days:
                    due = add_working_days(calendar, start, amount).due_at
                else:
                    due = add_working_hours(calendar, start, amount).due_at
                latest = max(latest, due)
            progress.update(min(chunk, args.count - offset))
    elapsed = time.perf_counter() - started
    print(
        f"{args.count:,} hạn trong {elapsed:.2f} s "
        f"({args.count / elapsed:,.0f} hạn/s, {elapsed / args.count * 1e6:.2f} µs mỗi hạn); "
        f"hạn muộn nhất {latest:%d/%m/%Y %H:%M}"
    )


if __name__ == "__main__":
    main()
