"""The recount in set-based SQL, for PostgreSQL (docs/reports.md, "Recount").

The same rules as projection.py, `contribution` and `running_totals`, written as a handful
of statements over whole tables instead of a Python loop over the dossiers (which takes
about 0.5 ms a dossier: 80 minutes for a province's 10 million). Under the fold lock, in
one transaction, with working tables `reports_rc_*` (unlogged, created and dropped inside
the transaction, so that no other session ever sees them; not temporary, so that
PostgreSQL's parallel workers can read them):

1. `reports_rc_pause` — each dossier's effective pause events: the pause starts and ends
   the projection reads, up to the end of handling, a start counting only while the clock
   runs and no pause is open, an end only while one is, i.e. the first event of every run
   of starts or ends, a leading run of ends dropped. Each end's appointment is the one
   given at acceptance moved by the working seconds of every end so far (the same as
   moving it end by end: adding working time is additive), computed from the competent
   unit's working calendar copied into `reports_rc_cal` (motcua.core.workdays: the same
   periods and cumulative seconds its shift reads). `reports_rc_seg` — the stock changes
   of those pauses and of the running stretches after them; `reports_rc_json` — the stock
   changes of every dossier ever paused.
2. `reports_rc_extra` — what the facts take from the tables above, in one table;
   `reports_rc_fcomp`, `reports_rc_fstored` — a fingerprint and a count per block of
   dossier ids (`FactPrint`) of the facts computed from the dossiers and of the stored
   ones; `reports_rc_fflag` — the blocks where they differ; `reports_rc_diff` — the facts
   of those blocks' dossiers computed again and compared with the stored ones (a left
   join; stored facts of dossiers not received are looked for only when the counts say
   there are some): only the differing ones are kept.
3. `reports_rc_fp` — the day table checked against the facts (the stored ones, with the
   differing ones replaced) by a fingerprint per (unit, procedure, field, level)
   (`Fingerprint`; the facts' JSON's share from `reports_rc_jterm`); `reports_rc_flag` —
   the combinations whose fingerprints differ; `reports_rc_day` — their day rows as the
   sum of their facts' contributions, compared with the day table into
   `reports_rc_daydiff`.
4. `reports_rc_total` — the running totals from the day table, with the flagged
   combinations' rows taken from `reports_rc_day`, compared into `reports_rc_totaldiff`.
5. When writing, only the differing rows are deleted and inserted again.

`test_recount_random.py` runs random sequences of actions on both engines: on PostgreSQL
this recount must find what the Python fold built (and the Python recount must agree).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Max

from motcua.accounts.models import Unit
from motcua.core.calendars import get_working_calendar
from motcua.dossiers.models import Arrival, EventKind, Exemption
from motcua.dossiers.status import CLOCK_RUNNING, DossierStatus
from motcua.reports.models import FLOW_COUNTERS, DossierFact
from motcua.reports.projection import PAUSE_ENDS, PAUSE_STARTS

if TYPE_CHECKING:
    from tqdm import tqdm

    from motcua.reports.folding import RecountReport

FACT_COLUMNS = (
    "dossier_id",
    "unit_id",
    "procedure_id",
    "field_id",
    "level",
    "channel",
    "received_at",
    "received_on",
    "closed_at",
    "closed_on",
    "outcome",
    "due_at",
    "paused_at",
    "supplement_days",
    "digitised",
    "result_electronic",
    "multi_supplement",
    "online_counted",
    "reused",
    "handling_hours",
    "stock_changes",
)
KEY = ("unit_id", "procedure_id", "field_id", "level")
# The end of handling (projection.project): the result ready, or the withdrawal or stop.
CLOSED = (
    "CASE WHEN d.result_ready_at IS NOT NULL THEN d.result_ready_at "
    "WHEN d.status IN (%(withdrawn)s, %(stopped)s) THEN d.closed_at END"
)


# Whole seconds since 1970 of a moment, floored as projection.epoch_seconds. `date_part`
# works in double precision (cheaper than `extract`, in numeric) and is exact enough: near
# 2^31 s a double's step is under 5e-7 s, so a moment's microseconds never round up into
# the next second.
SECONDS = "floor(date_part('epoch', {}))::bigint"


@functools.cache
def fixed_offset(zone: str) -> tuple[dt.datetime, int] | None:
    """(since, seconds east of UTC) when the zone `zone` keeps one offset from `since` on
    (checked week by week from 1900 to 2200, then day by day after the last week it
    differed: no zone changes its offset for less than a week); None when it still
    changes after 2100 (summer time)."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset(moment: dt.datetime) -> dt.timedelta | None:
        return moment.astimezone(tz).utcoffset()

    start, week = dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.timedelta(days=7)
    final = offset(dt.datetime(2200, 1, 1, tzinfo=dt.UTC))
    weeks = (start + i * week for i in range(300 * 53))
    changed = [moment for moment in weeks if offset(moment) != final]
    if final is None or (changed and changed[-1].year >= 2100):
        return None
    since = start
    for day in (changed[-1] + dt.timedelta(days=i) for i in range(8)) if changed else ():
        if offset(day) != final:  # the last day at whose start it differed, plus one
            since = day + dt.timedelta(days=1)
    return since, int(final.total_seconds())


def local_day(moment: str) -> str:
    """SQL: the day in the reports' time zone of the moment `moment` (an expression). Where
    the zone keeps one offset (Asia/Ho_Chi_Minh since 1975), by that offset: converting by
    the zone's name costs about six times as much, and the recount does it tens of
    millions of times."""
    zone = settings.TIME_ZONE
    fixed = fixed_offset(zone)
    if fixed is None:
        return f"(({moment}) AT TIME ZONE '{zone}')::date"
    since, seconds = fixed
    return (
        f"(CASE WHEN ({moment}) >= TIMESTAMPTZ '{since.isoformat()}' "
        f"THEN ({moment}) AT TIME ZONE INTERVAL '{seconds} seconds' "
        f"ELSE ({moment}) AT TIME ZONE '{zone}' END)::date"
    )


def _tz(sql: str) -> str:
    """`sql` with the reports' time zone, local days, the end of handling and whole
    seconds written in."""
    sql = re.sub(r"\{secs\(([^{}]*?)\)\}", lambda m: SECONDS.format(m.group(1)), sql)
    sql = re.sub(r"\{day\(([^{}]*?)\)\}", lambda m: local_day(m.group(1)), sql)
    return sql.replace("{closed}", CLOSED).replace("{tz}", settings.TIME_ZONE)


