"""Benchmark data: the demo province (Thanh Hóa, `seed_demo`) with N dossiers over two years
across all its units, and the report rollups built for them — set-based SQL on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_province \\
        python bench/generate_province.py [--dossiers 10000000] [--check full|sample|none]

The database's name must contain "bench" (so the developer's demo database is never
touched); it is created if missing, migrated and seeded with `seed_demo`, and must not hold
generated dossiers yet. Phases, each timed:

1. `dossiers` — one INSERT … SELECT FROM generate_series: procedures of the demo catalogue
   (85 % commune procedures at one of the 166 communes, received at its service centre; the
   rest at the departments, offices and the vertical agency, received at the provincial
   centre), submitted over the 730 days before yesterday (Hà Nội office hours), ~60 %
   online / 37 % at the desk / 3 % by post, 1.5 % of online ones refused; of the accepted,
   ~5 % still open (submitted in the last 60 days; some waiting for a supplement), ~5 % with
   a supplement request, ~1 % withdrawn, 0.3 % stopped, the rest closed early / on time /
   late (~75 / 22 / 2 %), digitised and electronic results in part. Codes follow the
   project's pattern `<centre>-<YYMMDD>-<NNNN>` (the running number is the generated row's
   number, so codes are unique; the per-day counters are not filled — generated days end
   yesterday, today's counters start afresh).
2. `events` — the supplement requested / received events (the events the reports read).
3. `indexes` — the secondary indexes and unique constraints of the big tables are
   dropped before the inserts and built again here, the facts' and day rows' after them
   (foreign keys are not checked during the
   inserts: `session_replication_role = replica`; every key comes from the seeded tables).
4. `facts`, `daily`, `totals` — `DossierFact`, `DailyFlow`, `RunningTotal` built by SQL:
   the same rules as motcua/reports/projection.py for a dossier with at most one pause
   (written apart from the project's set-based recount, recount_sql.py, on purpose: the
   recount's zero difference on generated data then checks one SQL against the other;
   building the facts with `recount(write=True)` instead was also slower: 93 s instead of
   48 s at 1 M, the foreign keys checked row by row), and the day and half-month tables as
   sums of the facts with the recount's SQL. The seed's own dossiers are folded by the
   project's `fold_pending` first.
5. `check` — `recount(write=False)` (full; the default up to 300 000 dossiers) or, for
   `sample`, the project's projection and running totals for every dossier of two units
   compared with the stored facts, days and totals. Either must find zero difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import queue
import random
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIG_TABLES = (
    "dossiers_dossier",
    "dossiers_dossierevent",
    "reports_dossierfact",
    "reports_dailyflow",
)
TZ = "Asia/Ho_Chi_Minh"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def require_bench_url(url: str | None) -> str:
    """The benchmark database's URL; refuses anything but a PostgreSQL "bench" database."""
    if not url:
        raise SystemExit("Give --database-url or DATABASE_URL (a database whose name has 'bench').")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The generator needs PostgreSQL (set-based SQL).")
    if "bench" not in database_name(url):
        raise SystemExit(f"Refusing {database_name(url)!r}: the name must contain 'bench'.")
    return url


def create_database_if_missing(url: str) -> bool:
    import psycopg

    name = database_name(url)
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')  # the name was checked above
    return True


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    data = Path(
        os.environ.setdefault(
            "MOTCUA_DATA_DIR", str(Path(tempfile.gettempdir()) / f"motcua-{database_name(url)}")
        )
    )
    # One secret per benchmark database, kept beside its files: the officers' signing keys
    # the seed encrypts under it must open again in the next benchmark's process.
    if "MOTCUA_SECRET_KEY" not in os.environ:
        key = data / "secret_key"
        if not key.exists():
            data.mkdir(parents=True, exist_ok=True)
            key.write_text(secrets.token_urlsafe(40))
            key.chmod(0o600)
        os.environ.setdefault("MOTCUA_SECRET_KEY_FILE", str(key))
    import django

    django.setup()


def prepare(progress: bool) -> None:
    """Migrate and seed the demo province (a second run changes nothing)."""
    from django.core.management import call_command

    from motcua.demo.seed import seed_demo
    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    if not Dossier.objects.exists():
        seed_demo(progress=progress)