PAUSES_SQL = _tz(
    """
CREATE UNLOGGED TABLE reports_rc_pause AS
SELECT e.dossier_id, e.id, e.at, e.is_start, e.added, e.unit_id, e.ra, e.ca, e.due0,
  lead(e.at) OVER w AS next_at,
  (sum(CASE WHEN e.is_start THEN 0 ELSE e.added END) OVER w)::bigint AS cum_added
FROM (
  SELECT e.*, lag(e.is_start) OVER (PARTITION BY e.dossier_id ORDER BY e.at, e.id) AS prev
  FROM (
    SELECT e.dossier_id, e.id, e.at, e.kind = ANY(%(starts)s) AS is_start,
      coalesce((e.data->>'added_seconds')::bigint, 0) AS added,
      d.competent_unit_id AS unit_id, d.accepted_at AS ra, d.original_due_at AS due0,
      {closed} AS ca
    FROM dossiers_dossierevent e JOIN dossiers_dossier d ON d.id = e.dossier_id
    WHERE e.kind = ANY(%(kinds)s) AND d.accepted_at IS NOT NULL
      AND (e.kind = ANY(%(ends)s) OR e.from_status = ANY(%(running)s))
  ) e
  WHERE e.ca IS NULL OR e.at <= e.ca
) e
WHERE e.prev IS DISTINCT FROM e.is_start AND (e.prev IS NOT NULL OR e.is_start)
WINDOW w AS (PARTITION BY e.dossier_id ORDER BY e.at, e.id
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
"""
)

# A working calendar's periods in local seconds (workdays.WorkingCalendar._Tables), and the
# shift of a moment by working seconds (WorkingCalendar.shift_seconds) over them.
CALENDAR_SQL = [
    "CREATE UNLOGGED TABLE reports_rc_cal (cal int, p_start bigint, p_end bigint, "
    "cum_start bigint, cum_end bigint)",
    "CREATE UNLOGGED TABLE reports_rc_unit_cal (unit_id bigint PRIMARY KEY, cal int)",
]
SHIFT_SQL = _tz(
    """
CREATE FUNCTION reports_rc_shift(unit bigint, moment timestamptz, amount bigint)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH c AS (SELECT cal FROM reports_rc_unit_cal WHERE unit_id = unit),
  s AS (SELECT floor(extract(epoch FROM moment AT TIME ZONE '{tz}'))::bigint AS s),
  w AS (
    SELECT coalesce((
      SELECT p.cum_start + least(s.s, p.p_end) - p.p_start
      FROM reports_rc_cal p, c WHERE p.cal = c.cal AND p.p_start <= s.s
      ORDER BY p.p_start DESC LIMIT 1), 0) + amount AS target
    FROM s)
  SELECT ('epoch'::timestamp + (p.p_start + w.target - p.cum_start) * interval '1 second')
         AT TIME ZONE '{tz}'
  FROM reports_rc_cal p, c, w WHERE p.cal = c.cal AND p.cum_end >= w.target
  ORDER BY p.cum_end LIMIT 1
$$
"""
)

SEGMENTS_SQL = _tz(
    """
CREATE UNLOGGED TABLE reports_rc_seg AS
WITH e AS MATERIALIZED (  -- each appointment shifted once
  SELECT e.*, {day(e.at)} AS d_at, {day(coalesce(e.next_at, e.ca))} AS d_end,
    {day(e.due_k)} AS d_due
  FROM (
    SELECT e.*,
      CASE WHEN NOT e.is_start AND e.cum_added <> 0 AND e.due0 IS NOT NULL
           THEN reports_rc_shift(e.unit_id, e.due0, e.cum_added) ELSE e.due0 END AS due_k
    FROM reports_rc_pause e
  ) e
)
-- a pause: paused from the day after its start to the day after its end (one branch a
-- change, as in reports_rc_json)
SELECT dossier_id, d_at + 1 AS day, 1 AS p, 0 AS v FROM e
WHERE is_start AND (d_end IS NULL OR d_end > d_at)
UNION ALL
SELECT dossier_id, d_end + 1, -1, 0 FROM e WHERE is_start AND d_end > d_at
-- the running stretch after a pause: overdue from the day after the later of its start
-- and the due day in force, to the day after its end
UNION ALL
SELECT dossier_id, greatest(d_at, d_due) + 1, 0, 1 FROM e
WHERE NOT is_start AND d_due IS NOT NULL AND (d_end IS NULL OR d_end > greatest(d_at, d_due))
UNION ALL
SELECT dossier_id, d_end + 1, 0, -1 FROM e
WHERE NOT is_start AND d_due IS NOT NULL AND d_end > greatest(d_at, d_due)
---
CREATE UNLOGGED TABLE reports_rc_psum AS
SELECT dossier_id, min(ra) AS ra, min(ca) AS ca, min(due0) AS due0,
  min(at) AS first_start,
  (sum(added) FILTER (WHERE NOT is_start))::bigint AS total_added,
  -- the pauses' length in whole seconds (an open pause ends with handling), for 2.2
  (sum({secs(coalesce(next_at, ca))} - {secs(at)}) FILTER (WHERE is_start))::bigint
    AS pause_secs,
  CASE WHEN mod(count(*), 2) = 1 THEN max(at) END AS open_pause
FROM reports_rc_pause GROUP BY dossier_id
---
CREATE UNLOGGED TABLE reports_rc_json AS
WITH x AS NOT MATERIALIZED (
  SELECT y.*, greatest(y.d_ra, y.d_due0) AS g FROM (
    SELECT ps.dossier_id, {day(ps.ra)} AS d_ra, {day(ps.ca)} AS d_ca,
      {day(ps.due0)} AS d_due0, {day(coalesce(ps.first_start, ps.ca))} AS d_run_end
    FROM reports_rc_psum ps
  ) y
)
SELECT c.dossier_id,
  -- as jsonb's text (see FACTS_SELECT): cheaper than building jsonb and printing it
  '[' || string_agg('["' || c.day || '", ' || c.o || ', ' || c.p || ', ' || c.v || ']', ', '
                    ORDER BY c.day) || ']' AS stock_changes
FROM (
  SELECT u.dossier_id, u.day, sum(u.o)::int AS o, sum(u.p)::int AS p, sum(u.v)::int AS v
  FROM (
    -- open from the day after acceptance to the day after closing (one branch a change:
    -- a LATERAL VALUES list of expressions is set up again for every row, 16 us each)
    SELECT dossier_id, d_ra + 1 AS day, 1 AS o, 0 AS p, 0 AS v FROM x
    WHERE d_ca IS NULL OR d_ca > d_ra
    UNION ALL
    SELECT dossier_id, d_ca + 1, -1, 0, 0 FROM x WHERE d_ca > d_ra
    -- the first running stretch (to the first pause), against the appointment given at
    -- acceptance
    UNION ALL
    SELECT dossier_id, g + 1, 0, 0, 1 FROM x
    WHERE d_due0 IS NOT NULL AND (d_run_end IS NULL OR d_run_end > g)
    UNION ALL
    SELECT dossier_id, d_run_end + 1, 0, 0, -1 FROM x WHERE d_due0 IS NOT NULL AND d_run_end > g
    UNION ALL
    SELECT g.dossier_id, g.day, 0, g.p, g.v FROM reports_rc_seg g
  ) u
  GROUP BY u.dossier_id, u.day
  HAVING sum(u.o) <> 0 OR sum(u.p) <> 0 OR sum(u.v) <> 0
) c
GROUP BY c.dossier_id
---
CREATE UNLOGGED TABLE reports_rc_supp AS
SELECT e.dossier_id,
  jsonb_agg(to_char({day(e.at)}, 'YYYY-MM-DD') ORDER BY e.at, e.id) AS days,
  count(*) AS n
FROM dossiers_dossierevent e WHERE e.kind = %(supplement)s GROUP BY e.dossier_id
---
CREATE UNLOGGED TABLE reports_rc_reused AS
SELECT DISTINCT dossier_id FROM dossiers_dossiercomponent
WHERE arrival = %(reused)s OR exemption = %(exchanged)s
---
CREATE UNLOGGED TABLE reports_rc_extra AS
-- what a fact takes from the tables above, in one table: one join instead of four (the
-- facts' step at 10 M: 49 -> 36 s)
SELECT coalesce(ps.dossier_id, sd.dossier_id, ru.dossier_id) AS dossier_id,
  ps.total_added, ps.open_pause, ps.pause_secs, ps.dossier_id IS NOT NULL AS paused,
  pj.stock_changes, sd.days AS supp_days, sd.n AS supp_n, ru.dossier_id IS NOT NULL AS reused
FROM reports_rc_psum ps LEFT JOIN reports_rc_json pj ON pj.dossier_id = ps.dossier_id
FULL JOIN reports_rc_supp sd ON sd.dossier_id = ps.dossier_id
FULL JOIN reports_rc_reused ru ON ru.dossier_id = coalesce(ps.dossier_id, sd.dossier_id)
---
ANALYZE reports_rc_extra
---
ANALYZE reports_rc_seg
---
ALTER TABLE reports_rc_psum ADD PRIMARY KEY (dossier_id)
---
ANALYZE reports_rc_psum
---
ANALYZE reports_rc_json
---
ANALYZE reports_rc_supp
---
ANALYZE reports_rc_reused
"""
)

# Every received dossier's fact, as projection.project builds it.
FACTS_SELECT = _tz(
    """
SELECT x.id AS dossier_id, x.unit_id, x.procedure_id, x.field_id, x.level, x.channel,
  x.ra AS received_at, x.d_ra AS received_on, x.ca AS closed_at, x.d_ca AS closed_on,
  CASE WHEN x.ca IS NULL THEN ''
       WHEN x.status = %(withdrawn)s THEN 'withdrawn'
       WHEN x.due IS NULL THEN 'on_time'
       WHEN x.d_ca < x.d_due THEN 'early'
       WHEN x.d_ca = x.d_due THEN 'on_time'
       ELSE 'late' END AS outcome,
  x.due AS due_at,
  CASE WHEN x.ca IS NULL THEN x.open_pause END AS paused_at,
  coalesce(x.supp_days, '[]'::jsonb) AS supplement_days,
  x.digitisation = 'full' AS digitised,
  x.result_electronic AND x.result_ready_at IS NOT NULL AS result_electronic,
  coalesce(x.supp_n, 0) >= 2 AS multi_supplement,
  x.channel = 'online' AND ((x.result_electronic AND x.result_ready_at IS NOT NULL)
                            OR x.result_doc IS NULL) AS online_counted,
  x.reused,
  -- 2.2: from reception to the end of handling less the pauses, to the nearest hour
  CASE WHEN x.ca IS NULL THEN 0
       ELSE ((greatest(0, {secs(x.ca)} - {secs(x.ra)} - coalesce(x.pause_secs, 0)) + 1800)
             / 3600)::int
  END AS handling_hours,
  -- as jsonb's text (cheaper to build than jsonb); a dossier never paused keeps none
  -- (projection.changes_of: they follow from its days)
  CASE WHEN x.paused THEN coalesce(x.paused_changes, '[]') ELSE '[]' END AS stock_changes
FROM (
  SELECT y.*,
    {day(y.ra)} AS d_ra, {day(y.ca)} AS d_ca,
    {day(y.due)} AS d_due
  FROM (
    SELECT d.id, d.competent_unit_id AS unit_id, pv.procedure_id, pv.field_id,
      pv.authority_level AS level, d.channel, d.status, d.accepted_at AS ra, {closed} AS ca,
      CASE WHEN ex.total_added <> 0 AND d.original_due_at IS NOT NULL
           THEN reports_rc_shift(d.competent_unit_id, d.original_due_at, ex.total_added)
           ELSE d.original_due_at END AS due,
      ex.open_pause, ex.pause_secs, coalesce(ex.paused, false) AS paused,
      ex.stock_changes AS paused_changes,
      ex.supp_days, ex.supp_n, d.digitisation, d.result_electronic,
      d.result_ready_at, pv.result_document_type_id AS result_doc,
      coalesce(ex.reused, false) AS reused
    FROM {blocks_from}dossiers_dossier d
    JOIN catalog_procedureversion pv ON pv.id = d.procedure_version_id
    LEFT JOIN reports_rc_extra ex ON ex.dossier_id = d.id
    WHERE d.accepted_at IS NOT NULL{blocks_where}
  ) y
) x
"""
)


def facts_select(*, flagged: bool) -> str:
    """FACTS_SELECT over every received dossier, or (`flagged`) over those of the blocks in
    `reports_rc_fflag` only (each block's ids through the dossiers' primary key)."""
    if not flagged:
        return FACTS_SELECT.replace("{blocks_from}", "").replace("{blocks_where}", "")
    return FACTS_SELECT.replace("{blocks_from}", "reports_rc_fflag b, ").replace(
        "{blocks_where}", f" AND d.id >= b.block * {BLOCK} AND d.id < (b.block + 1) * {BLOCK}"
    )


def facts_diff_sql(*, flagged: bool = False) -> str:
    """The received dossiers whose stored fact is missing or differs (a left join, not a
    full one, so that PostgreSQL 15 can share it among parallel workers; the stored facts
    of dossiers not received are found apart: `ORPHANS_SQL`); `flagged`: in the blocks
    whose fingerprints differ only (`FactPrint`)."""
    names = FACT_COLUMNS[1:]
    cols = ", ".join(f"c.{c}" for c in names)
    # the stock changes compared as text (see FACTS_SELECT)
    stored = ", ".join(f"s.{c}::text" if c == "stock_changes" else f"s.{c}" for c in names)
    out = ", ".join(f"c.{c}::jsonb AS {c}" if c == "stock_changes" else f"c.{c}" for c in names)
    return f"""
CREATE UNLOGGED TABLE reports_rc_diff AS
SELECT c.dossier_id, true AS present, s.dossier_id IS NOT NULL AS stored, {out}
FROM ({facts_select(flagged=flagged)}) c
LEFT JOIN reports_dossierfact s ON s.dossier_id = c.dossier_id
WHERE s.dossier_id IS NULL OR ({cols}) IS DISTINCT FROM ({stored})
"""  # noqa: S608 -- the module's own SQL and the table's column names


# Stored facts of dossiers that are not received (none expected; read only when the counts
# say there are some).
ORPHANS_SQL = """
INSERT INTO reports_rc_diff (dossier_id, present, stored)
SELECT s.dossier_id, false, true FROM reports_dossierfact s
WHERE NOT EXISTS (SELECT 1 FROM dossiers_dossier d
                  WHERE d.id = s.dossier_id AND d.accepted_at IS NOT NULL)
"""