def execute(sql: str, params: dict[str, Any] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(0, int(cursor.rowcount))  # a SET's is -1


def fetch(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- the SQL -----------------------------------------------------------------------------


# r1 day, r2 open, r3 communal, r4 procedure, r5 unit, r6 channel, r7 hour, r8 refused,
# r9 supplement, r10 outcome, r11 delay, r12 digitised, r13 electronic result
DOSSIERS_SQL = """
INSERT INTO dossiers_dossier (
  code, lookup_secret, procedure_version_id, channel, status, resume_status,
  reception_point_id, receiving_centre_id, competent_unit_id, applicant_name,
  applicant_identity_number, applicant_phone, applicant_email, applicant_address,
  representative_name, representative_identity_number, applicant_search, request_summary,
  return_channel, return_address, submitted_at, accepted_at, clock_started_at, due_at,
  original_due_at, paused_at, pause_reason, paused_seconds, supplement_requests,
  result_ready_at, result_summary, result_number, returned_at, returned_via,
  postal_tracking_number, closed_at, digitisation, result_electronic, created_at, updated_at)
SELECT
  p.centre_code || '-' || to_char(p.day, 'YYMMDD') || '-' || lpad(p.g::text, greatest(4, length(p.g::text)), '0'),
  upper(substr(md5(p.g::text), 1, 6)), p.pv_id, p.channel,
  CASE WHEN p.refused THEN 'refused'
       WHEN p.paused THEN 'supplement_requested'
       WHEN p.kind_ = 'open' THEN 'processing'
       WHEN p.kind_ IN ('withdrawn', 'stopped') THEN p.kind_
       WHEN p.done + interval '1 day' > now() THEN 'result_ready'
       ELSE 'returned' END,
  '', p.centre_id, p.centre_id, p.unit_id, 'Công dân ' || p.g, '', '', '', '', '', '',
  'công dân ' || p.g, '', 'desk', '', p.submitted,
  CASE WHEN NOT p.refused THEN p.accepted END,
  CASE WHEN NOT p.refused THEN p.accepted END,
  CASE WHEN NOT p.refused THEN p.due + CASE WHEN p.supp AND NOT p.paused
                                            THEN interval '2 days' ELSE interval '0' END END,
  CASE WHEN NOT p.refused THEN p.due END,
  CASE WHEN p.paused THEN p.accepted + interval '1 day' END,
  CASE WHEN p.paused THEN 'supplement_requested' ELSE '' END,
  0, CASE WHEN p.supp AND NOT p.refused THEN 1 ELSE 0 END,
  CASE WHEN NOT p.refused AND p.kind_ = 'result' THEN p.done END,
  '', '',
  CASE WHEN NOT p.refused AND p.kind_ = 'result' AND p.done + interval '1 day' <= now()
       THEN p.done + interval '1 day' END,
  CASE WHEN NOT p.refused AND p.kind_ = 'result' AND p.done + interval '1 day' <= now()
       THEN 'desk' ELSE '' END,
  '',
  CASE WHEN p.refused THEN p.submitted + interval '2 hours'
       WHEN p.kind_ IN ('withdrawn', 'stopped') THEN p.done
       WHEN p.kind_ = 'result' AND p.done + interval '1 day' <= now()
         THEN p.done + interval '1 day' END,
  CASE WHEN p.channel = 'online' THEN (CASE WHEN p.r12 < 0.9 THEN 'full' ELSE 'partial' END)
       WHEN p.r12 < 0.5 THEN 'full' WHEN p.r12 < 0.7 THEN 'partial' ELSE 'none' END,
  p.r13 < 0.4, p.submitted, now()
FROM (
  SELECT t.*,
    CASE WHEN t.outcome_ = 'open' OR t.done > now() THEN 'open'
         WHEN t.outcome_ IN ('withdrawn', 'stopped') THEN t.outcome_ ELSE 'result' END AS kind_,
    (t.outcome_ = 'open' OR t.done > now()) AND t.supp AND t.r11 < 0.5 AS paused
  FROM (
    SELECT q.*,
      -- the moment handling ends (it may lie in the future: the dossier is then open)
      greatest(
        CASE WHEN q.outcome_ IN ('withdrawn', 'stopped', 'early')
               THEN q.accepted + floor(q.r11 * q.tl) * interval '1 day'
             WHEN q.outcome_ = 'late' THEN q.due + (1 + floor(q.r11 * 10)) * interval '1 day'
             ELSE q.due END,
        CASE WHEN q.supp THEN q.accepted + interval '4 days' ELSE q.accepted END) AS done
    FROM (
      SELECT s.*,
        s.accepted + s.tl * interval '1 day' AS due,
        CASE WHEN s.r2 < 0.05 THEN 'open' WHEN s.r10 < 0.01 THEN 'withdrawn'
             WHEN s.r10 < 0.013 THEN 'stopped' WHEN s.r10 < 0.033 THEN 'late'
             WHEN s.r10 < 0.253 THEN 'on_time' ELSE 'early' END AS outcome_
      FROM (
        SELECT r.*,
          CASE WHEN r.channel = 'online' THEN r.submitted + interval '1 day'
               ELSE r.submitted END AS accepted
        FROM (
          SELECT b.*,
            CASE WHEN b.communal THEN (%(c_pv)s::bigint[])[b.pi] ELSE (%(o_pv)s::bigint[])[b.pi]
              END AS pv_id,
            CASE WHEN b.communal THEN (%(c_tl)s::int[])[b.pi] ELSE (%(o_tl)s::int[])[b.pi]
              END AS tl,
            CASE WHEN b.communal THEN (%(communes)s::bigint[])[b.ui]
                 ELSE (%(o_unit)s::bigint[])[b.pi] END AS unit_id,
            CASE WHEN b.communal THEN (%(centres)s::bigint[])[b.ui]
                 ELSE %(province_centre)s END AS centre_id,
            CASE WHEN b.communal THEN (%(centre_codes)s::text[])[b.ui]
                 ELSE %(province_centre_code)s END AS centre_code,
            CASE WHEN b.r6 < 0.60 THEN 'online' WHEN b.r6 < 0.97 THEN 'direct'
                 ELSE 'postal' END AS channel,
            (b.day::timestamp AT TIME ZONE 'UTC') + interval '1 hour'
              + b.r7 * interval '9 hours' AS submitted,
            b.r6 < 0.60 AND b.r8 < 0.015 AS refused,
            b.r9 < 0.05 AS supp
          FROM (
            SELECT raw.*, raw.r3 < 0.85 AS communal,
              1 + floor(raw.r4 * CASE WHEN raw.r3 < 0.85 THEN %(n_communal)s
                                      ELSE %(n_other)s END)::int AS pi,
              1 + floor(raw.r5 * %(n_communes)s)::int AS ui,
              CASE WHEN r2 < 0.05 THEN %(last_day)s::date - floor(r1 * 60)::int
                   ELSE %(last_day)s::date - floor(r1 * %(days)s)::int END AS day
            FROM (
              SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5,
                random() r6, random() r7, random() r8, random() r9, random() r10,
                random() r11, random() r12, random() r13
              FROM generate_series(%(first)s::bigint, %(last)s::bigint) g OFFSET 0
            ) raw
          OFFSET 0) b
        OFFSET 0) r
      OFFSET 0) s
    OFFSET 0) q
  OFFSET 0) t
) p
"""

EVENTS_SQL = """
INSERT INTO dossiers_dossierevent (at, kind, from_status, to_status, reason, form, data,
                                   dossier_id)
SELECT d.accepted_at + interval '1 day', 'supplement_requested', 'processing',
       'supplement_requested', 'Bổ sung giấy tờ', '02', '{}'::jsonb, d.id
FROM dossiers_dossier d
WHERE d.id BETWEEN %(first_id)s AND %(last_id)s AND d.supplement_requests > 0
UNION ALL
SELECT d.accepted_at + interval '3 days', 'supplement_received', 'supplement_requested',
       'processing', '', '', '{}'::jsonb, d.id
FROM dossiers_dossier d
WHERE d.id BETWEEN %(first_id)s AND %(last_id)s AND d.supplement_requests > 0
  AND d.status <> 'supplement_requested'
"""

# motcua/reports/projection.py for dossiers with at most one pause (a supplement request
# and, once answered, its reception), in SQL. ld() is the Hà Nội day of a moment.
FACTS_SQL = """
INSERT INTO reports_dossierfact (dossier_id, unit_id, procedure_id, field_id, level, channel,
  received_at, received_on, closed_at, closed_on, outcome, due_at, paused_at,
  supplement_days, digitised, result_electronic, {extra_columns}stock_changes)
SELECT x.id, x.unit_id, x.procedure_id, x.field_id, x.level, x.channel,
  x.ra, (x.ra AT TIME ZONE '{tz}')::date, x.ca, (x.ca AT TIME ZONE '{tz}')::date,
  CASE WHEN x.ca IS NULL THEN ''
       WHEN x.status = 'withdrawn' THEN 'withdrawn'
       WHEN x.due IS NULL THEN 'on_time'
       WHEN (x.ca AT TIME ZONE '{tz}')::date < (x.due AT TIME ZONE '{tz}')::date THEN 'early'
       WHEN (x.ca AT TIME ZONE '{tz}')::date = (x.due AT TIME ZONE '{tz}')::date THEN 'on_time'
       ELSE 'late' END,
  x.due, CASE WHEN x.ca IS NULL AND x.pe IS NULL THEN x.ps END,
  CASE WHEN x.rq_at IS NULL THEN '[]'::jsonb
       ELSE jsonb_build_array(to_char((x.rq_at AT TIME ZONE '{tz}')::date, 'YYYY-MM-DD')) END,
  x.digitisation = 'full', x.result_electronic AND x.result_ready_at IS NOT NULL,
  -- never paused: no stock changes kept (projection.changes_of: they follow from the days)
  {extra_values}CASE WHEN x.ps IS NULL THEN '[]'::jsonb
  ELSE coalesce((
    SELECT jsonb_agg(jsonb_build_array(to_char(c.day, 'YYYY-MM-DD'), c.o, c.p, c.v)
                     ORDER BY c.day)
    FROM (
      SELECT day, sum(o)::int AS o, sum(p)::int AS p, sum(v)::int AS v
      FROM (VALUES
        -- open from the day after acceptance to the day after closing
        (x.d_ra + 1, 1, 0, 0, x.d_ca IS NULL OR x.d_ca > x.d_ra),
        (x.d_ca + 1, -1, 0, 0, x.d_ca > x.d_ra),
        -- paused (a supplement request while the clock ran) until its answer or the end
        (x.d_ps + 1, 0, 1, 0, x.d_pend IS NULL OR x.d_pend > x.d_ps),
        (x.d_pend + 1, 0, -1, 0, x.d_pend > x.d_ps),
        -- overdue: each running stretch, from the day after the later of its start and
        -- the due day, to the day after its end
        (greatest(x.d_ra, x.d_due) + 1, 0, 0, 1,
         x.d_run1_end IS NULL OR x.d_run1_end > greatest(x.d_ra, x.d_due)),
        (x.d_run1_end + 1, 0, 0, -1, x.d_run1_end > greatest(x.d_ra, x.d_due)),
        (greatest(x.d_pe, x.d_due) + 1, 0, 0, 1,
         x.pe IS NOT NULL AND (x.d_ca IS NULL OR x.d_ca > greatest(x.d_pe, x.d_due))),
        (x.d_ca + 1, 0, 0, -1, x.pe IS NOT NULL AND x.d_ca > greatest(x.d_pe, x.d_due))
      ) AS v(day, o, p, v, ok)
      WHERE ok AND day IS NOT NULL
      GROUP BY day
      HAVING sum(o) <> 0 OR sum(p) <> 0 OR sum(v) <> 0
    ) c), '[]'::jsonb) END
FROM (
  SELECT y.*,
    (y.ra AT TIME ZONE '{tz}')::date AS d_ra, (y.ca AT TIME ZONE '{tz}')::date AS d_ca,
    (y.due AT TIME ZONE '{tz}')::date AS d_due, (y.ps AT TIME ZONE '{tz}')::date AS d_ps,
    (y.pe AT TIME ZONE '{tz}')::date AS d_pe,
    (coalesce(y.pe, y.ca) AT TIME ZONE '{tz}')::date AS d_pend,
    (coalesce(y.ps, y.ca) AT TIME ZONE '{tz}')::date AS d_run1_end
  FROM (
    SELECT z.*,
      CASE WHEN z.ps IS NOT NULL AND z.rc_at IS NOT NULL AND z.rc_at >= z.ps
                AND (z.ca IS NULL OR z.rc_at <= z.ca) THEN z.rc_at END AS pe
    FROM (
      SELECT w.*,
        CASE WHEN w.rq_at IS NOT NULL AND w.rq_from IN ('accepted', 'processing')
                  AND (w.ca IS NULL OR w.rq_at <= w.ca) THEN w.rq_at END AS ps
      FROM (
        SELECT d.id, d.competent_unit_id AS unit_id, pv.procedure_id, pv.field_id,
          pv.authority_level AS level, d.channel, d.status, d.accepted_at AS ra,
          CASE WHEN d.result_ready_at IS NOT NULL THEN d.result_ready_at
               WHEN d.status IN ('withdrawn', 'stopped') THEN d.closed_at END AS ca,
          d.original_due_at AS due, d.digitisation, d.result_electronic, d.result_ready_at,
          pv.result_document_type_id AS result_doc,
          rq.at AS rq_at, rq.from_status AS rq_from, rc.at AS rc_at
        FROM dossiers_dossier d
        JOIN catalog_procedureversion pv ON pv.id = d.procedure_version_id
        LEFT JOIN dossiers_dossierevent rq
          ON rq.dossier_id = d.id AND rq.kind = 'supplement_requested'
        LEFT JOIN dossiers_dossierevent rc
          ON rc.dossier_id = d.id AND rc.kind = 'supplement_received'
        WHERE d.id BETWEEN %(first_id)s AND %(last_id)s AND d.accepted_at IS NOT NULL
      OFFSET 0) w
    OFFSET 0) z
  OFFSET 0) y
OFFSET 0) x
""".replace("{tz}", TZ)


def daily_sql(names: list[str], part: int = 0, parts_in_all: int = 1) -> list[Statement]:
    """The day rows of the (unit, procedure) pairs whose hash is `part` modulo
    `parts_in_all` (each part's rows are its own: the pairs split the table, about evenly —
    the units' ids alone do not: the communes, with nine tenths of the dossiers, have even
    ids), summed as the project's recount sums them."""
    from motcua.reports.recount_sql import SORTED_SUMS, day_rows_sql, key_layout

    facts = (
        "reports_dossierfact"
        if parts_in_all == 1
        else "(SELECT * FROM reports_dossierfact "  # noqa: S608 -- two integers
        f"WHERE mod(abs(hashint8(unit_id * 1000003 + procedure_id)), {parts_in_all}) = {part}"
        ") reports_dossierfact"
    )
    insert = (
        f"INSERT INTO reports_dailyflow (unit_id, procedure_id, field_id, level, day, "
        f"{', '.join(names)})\n"
        f"SELECT * FROM ({day_rows_sql(facts, key_layout(), names)}) days\n"
        # in the order days come, as the fold writes them (each day's rows that day): the
        # reports read a few days of every unit, which then lie on few pages
        f"ORDER BY day, unit_id"
    )
    return [(SORTED_SUMS[0], None), (insert, None), (SORTED_SUMS[1], None)]


def totals_sql(names: list[str]) -> str:
    """RunningTotal: the project's recount SQL over the day table."""
    from motcua.reports.recount_sql import totals_sql as running_totals_sql

    return (
        f"INSERT INTO reports_runningtotal (unit_id, procedure_id, field_id, level, start, "
        f"{', '.join(names)})\n{running_totals_sql('reports_dailyflow', names)}"
    )


# --- phases ------------------------------------------------------------------------------


class Phases:
    """Wall-clock time per phase, printed as they end."""

    def __init__(self, progress: bool) -> None:
        self.times: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.times[name] = time.perf_counter() - start
        if name:
            tqdm.write(f"  {name}: {self.times[name]:.1f} s")

    def line(self) -> str:
        return ", ".join(f"{k} {v:.1f} s" for k, v in self.times.items())


# Decision 766 columns of the facts (added to the rollups while this was written): filled
# when the tables have them. Generated dossiers have at most one supplement request and no
# reused component.
FACT_766 = {
    "multi_supplement": "false",
    "online_counted": (
        "x.channel = 'online' AND ((x.result_electronic AND x.result_ready_at IS NOT NULL) "
        "OR x.result_doc IS NULL)"
    ),
    "reused": "false",
    # from reception to the end of handling less the one pause (until its answer or the
    # end), in whole seconds, to the nearest hour
    "handling_hours": (
        "CASE WHEN x.ca IS NULL THEN 0 ELSE (div(greatest(0, floor(extract(epoch FROM x.ca)) "
        "- floor(extract(epoch FROM x.ra)) - CASE WHEN x.ps IS NULL THEN 0 ELSE "
        "floor(extract(epoch FROM coalesce(x.pe, x.ca))) - floor(extract(epoch FROM x.ps)) "
        "END) + 1800, 3600))::int END"
    ),
}


def facts_sql(columns: list[str]) -> str:
    extra = [c for c in FACT_766 if c in columns]
    return FACTS_SQL.replace("{extra_columns}", "".join(f"{c}, " for c in extra)).replace(
        "{extra_values}", "".join(f"{FACT_766[c]}, " for c in extra)
    )


def _columns(table: str) -> list[str]:
    return [
        r[0]
        for r in fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %(t)s "
            "ORDER BY ordinal_position",
            {"t": table},
        )
    ]


def _lookups() -> dict[str, Any]:
    """The demo catalogue and units as arrays the generating SQL picks from: commune
    procedures (each at one of the communes, received at its service centre) and, for the
    others, every (procedure, competent unit of its kind) pair (received at the provincial
    centre)."""
    versions = fetch(
        "SELECT id, authority_level = 'commune', competent_unit_kind, "
        "greatest(1, ceil(coalesce(time_limit_value, 3)))::int FROM catalog_procedureversion "
        "WHERE id IN (SELECT max(id) FROM catalog_procedureversion WHERE status = 'published' "
        "GROUP BY procedure_id) ORDER BY id"
    )
    communes = fetch(
        "SELECT u.id, c.id, c.code FROM accounts_unit u JOIN accounts_unit c "
        "ON c.parent_id = u.id AND c.kind = 'service_centre' "
        "WHERE u.kind = 'commune' AND u.valid_to IS NULL ORDER BY u.id"
    )
    by_kind: dict[str, list[int]] = {}
    for unit_id, kind in fetch(
        "SELECT id, kind FROM accounts_unit WHERE valid_to IS NULL ORDER BY id"
    ):
        by_kind.setdefault(kind, []).append(unit_id)
    others = [
        (pv, tl, unit)
        for pv, communal, kind, tl in versions
        if not communal
        for unit in by_kind.get(kind, [])
    ]
    centre_id, centre_code = fetch(
        "SELECT c.id, c.code FROM accounts_unit c JOIN accounts_unit p ON p.id = c.parent_id "
        "WHERE c.kind = 'service_centre' AND p.kind = 'province' ORDER BY c.id LIMIT 1"
    )[0]
    return {
        "c_pv": [pv for pv, communal, _, _ in versions if communal],
        "c_tl": [tl for _, communal, _, tl in versions if communal],
        "n_communal": sum(1 for v in versions if v[1]),
        "o_pv": [o[0] for o in others],
        "o_tl": [o[1] for o in others],
        "o_unit": [o[2] for o in others],
        "n_other": len(others),
        "communes": [c[0] for c in communes],
        "centres": [c[1] for c in communes],
        "centre_codes": [c[2] for c in communes],
        "n_communes": len(communes),
        "province_centre": centre_id,
        "province_centre_code": centre_code,
    }


def _secondary_indexes() -> list[tuple[str, str, str]]:
    """(table, drop statement, create statement) for the big tables' secondary indexes and
    unique constraints (not the primary keys)."""
    out: list[tuple[str, str, str]] = []
    names = list(BIG_TABLES)
    for table, name, definition in fetch(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'u' AND t.relname = ANY(%(t)s)",
        {"t": names},
    ):
        out.append(
            (
                table,
                f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
            )
        )
    constraint_names = {n for _, n, _ in fetch("SELECT '', conname, '' FROM pg_constraint")}
    for table, name, definition in fetch(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%(t)s)",
        {"t": names},
    ):
        if name in constraint_names:
            continue  # primary keys and unique constraints
        out.append((table, f'DROP INDEX "{name}"', definition))
    return out