# What every fact adds to each day (projection.contribution), in parts: for each, the
# counters it adds (the others 0), by the day it adds them on.
#
# The open stock needs no part of its own: a fact is open from the day after its reception
# to the day after its closing (not at all if closed the day it was received), paused or
# not, and every fact counts once among the received and, once closed, once among the
# closed — so a day's `open_change` is the day before's receptions less its closings.
#
# Each part is summed by one bigint key packing (unit, procedure, field, level, day)
# (`KeyLayout`): PostgreSQL sorts such keys far faster than five columns and finishes the
# workers' sorted partial sums by merging them; hashing 2.3 M groups of five columns, the
# leader alone took longer than the workers. At 10 M: 36 s instead of 58 s for the step.
# The counters a fact adds 1 to on its reception day and on its closing day, by condition
# (the full sums and the fingerprints both read them).
RECEIVED_FLAGS = {
    "received_online": "channel = 'online'",
    "received_direct": "channel = 'direct'",
    "received_postal": "channel = 'postal'",
    "digitised": "digitised",
    "digitised_with_result": "digitised AND result_electronic",
    "online_with_result": "online_counted",
    "reused": "reused",
}
CLOSED_FLAGS = {
    "closed_early": "outcome = 'early'",
    "closed_on_time": "outcome = 'on_time'",
    "closed_late": "outcome = 'late'",
    "withdrawn": "outcome = 'withdrawn'",
    "result_electronic": "result_electronic",
    "closed_multi_supplement": "multi_supplement AND outcome IN ('early', 'on_time', 'withdrawn')",
}
# and what it adds to the handling hours on its closing day
CLOSED_HOURS = "CASE WHEN outcome IN ('early', 'on_time', 'late') THEN handling_hours ELSE 0 END"
RECEIVED_PART = {n: f"count(*) FILTER (WHERE {c})" for n, c in RECEIVED_FLAGS.items()}
CLOSED_PART = {n: f"count(*) FILTER (WHERE {c})" for n, c in CLOSED_FLAGS.items()} | {
    "handling_hours": f"sum({CLOSED_HOURS})"
}

# The overdue stretch of a fact that keeps no stock changes (never paused) follows from its
# days alone, as projection.changes_of gives it: from the day after the later of reception
# and due day if still open then, to the day after closing.
_DUE = _tz("{day(due_at)}")
_LATER = f"greatest(received_on, {_DUE})"
_OVERDUE = f"({_DUE} IS NOT NULL AND (closed_on IS NULL OR closed_on > {_LATER}))"

DAY_ZERO = "1900-01-01"  # days are packed as days since it
# Around the day rows' statement: sums by sorting, not hashing (PostgreSQL expects 200
# groups of a computed key and would hash the 2.3 M there are: 126 s instead of 34 s).
SORTED_SUMS = ("SET LOCAL enable_hashagg = off", "SET LOCAL enable_hashagg = on")


@dataclass(frozen=True)
class KeyLayout:
    """How the day step packs a day row's key into one bigint, from its lowest bits: the
    day (days since DAY_ZERO, 18 bits: to September 2617), the level's number among
    `levels` (from 1), the field's, the procedure's and the unit's ids, each in as many
    bits as the largest id in its table needs (`key_layout`). A fact whose ids do not fit
    (an id created after the layout was read) gets no key: its rows come out with no
    unit, a difference the recount reports, never another unit's row."""

    levels: tuple[str, ...]
    field_bits: int
    procedure_bits: int
    unit_bits: int

    DAY_BITS = 18

    def __post_init__(self) -> None:
        if self.shifts()[-1] + self.unit_bits > 63:
            raise ValueError(
                f"the ids need {self.shifts()[-1] + self.unit_bits} bits, more than a bigint"
            )

    def shifts(self) -> tuple[int, int, int, int]:
        """Where the level, field, procedure and unit start."""
        level = self.DAY_BITS
        field = level + len(self.levels).bit_length()
        procedure = field + self.field_bits
        return level, field, procedure, procedure + self.procedure_bits

    def combo(self) -> str:
        """SQL: a fact's key without its day."""
        level, field, procedure, unit = self.shifts()
        numbers = " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(self.levels, 1))
        fits = " AND ".join(
            f"{column} < {1 << bits}"
            for column, bits in (
                ("unit_id", self.unit_bits),
                ("procedure_id", self.procedure_bits),
                ("field_id", self.field_bits),
            )
        )
        return (
            f"CASE WHEN {fits} THEN (unit_id << {unit}) | (procedure_id << {procedure}) "
            f"| (field_id << {field}) | ((CASE level {numbers} END)::bigint << {level}) END"
        )

    def columns(self) -> str:
        """SQL: the key's columns from `key`."""
        level, field, procedure, unit = self.shifts()
        names = ", ".join(f"'{name}'" for name in self.levels)
        return (
            f"key >> {unit} AS unit_id, "
            f"(key >> {procedure}) & {(1 << self.procedure_bits) - 1} AS procedure_id, "
            f"(key >> {field}) & {(1 << self.field_bits) - 1} AS field_id, "
            f"(ARRAY[{names}])[((key >> {level}) & {(1 << (field - level)) - 1})::int]"
            f"::varchar AS level, "
            f"date '{DAY_ZERO}' + (key & {(1 << self.DAY_BITS) - 1})::int AS day"
        )


def key_layout() -> KeyLayout:
    """The layout for the units, procedures, fields and levels there are now."""
    from motcua.catalog.models import AuthorityLevel, Field, Procedure, ProcedureVersion

    def bits(model: Any) -> int:
        return max(1, (model.objects.aggregate(m=Max("pk"))["m"] or 0).bit_length())

    used = ProcedureVersion.objects.values_list("authority_level", flat=True).distinct()
    levels = tuple(sorted(set(AuthorityLevel.values) | set(used)))
    return KeyLayout(levels, bits(Field), bits(Procedure), bits(Unit))


def day_rows_sql(facts: str, layout: KeyLayout, names: Sequence[str] = FLOW_COUNTERS) -> str:
    """The day rows (`DailyFlow` without id) summed from the facts in `facts` (a table or a
    parenthesised query with an alias), all-zero rows left out."""
    day = f"- date '{DAY_ZERO}'"
    zero = dict.fromkeys(names, "0")

    def row(key: str, values: dict[str, str], source: str) -> str:
        cols = ", ".join(f"{(zero | values)[n]} AS {n}" for n in names)
        return f"SELECT {key} AS key, {cols} FROM {source}"  # noqa: S608 -- own SQL

    def part(name: str, when: str, sums: dict[str, str], where: str) -> str:
        cols = ", ".join(f"{v}::int AS {n}" for n, v in sums.items())
        return (  # the module's own SQL and the tables' column names
            f"{name} AS MATERIALIZED (SELECT combo | ({when} {day}) AS key, "  # noqa: S608
            f"count(*)::int AS n, {cols} FROM f {where} GROUP BY 1)"
        )

    kept = "stock_changes <> '[]'::jsonb"  # a dossier ever paused (projection.changes_of)
    closed = "WHERE closed_on IS NOT NULL AND outcome <> ''"
    flows = [
        row("key", {n: n for n in RECEIVED_PART}, "received"),
        row("key + 1", {"open_change": "n"}, "received"),  # open from the day after
        row("key", {n: n for n in CLOSED_PART}, "closed"),
        row("key + 1", {"open_change": "-n"}, "closed"),  # to the day after
        row(
            f"combo | (s.value::date {day})",
            {"supplements_requested": "1"},
            "f, jsonb_array_elements_text(supplement_days) s WHERE supplement_days <> '[]'::jsonb",
        ),
        # the pauses and overdue stretches of the dossiers ever paused, which keep them
        row(
            f"combo | ((c->>0)::date {day})",
            {"paused_change": "(c->>2)::int", "overdue_change": "(c->>3)::int"},
            f"f, jsonb_array_elements(stock_changes) c WHERE {kept}",
        ),
        # and the overdue stretch of the others, from their days
        row(
            f"combo | (o.day {day})",
            {"overdue_change": "o.change"},
            f"f, LATERAL (VALUES ({_LATER} + 1, 1), (closed_on + 1, -1)) AS o (day, change) "
            f"WHERE NOT {kept} AND {_OVERDUE} AND o.day IS NOT NULL",
        ),
    ]
    union = "\n  UNION ALL ".join(flows)
    return (
        f"WITH f AS NOT MATERIALIZED (SELECT *, {layout.combo()} AS combo "  # noqa: S608
        f"FROM {facts}),\n"
        f"{part('received', 'received_on', RECEIVED_PART, '')},\n"
        f"{part('closed', 'closed_on', CLOSED_PART, closed)}\n"
        f"SELECT {layout.columns()}, {', '.join(f'sum({n})::int AS {n}' for n in names)}\n"
        f"FROM (\n  {union}\n) flows\nGROUP BY key\n"
        f"HAVING {' OR '.join(f'sum({n}) <> 0' for n in names)}"
    )


# The day rows checked by fingerprints (docs/reports.md, "Recount"): summing every fact's
# contribution by (unit, procedure, field, level, day) means sorting 20 million rows into
# 2.3 million groups at 10 M dossiers. Instead, each (unit, procedure, field, level) gets
# a fingerprint of its day rows — every counter times a random weight of the counter and
# the day, summed modulo a prime — computed once from the facts and once from the day
# table: a few thousand groups, no sort (at 10 M: 17 s instead of 68 s). Two sets of rows
# that differ have equal fingerprints with a probability of about 1/P (a nonzero linear
# form in random weights vanishes modulo P for one choice in P; the days' weights come
# from PostgreSQL's 64-bit hash of the day under a random seed), and every recount draws
# new weights; a second fingerprint would cost 7 s more at 10 M. Only the combinations
# whose fingerprints differ have their day rows summed in full and compared row by row.
P = 2_147_483_647  # 2^31 - 1, a prime: a weight times a weight fits in a bigint


@dataclass(frozen=True)
class Fingerprint:
    """A day-row fingerprint: a weight per counter and a seed for the days' weights."""

    seed: int
    weights: tuple[int, ...]  # in the order of FLOW_COUNTERS

    @classmethod
    def random(cls) -> Fingerprint:
        draw = secrets.SystemRandom()
        weights = tuple(draw.randrange(1, P) for _ in FLOW_COUNTERS)
        return cls(draw.randrange(-(1 << 62), 1 << 62), weights)

    def day(self, day: str) -> str:
        """SQL: the weight of the day `day`, in [0, P)."""
        return f"((hashint4extended(({day}) - date '{DAY_ZERO}', {self.seed}) % {P} + {P}) % {P})"

    def term(
        self, day: str, flags: dict[str, str] | None = None, amounts: dict[str, str] | None = None
    ) -> str:
        """SQL: what a row adding 1 to the counters of `flags` whose condition holds and
        `amounts` (integer expressions) to theirs, on day `day`, adds to the fingerprint:
        in [0, P)."""
        weight = dict(zip(FLOW_COUNTERS, self.weights, strict=True))
        parts = [
            f"CASE WHEN {cond} THEN {weight[n]}::bigint ELSE 0 END"
            for n, cond in (flags or {}).items()
        ]
        parts += [f"{weight[n]}::bigint * ({v})" for n, v in (amounts or {}).items()]
        return f"((({' + '.join(parts)}) % {P} + {P}) % {P}) * {self.day(day)} % {P}"

    def fact(self) -> str:
        """SQL: what a fact adds to its combination's fingerprint — `day_rows_sql`'s parts,
        term by term."""
        received = self.term("received_on", RECEIVED_FLAGS)
        closed = self.term("closed_on", CLOSED_FLAGS, {"handling_hours": CLOSED_HOURS})
        opened = self.term("received_on + 1", amounts={"open_change": "1"})
        left = self.term("closed_on + 1", amounts={"open_change": "-1"})
        overdue = self.term(f"{_LATER} + 1", amounts={"overdue_change": "1"})
        overdue_ends = self.term("closed_on + 1", amounts={"overdue_change": "-1"})
        return (
            f"{received} + {opened} + CASE WHEN closed_on IS NOT NULL AND outcome <> '' "
            f"THEN {closed} + {left} ELSE 0 END"
            # the overdue stretch of a fact that keeps no stock changes (never paused)
            f" + CASE WHEN stock_changes = '[]'::jsonb AND {_OVERDUE} THEN {overdue} + "
            f"CASE WHEN closed_on IS NOT NULL THEN {overdue_ends} ELSE 0 END ELSE 0 END"
        )

    def supplements(self) -> str:
        """SQL: what a supplement request on day `s.value` adds."""
        return self.term("s.value::date", amounts={"supplements_requested": "1"})

    def kept(self) -> str:
        """SQL: what a kept stock change `c` (a fact's JSON element) adds."""
        return self.term(
            "(c->>0)::date",
            amounts={"paused_change": "(c->>2)::int", "overdue_change": "(c->>3)::int"},
        )


# The facts checked by fingerprints too: joining every computed fact to its stored one
# means hashing 10 M stored facts in every process (1.8 GB at 10 M). Instead each block of
# BLOCK consecutive dossier ids gets a fingerprint of its facts, computed from the
# dossiers and from the stored facts: every column's value (an integer, a day, or a 64-bit
# hash of it under a random seed) times a random weight of the column, summed modulo P,
# times a random weight of the dossier (so that values swapped between two facts show),
# summed over the block, with the block's count of facts beside it. Two blocks that differ
# have equal fingerprints with a probability of about 2/P (the sum is a nonzero polynomial
# of degree 2 in random values; a hashed value may also collide with another modulo P,
# once in P). Only the dossiers of the blocks whose fingerprints or counts differ are
# computed again and compared column by column.
BLOCK = 4096