class Runner:
    """Runs the generator's statements: in order on Django's connection (one worker: the
    tests, whose data is in the test's transaction) or spread over `workers` connections of
    their own, each statement its own transaction (the set-based SQL runs on one core per
    connection, so chunks in parallel use every core)."""

    SETTINGS = (
        "SET {scope} synchronous_commit = off",
        # foreign keys are not checked: every key comes from the seeded tables
        "SET {scope} session_replication_role = replica",
        # the day table's aggregate holds ~2 M groups: in memory, not spilled to disk
        "SET {scope} work_mem = '1GB'",
        "SET {scope} maintenance_work_mem = '1GB'",
        "SET {scope} DateStyle = 'ISO, YMD'",  # a date as text: YYYY-MM-DD
    )

    def __init__(self, workers: int, url: str | None) -> None:
        self.workers = workers
        self.url = url
        self.connections: queue.Queue[Any] = queue.Queue()
        self.stack = ExitStack()

    def __enter__(self) -> Runner:
        if self.workers == 1:
            from django.db import transaction

            self.stack.enter_context(transaction.atomic())
            for setting in self.SETTINGS:
                execute(setting.format(scope="LOCAL"))
            return self
        import psycopg

        assert self.url is not None  # noqa: S101 -- given with workers > 1
        for _ in range(self.workers):
            conn = self.stack.enter_context(psycopg.connect(self.url, autocommit=True))
            for setting in self.SETTINGS:
                conn.execute(setting.format(scope="SESSION"))
            self.connections.put(conn)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.__exit__(*exc)  # type: ignore[arg-type]

    def tidy(self, tables: Sequence[str], *, vacuum: bool = True) -> None:
        """Fresh statistics for the planner and, outside a transaction (several workers),
        a vacuum: the visibility map lets the reports read the rollups' covering indexes
        alone (index-only scans), as they do once autovacuum has passed in production. The
        big tables are only analysed (a vacuum would read them all again)."""
        if self.workers == 1 or not vacuum:
            self.run([(f"ANALYZE {t}", None) for t in tables])
            return
        conn = self.connections.get()
        try:
            for table in tables:
                conn.execute(f"VACUUM (ANALYZE) {table}")
        finally:
            self.connections.put(conn)

    def _one(self, job: Job) -> int:
        conn = self.connections.get()
        try:
            with conn.transaction():
                return sum(  # a SET's row count is -1
                    max(0, int(conn.execute(sql, params).rowcount)) for sql, params in steps(job)
                )
        finally:
            self.connections.put(conn)

    def run(
        self,
        jobs: Sequence[Job],
        bar: tqdm[Any] | None = None,
        sizes: list[int] | None = None,
    ) -> list[int]:
        """Run every job (in parallel with several workers; a job is a statement or a list
        run in order on one connection); the rows each job's statements touched, in the
        order of the jobs. `sizes`: what each job adds to the progress bar (1 by default)."""
        sizes = sizes or [1] * len(jobs)
        if self.workers == 1:
            done = []
            for job, size in zip(jobs, sizes, strict=True):
                done.append(sum(execute(sql, params) for sql, params in steps(job)))
                if bar is not None:
                    bar.update(size)
            return done
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = {pool.submit(self._one, job): i for i, job in enumerate(jobs)}
            rows = [0] * len(jobs)
            for future in as_completed(futures):
                rows[futures[future]] = future.result()
                if bar is not None:
                    bar.update(sizes[futures[future]])
        return rows