@dataclass(frozen=True)
class FactPrint:
    """A fingerprint of the facts: a weight per column and a seed for the hashes."""

    seed: int
    weights: tuple[int, ...]  # in the order of FACT_COLUMNS[1:]

    @classmethod
    def random(cls) -> FactPrint:
        draw = secrets.SystemRandom()
        weights = tuple(draw.randrange(1, P) for _ in FACT_COLUMNS[1:])
        return cls(draw.randrange(-(1 << 62), 1 << 62), weights)

    def value(self, name: str, column: str, *, changes_as_text: bool) -> str:
        """SQL: the column `name`'s value `column` as an integer in (-P, P) — the same
        for equal values, whatever the side (a stored fact's stock changes as jsonb, a
        computed one's as jsonb's text when `changes_as_text`)."""
        field = DossierFact._meta.get_field(name)
        seed = self.seed
        if name == "stock_changes":  # printed only where it holds changes
            if changes_as_text:
                sql = f"hashtextextended({column}, {seed})"
            else:
                sql = (
                    f"CASE WHEN {column} = '[]'::jsonb THEN hashtextextended('[]', {seed}) "
                    f"ELSE hashtextextended({column}::text, {seed}) END"
                )
        elif isinstance(field, models.JSONField):
            sql = f"jsonb_hash_extended({column}, {seed})"
        elif isinstance(field, models.DateTimeField):  # its microseconds since 2000, hashed
            sql = f"timestamp_hash_extended({column} AT TIME ZONE INTERVAL '0 seconds', {seed})"
        elif isinstance(field, models.DateField):
            sql = f"({column} - date '{DAY_ZERO}')"
        elif isinstance(field, models.BooleanField):
            sql = f"{column}::int"
        elif isinstance(field, models.CharField):
            sql = f"hashtextextended({column}, {seed})"
        elif isinstance(field, (models.IntegerField, models.ForeignKey)):
            sql = f"{column}::bigint"
        else:  # pragma: no cover -- a new kind of column must be given a value here
            raise TypeError(f"no fingerprint for {name}: {type(field).__name__}")
        sql = f"mod({sql}, {P})"
        return f"coalesce({sql}, -1)" if field.null else sql

    def fact(self, alias: str, *, changes_as_text: bool) -> str:
        """SQL: the fact `alias`'s fingerprint, in [0, P)."""
        values = (
            self.value(n, f"{alias}.{n}", changes_as_text=changes_as_text) for n in FACT_COLUMNS[1:]
        )
        terms = " + ".join(
            f"mod({w}::bigint * {v}, {P})" for w, v in zip(self.weights, values, strict=True)
        )
        dossier = f"mod(mod(hashint8extended({alias}.dossier_id, {self.seed}), {P}) + {P}, {P})"
        return f"mod(mod(mod({terms}, {P}) + {P}, {P}) * {dossier}, {P})::int"


def fact_blocks_sql(fp: FactPrint, *, stored: bool) -> str:
    """Each block's count of facts and fingerprint, from the dossiers (FACTS_SELECT) or
    from the stored facts."""
    source = "reports_dossierfact" if stored else f"({facts_select(flagged=False)})"
    return f"""
SELECT f.dossier_id / {BLOCK} AS block, count(*) AS n,
  mod(sum({fp.fact("f", changes_as_text=not stored)}), {P}) AS fp
FROM {source} f GROUP BY 1
"""  # noqa: S608 -- the module's own SQL


def json_terms_sql(fp: Fingerprint) -> str:
    """`reports_rc_jterm`: what each recounted dossier's supplement days and kept stock
    changes add to the fingerprint, from the working tables of step 1 — the same JSON as
    every fact the day step reads (a stored fact equal to the recounted one, or the
    recounted one): one join with a table of 0.5 M rows instead of two more scans of the
    facts."""
    return f"""
CREATE UNLOGGED TABLE reports_rc_jterm AS
SELECT dossier_id, sum(fp) AS fp FROM (
  SELECT sd.dossier_id, {fp.supplements()} AS fp
  FROM reports_rc_supp sd, jsonb_array_elements_text(sd.days) s
  UNION ALL
  SELECT pj.dossier_id, {fp.kept()}
  FROM reports_rc_json pj, jsonb_array_elements(pj.stock_changes::jsonb) c
) t GROUP BY dossier_id
"""  # noqa: S608 -- the module's own SQL


def fingerprints_sql(facts: str, fp: Fingerprint) -> str:
    """Each combination's fingerprint from the facts in `facts` (as `day_rows_sql`; their
    JSON's share from `reports_rc_jterm`) and from the day table, side by side (a full
    join), and whether the table holds an all-zero row (which adds nothing to a
    fingerprint and must not be there)."""
    key = ", ".join(KEY)
    stored = fp.term("day", amounts={c: c for c in FLOW_COUNTERS})
    return f"""
WITH computed AS (
  SELECT {key}, sum({fp.fact()} + coalesce(j.fp, 0)) % {P} AS fp
  FROM (SELECT * FROM {facts}) f LEFT JOIN reports_rc_jterm j ON j.dossier_id = f.dossier_id
  GROUP BY {key}
), stored AS (
  SELECT {key}, sum({stored}) % {P} AS fp,
    bool_or({" AND ".join(f"{n} = 0" for n in FLOW_COUNTERS)}) AS zero_row
  FROM reports_dailyflow GROUP BY {key}
)
SELECT {key}, c.fp AS computed, s.fp AS stored, coalesce(s.zero_row, false) AS zero_row
FROM computed c FULL JOIN stored s USING ({key})
"""  # noqa: S608 -- the module's own SQL and the tables' column names


_HALF = (
    "(CASE WHEN extract(day FROM {d}) < 15 THEN date_trunc('month', {d})::date "
    "ELSE date_trunc('month', {d})::date + 14 END)"
)
_NEXT = (
    "(CASE WHEN extract(day FROM {h}) < 15 THEN {h} + 14 "
    "ELSE (date_trunc('month', {h}) + interval '1 month')::date END)"
)


def totals_sql(days: str, names: Sequence[str] = FLOW_COUNTERS) -> str:
    """The running totals (folding.running_totals) up to `%(through)s` from the day rows in
    table `days`: for each (unit, procedure, field, level) and each half-month start up to
    it, the sums of the days before, rows not all zero."""
    return f"""
WITH hs AS (
  SELECT unit_id, procedure_id, field_id, level, {_HALF.format(d="day")} AS h,
    {", ".join(f"sum({n}) AS {n}" for n in names)}
  FROM {days} GROUP BY 1, 2, 3, 4, 5
), pairs AS (
  SELECT unit_id, procedure_id, field_id, level, min(h) AS h0 FROM hs GROUP BY 1, 2, 3, 4
), halves AS (
  SELECT m::date + k AS h
  FROM generate_series((SELECT date_trunc('month', min(h0)) FROM pairs),
                       %(through)s::date, interval '1 month') m,
       (VALUES (0), (14)) AS o(k)
), grid AS (
  SELECT p.unit_id, p.procedure_id, p.field_id, p.level, x.h
  FROM pairs p JOIN halves x ON x.h >= p.h0 AND x.h < %(through)s::date
), cum AS (
  SELECT g.unit_id, g.procedure_id, g.field_id, g.level, {_NEXT.format(h="g.h")} AS start,
    {", ".join(f"sum(coalesce(hs.{n}, 0)) OVER w AS {n}" for n in names)}
  FROM grid g LEFT JOIN hs USING (unit_id, procedure_id, field_id, level, h)
  WINDOW w AS (PARTITION BY g.unit_id, g.procedure_id, g.field_id, g.level ORDER BY g.h)
)
SELECT unit_id, procedure_id, field_id, level, start,
  {", ".join(f"{n}::int AS {n}" for n in names)}
FROM cum
WHERE start <= %(through)s::date AND ({" OR ".join(f"{n} <> 0" for n in names)})
"""  # noqa: S608 -- only the tables' own column names