Statement = tuple[str, dict[str, Any] | None]
Job = Statement | list[Statement]


def steps(job: Job) -> list[Statement]:
    return job if isinstance(job, list) else [job]


def id_ranges(first: int, last: int, size: int) -> list[tuple[int, int]]:
    return [(a, min(last, a + size - 1)) for a in range(first, last + 1, size)]


def generate(
    dossiers: int,
    *,
    days: int = 730,
    seed: float = 0.42,
    progress: bool = True,
    drop_indexes: bool = True,
    workers: int = 1,
    url: str | None = None,
) -> tuple[Phases, dict[str, int]]:
    """Add `dossiers` generated dossiers to the seeded province and rebuild the rollups,
    on `workers` connections (`url`; one: Django's connection, in one transaction)."""
    from django.utils import timezone

    from motcua.reports.folding import fold_pending, totals_target
    from motcua.reports.models import FLOW_COUNTERS, FoldLock

    phases = Phases(progress)
    with phases.phase("fold seed"):
        fold_pending()
    today = timezone.localdate()
    chunk = 250_000
    lookups = _lookups()
    fact_columns = _columns("reports_dossierfact")
    counters = [c for c in FLOW_COUNTERS if c in _columns("reports_dailyflow")]
    first_id = fetch("SELECT coalesce(max(id), 0) + 1 FROM dossiers_dossier")[0][0]
    base = fetch("SELECT count(*) FROM dossiers_dossier")[0][0]
    indexes = _secondary_indexes() if drop_indexes else []

    def rebuild(table: str) -> list[Job]:
        return [(create, None) for t, _, create in indexes if t == table]

    rng = random.Random(seed)
    with Runner(workers, url) as runner:
        with phases.phase("drop indexes"):
            for _, drop, _ in indexes:  # one at a time (each locks its table)
                runner.run([(drop, None)])
        with phases.phase("dossiers"):
            jobs: list[Job] = []
            sizes = []
            for first, last in id_ranges(1, dossiers, chunk):
                params = {
                    "first": base + first,
                    "last": base + last,
                    "last_day": today - dt.timedelta(days=2),
                    "days": days,
                    **lookups,
                }
                # each chunk its own random sequence, so that chunks may run in any order
                seed_chunk = ("SELECT setseed(%(s)s)", {"s": rng.uniform(-1, 1)})
                jobs.append([seed_chunk, (DOSSIERS_SQL, params)])
                sizes.append(last - first + 1)
            with tqdm(total=dossiers, desc="Hồ sơ", unit=" hs", disable=not progress) as bar:
                runner.run(jobs, bar, sizes)
        last_id = fetch("SELECT coalesce(max(id), 0) FROM dossiers_dossier")[0][0]
        ranges = id_ranges(first_id, max(first_id, last_id), chunk)
        with phases.phase("events"):
            events = sum(
                runner.run([(EVENTS_SQL, {"first_id": a, "last_id": b}) for a, b in ranges])
            )
        dossier_indexes, events_indexes, fact_indexes, day_indexes = map(rebuild, BIG_TABLES)
        with (
            phases.phase("indexes"),
            tqdm(total=len(indexes), desc="Chỉ mục", disable=not progress) as bar,
        ):
            runner.run(events_indexes + dossier_indexes, bar)
            runner.tidy(BIG_TABLES[:2], vacuum=False)
        with (
            phases.phase("facts"),
            tqdm(total=len(ranges), desc="Số liệu", disable=not progress) as bar,
        ):
            sql = facts_sql(fact_columns)
            facts = sum(runner.run([(sql, {"first_id": a, "last_id": b}) for a, b in ranges], bar))
        with phases.phase("fact indexes"):
            runner.run(fact_indexes)  # after the facts: built once, not kept up row by row
            runner.tidy(["reports_dossierfact"], vacuum=False)
        with phases.phase("daily"):
            runner.run([("DELETE FROM reports_runningtotal", None)])
            runner.run([("DELETE FROM reports_dailyflow", None)])
            parts = max(1, workers)
            days_rows = sum(runner.run([daily_sql(counters, i, parts) for i in range(parts)]))
            runner.run(day_indexes)  # after the rows, as the facts' own
            runner.tidy(["reports_dailyflow"])
        through = totals_target()
        with phases.phase("totals"):
            totals_rows = sum(runner.run([(totals_sql(counters), {"through": through})]))
            runner.tidy(["reports_runningtotal"])
        FoldLock.objects.update_or_create(pk=1, defaults={"totals_through": through})
    counts = {
        "dossiers": dossiers,
        "events": events,
        "facts": facts,
        "daily_rows": days_rows,
        "total_rows": totals_rows,
    }
    return phases, counts


def check_units(unit_ids: list[int]) -> dict[str, int]:
    """The project's own projection of every dossier of these units, against the stored
    facts, day rows and running totals of those units: the differences (all zero if right)."""
    from motcua.dossiers.models import Dossier
    from motcua.reports.folding import from_row, project_many, running_totals
    from motcua.reports.models import FLOW_COUNTERS, DailyFlow, DossierFact, FoldLock, RunningTotal
    from motcua.reports.projection import Key, add_into, contribution

    ids = list(
        Dossier.objects.filter(competent_unit_id__in=unit_ids, accepted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    facts_differing = 0
    want: dict[Key, Counter[str]] = {}
    for start in range(0, len(ids), 5000):
        part = ids[start : start + 5000]
        projected = project_many(part)
        stored = {r.dossier_id: from_row(r) for r in DossierFact.objects.filter(pk__in=part)}
        for i in part:
            if projected.get(i) != stored.get(i):
                facts_differing += 1
            fact = projected.get(i)
            if fact is not None:
                add_into(want, contribution(fact))
    want = {k: c for k, c in want.items() if any(c.values())}

    def differing(rows: dict[Key, dict[str, int]], expected: dict[Key, Counter[str]]) -> int:
        bad = 0
        for key in rows.keys() | expected.keys():
            have = rows.get(key, {})
            target = expected.get(key, Counter())
            if any(have.get(n, 0) != target[n] for n in FLOW_COUNTERS):
                bad += 1
        return bad

    day_rows = {
        (r.unit_id, r.procedure_id, r.field_id, r.level, r.day): {
            n: getattr(r, n) for n in FLOW_COUNTERS
        }
        for r in DailyFlow.objects.filter(unit_id__in=unit_ids)
    }
    through = FoldLock.objects.values_list("totals_through", flat=True).get(pk=1)
    assert through is not None  # noqa: S101 -- set by generate()
    total_rows = {
        (r.unit_id, r.procedure_id, r.field_id, r.level, r.start): {
            n: getattr(r, n) for n in FLOW_COUNTERS
        }
        for r in RunningTotal.objects.filter(unit_id__in=unit_ids)
    }
    return {
        "dossiers": len(ids),
        "facts_differing": facts_differing,
        "rows_differing": differing(day_rows, want),
        "totals_differing": differing(total_rows, running_totals(want, through)),
    }


def sample_units(count: int = 2) -> list[int]:
    """A random commune and a random department (those with generated dossiers)."""
    from motcua.accounts.models import Unit, UnitKind

    rng = random.Random(7)
    out: list[int] = []
    for kind in (UnitKind.COMMUNE, UnitKind.DEPARTMENT):
        ids = list(Unit.objects.filter(kind=kind).values_list("pk", flat=True))
        if ids:
            out.append(rng.choice(ids))
    return out[:count]


def run_check(mode: str, progress: bool) -> tuple[str, int, float]:
    """(description, difference, seconds) of the chosen check."""
    from motcua.reports.folding import recount

    start = time.perf_counter()
    if mode == "full":
        report = recount(write=False, progress=progress)
        return "recount --dry-run", report.difference, time.perf_counter() - start
    found = check_units(sample_units())
    difference = found["facts_differing"] + found["rows_differing"] + found["totals_differing"]
    return (
        f"sample of 2 units ({found['dossiers']} dossiers)",
        difference,
        time.perf_counter() - start,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--check", choices=("auto", "full", "sample", "none"), default="auto")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="connections filling the tables in parallel (default: one per core)",
    )
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    url = require_bench_url(args.database_url)
    progress = not args.no_progress
    created = create_database_if_missing(url)
    setup_django(url)
    started = time.perf_counter()
    prep = time.perf_counter()
    prepare(progress)
    prep = time.perf_counter() - prep
    from motcua.dossiers.models import Dossier

    if Dossier.objects.count() > 100:
        raise SystemExit(
            f"{database_name(url)} already holds generated dossiers: drop it and run again."
        )
    phases, counts = generate(
        args.dossiers, days=args.days, progress=progress, workers=args.workers, url=url
    )
    generated = sum(phases.times.values())
    mode = (
        args.check if args.check != "auto" else ("full" if args.dossiers <= 300_000 else "sample")
    )
    check = ""
    if mode != "none":
        what, difference, seconds = run_check(mode, progress)
        check = f"; check ({what}): difference {difference} in {seconds:.1f} s"
    size = fetch("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
    print(
        f"generate_province: {counts['dossiers']:,} dossiers in {generated:.1f} s "
        f"({phases.line()}); {counts['events']:,} events, {counts['facts']:,} facts, "
        f"{counts['daily_rows']:,} day rows, {counts['total_rows']:,} running-total rows; "
        f"database {database_name(url)}{' (created)' if created else ''} {size}, "
        f"prepared in {prep:.1f} s{check}; total {time.perf_counter() - started:.1f} s"
    )
    return 0


ExitCode = Callable[[], int]

if __name__ == "__main__":
    sys.exit(main())