def rows_diff_sql(computed: str, table: str, when: str) -> str:
    """The rows of `computed` that `table` lacks or holds otherwise, and the rows of
    `table` that `computed` lacks: (present, stored id, key, counters)."""
    key = (*KEY, when)
    mine = ", ".join(f"c.{n}" for n in FLOW_COUNTERS)
    theirs = ", ".join(f"s.{n}" for n in FLOW_COUNTERS)
    return f"""
SELECT c.unit_id IS NOT NULL AS present, s.id AS stored_id,
  {", ".join(f"c.{k}" for k in key)}, {mine}
FROM {computed} c FULL JOIN {table} s USING ({", ".join(key)})
WHERE c.unit_id IS NULL OR s.id IS NULL OR ({mine}) IS DISTINCT FROM ({theirs})
"""  # noqa: S608 -- the module's own tables and column names


def _calendars(cursor: Any) -> None:
    """Copy the working calendars of the competent units whose appointments pauses move."""
    for statement in CALENDAR_SQL:
        cursor.execute(statement)
    cursor.execute(
        "SELECT DISTINCT unit_id FROM reports_rc_pause WHERE NOT is_start AND added <> 0 "
        "AND due0 IS NOT NULL"
    )
    units = [row[0] for row in cursor.fetchall()]
    if not units:
        cursor.execute(SHIFT_SQL)
        return
    cursor.execute(
        "SELECT min(least(due0, at)), max(greatest(due0, at)) FROM reports_rc_pause "
        "WHERE unit_id = ANY(%(u)s)",
        {"u": units},
    )
    low, high = cursor.fetchone()
    first_year, last_year = low.year - 1, high.year + 5
    seen: dict[tuple[tuple[int, int, int, int], ...], int] = {}
    rows: list[tuple[int, int, int, int, int]] = []
    mapping: list[tuple[int, int]] = []
    for unit in Unit.objects.filter(pk__in=units):
        periods = tuple(get_working_calendar(unit).periods(first_year, last_year))
        cal = seen.get(periods)
        if cal is None:
            cal = seen[periods] = len(seen) + 1
            rows.extend((cal, *p) for p in periods)
        mapping.append((unit.pk, cal))
    cursor.executemany("INSERT INTO reports_rc_cal VALUES (%s, %s, %s, %s, %s)", rows)
    cursor.executemany("INSERT INTO reports_rc_unit_cal VALUES (%s, %s)", mapping)
    for statement in (
        "CREATE INDEX ON reports_rc_cal (cal, p_start)",
        "CREATE INDEX ON reports_rc_cal (cal, cum_end)",
        "ANALYZE reports_rc_cal",
        "ANALYZE reports_rc_unit_cal",
    ):
        cursor.execute(statement)
    cursor.execute(SHIFT_SQL)


STEPS = ("pauses", "facts", "days", "totals", "write")
WORKING_TABLES = (
    "reports_rc_pause",
    "reports_rc_cal",
    "reports_rc_unit_cal",
    "reports_rc_seg",
    "reports_rc_psum",
    "reports_rc_supp",
    "reports_rc_json",
    "reports_rc_reused",
    "reports_rc_extra",
    "reports_rc_fcomp",
    "reports_rc_fstored",
    "reports_rc_fflag",
    "reports_rc_diff",
    "reports_rc_jterm",
    "reports_rc_fp",
    "reports_rc_flag",
    "reports_rc_day",
    "reports_rc_daydiff",
    "reports_rc_total",
    "reports_rc_totaldiff",
)


def _drop_working(cursor: Any) -> None:
    """Drop the working tables and the shift function (created again by each recount)."""
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(WORKING_TABLES)}")
    cursor.execute("DROP FUNCTION IF EXISTS reports_rc_shift(bigint, timestamptz, bigint)")


def recount_sql(report: RecountReport, *, write: bool, bar: tqdm[Any], through: dt.date) -> None:
    """Fill `report` (folding.RecountReport) and, when writing, repair the tables; the
    caller holds the fold lock in the current transaction."""
    params: dict[str, Any] = {
        "starts": sorted(PAUSE_STARTS),
        "ends": sorted(PAUSE_ENDS),
        "kinds": sorted(PAUSE_STARTS | PAUSE_ENDS),
        "running": sorted(CLOCK_RUNNING),
        "withdrawn": DossierStatus.WITHDRAWN.value,
        "stopped": DossierStatus.STOPPED.value,
        "supplement": EventKind.SUPPLEMENT_REQUESTED.value,
        "reused": Arrival.REUSED.value,
        "exchanged": Exemption.EXCHANGED.value,
        "through": through,
    }
    facts_cols = ", ".join(FACT_COLUMNS)
    with connection.cursor() as cursor:
        # a province's day rows are a few million groups; the big statements read whole
        # tables and write few rows, which PostgreSQL should share among its workers
        for setting in (
            "work_mem = '1GB'",
            "parallel_setup_cost = 0",
            "parallel_tuple_cost = 0",
            "DateStyle = 'ISO, YMD'",  # a date as text: YYYY-MM-DD
            # compiling each big statement in every process cost more than it saved (98 s
            # instead of 105 s at 10 M without it)
            "jit = off",
        ):
            cursor.execute(f"SET LOCAL {setting}")
        _drop_working(cursor)
        cursor.execute(PAUSES_SQL, params)
        cursor.execute("ANALYZE reports_rc_pause")
        _calendars(cursor)
        for statement in SEGMENTS_SQL.split("---"):
            cursor.execute(statement, params if "%(" in statement else None)
        bar.update(1)
        received, stored = _facts_diff(cursor, params)
        cursor.execute("SELECT count(*) FROM reports_rc_diff WHERE NOT stored")
        (missing,) = cursor.fetchone()
        if stored != received - missing:  # some stored facts have no received dossier
            cursor.execute(ORPHANS_SQL)
        cursor.execute("SELECT count(*) FROM reports_rc_diff")
        report.dossiers = received
        report.facts_differing = differing = cursor.fetchone()[0]
        bar.update(1)
        facts = "reports_dossierfact"  # they are the recounted ones when none differ
        if differing:  # else the stored facts with the differing ones replaced
            facts = (
                f"(SELECT {facts_cols} FROM reports_dossierfact f WHERE NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM reports_rc_diff x WHERE x.dossier_id = f.dossier_id) "
                f"UNION ALL SELECT {facts_cols} FROM reports_rc_diff WHERE present) facts"
            )
        report.rows, report.rows_differing, days = _day_rows(cursor, facts)
        bar.update(1)
        cursor.execute("CREATE UNLOGGED TABLE reports_rc_total AS " + totals_sql(days), params)
        cursor.execute(
            "CREATE UNLOGGED TABLE reports_rc_totaldiff AS "
            + rows_diff_sql("reports_rc_total", "reports_runningtotal", "start")
        )
        report.total_rows_differing = cursor.rowcount
        bar.update(1)
        if write:
            _repair(cursor, facts_cols)
        _drop_working(cursor)
        bar.update(1)


def _facts_diff(cursor: Any, params: dict[str, Any]) -> tuple[int, int]:
    """Check the stored facts by blocks' fingerprints (`FactPrint`) and compare the facts of
    the blocks found differing column by column into `reports_rc_diff` (every fact when
    more than an eighth of the blocks differ, as on a first recount): (received
    dossiers, stored facts)."""
    fp = FactPrint.random()
    # arithmetic over every fact, compiled: the dossiers' side 7.3 s instead of 9.7 s at 10 M
    cursor.execute("SET LOCAL jit = on")
    for table, stored in (("reports_rc_fcomp", False), ("reports_rc_fstored", True)):
        cursor.execute(
            f"CREATE UNLOGGED TABLE {table} AS {fact_blocks_sql(fp, stored=stored)}", params
        )
    cursor.execute("SET LOCAL jit = off")
    cursor.execute(
        "CREATE UNLOGGED TABLE reports_rc_fflag AS SELECT block "
        "FROM reports_rc_fcomp c FULL JOIN reports_rc_fstored s USING (block) "
        "WHERE (c.n, c.fp) IS DISTINCT FROM (s.n, s.fp)"
    )
    flagged = cursor.rowcount
    cursor.execute(
        "SELECT (SELECT coalesce(sum(n), 0) FROM reports_rc_fcomp), "
        "(SELECT coalesce(sum(n), 0) FROM reports_rc_fstored), "
        "(SELECT count(*) FROM reports_rc_fcomp)"
    )
    received, stored, blocks = cursor.fetchone()
    if flagged * 8 > blocks:
        cursor.execute(facts_diff_sql(), params)
    else:  # each flagged block's dossiers through the primary key
        cursor.execute("ANALYZE reports_rc_fflag")
        cursor.execute(facts_diff_sql(flagged=True), params)
    return int(received), int(stored)


def _flagged(alias: str) -> str:
    """SQL: the row `alias` belongs to a combination whose fingerprints differ."""
    match = " AND ".join(f"g.{k} = {alias}.{k}" for k in KEY)
    return f"EXISTS (SELECT 1 FROM reports_rc_flag g WHERE {match})"  # noqa: S608 -- own SQL


def _day_rows(cursor: Any, facts: str) -> tuple[int, int, str]:
    """Check the day table against `facts` by fingerprints, sum the day rows of the
    combinations found differing into `reports_rc_day` and compare them into
    `reports_rc_daydiff`: (day rows recounted, rows differing, the recounted day rows as a
    table or a parenthesised query with an alias)."""
    fp = Fingerprint.random()
    cursor.execute(json_terms_sql(fp))
    cursor.execute("ANALYZE reports_rc_jterm")
    # arithmetic over every fact, compiled: 21 s instead of 30 s at 10 M
    cursor.execute("SET LOCAL jit = on")
    cursor.execute("CREATE UNLOGGED TABLE reports_rc_fp AS " + fingerprints_sql(facts, fp))
    cursor.execute("SET LOCAL jit = off")
    cursor.execute(
        f"CREATE UNLOGGED TABLE reports_rc_flag AS SELECT {', '.join(KEY)} "  # noqa: S608
        "FROM reports_rc_fp WHERE computed IS DISTINCT FROM stored OR zero_row"
    )
    any_flagged = cursor.rowcount > 0
    flagged = f"(SELECT x.* FROM (SELECT * FROM {facts}) x WHERE {_flagged('x')}) flagged"  # noqa: S608
    sums = day_rows_sql(flagged, key_layout())
    if any_flagged:
        cursor.execute(SORTED_SUMS[0])
        cursor.execute(f"CREATE UNLOGGED TABLE reports_rc_day AS {sums}")
        cursor.execute(SORTED_SUMS[1])
    else:
        cursor.execute(f"CREATE UNLOGGED TABLE reports_rc_day AS {sums} WITH NO DATA")
    stored = f"(SELECT * FROM reports_dailyflow s WHERE {_flagged('s')})"  # noqa: S608
    cursor.execute(
        "CREATE UNLOGGED TABLE reports_rc_daydiff AS "
        + rows_diff_sql("reports_rc_day", stored, "day")
    )
    differing = cursor.rowcount
    cursor.execute(
        f"SELECT (SELECT count(*) FROM reports_dailyflow s WHERE NOT {_flagged('s')}), "  # noqa: S608
        "(SELECT count(*) FROM reports_rc_day)"
    )
    kept, recounted = cursor.fetchone()
    if not differing:  # equal rows: the day table is the recounted one
        return kept + recounted, 0, "reports_dailyflow"
    cols = ", ".join((*KEY, "day", *FLOW_COUNTERS))
    days = (
        f"(SELECT {cols} FROM reports_dailyflow s WHERE NOT {_flagged('s')} "  # noqa: S608
        f"UNION ALL SELECT {cols} FROM reports_rc_day) days"
    )
    return kept + recounted, differing, days


def _repair(cursor: Any, facts_cols: str) -> None:
    """Delete the differing rows and insert the recounted ones."""
    cursor.execute(
        "DELETE FROM reports_dossierfact WHERE dossier_id IN "
        "(SELECT dossier_id FROM reports_rc_diff WHERE stored)"
    )
    cursor.execute(
        f"INSERT INTO reports_dossierfact ({facts_cols}) "  # noqa: S608 -- own columns
        f"SELECT {facts_cols} FROM reports_rc_diff WHERE present"
    )
    counters = ", ".join(FLOW_COUNTERS)
    for table, diff, when in (
        ("reports_dailyflow", "reports_rc_daydiff", "day"),
        ("reports_runningtotal", "reports_rc_totaldiff", "start"),
    ):
        key = ", ".join((*KEY, when))
        cursor.execute(  # the module's own tables
            f"DELETE FROM {table} WHERE id IN "  # noqa: S608
            f"(SELECT stored_id FROM {diff} WHERE stored_id IS NOT NULL)"
        )
        cursor.execute(  # in day order, as the fold writes them: a few days of every
            # unit, which the reports read, then lie on few pages
            f"INSERT INTO {table} ({key}, {counters}) "  # noqa: S608
            f"SELECT {key}, {counters} FROM {diff} WHERE present ORDER BY {when}, unit_id"
        )
