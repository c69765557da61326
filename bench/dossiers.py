"""Benchmark: online submissions through the HTTP API, and the officers' work queue over
1 million dossiers.

    python bench/dossiers.py submissions [--clients 16] [--requests 4000] [--threads 16]
                                         [--servers 1] [--conn-max-age 0]
    python bench/dossiers.py queue [--dossiers 1000000] [--samples 300] [--reuse]

Runs on a fresh SQLite file in a temporary data directory, or on DATABASE_URL when set (a
throwaway database: it is migrated and filled; create it empty, drop it afterwards).

`submissions` starts `motcua serve` (waitress) on a free loopback port against that
database; each of the concurrent clients logs in through the login form as its own
citizen (session cookie + CSRF token) and posts dossiers to `POST /api/v1/dossiers`, each
with a fresh Idempotency-Key. It counts answers other than 201 as errors and greps the
server's log for "database is locked".

`queue` bulk-inserts dossiers spread over the units, statuses and two years of due times,
then times what an officer's work queue asks for a random unit: its open dossiers by due
time (first page of 50) plus the per-status counts — the query functions of
`GET /api/v1/dossiers`, and that request end to end through Django's test client.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(tmp: Path) -> dict[str, str]:
    """Configure Django on a fresh data directory (or DATABASE_URL); the server's env."""
    env = {
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_DATA_DIR": str(tmp),
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(40),
        "MOTCUA_SECURE_COOKIES": "0",  # plain HTTP on the loopback
        "MOTCUA_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def engine() -> str:
    from django.db import connection

    return connection.vendor


# --- (a) submissions per second through the HTTP API ----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_submissions(citizens: int, communes: int) -> tuple[str, list[str], list[str]]:
    """A province with communes and their centres, the demo-like 3-day procedure, and one
    citizen per client. Returns (procedure code, commune codes, usernames)."""
    from motcua.accounts.models import UnitKind
    from motcua.testing.builders import make_unit, make_user
    from motcua.testing.dossiers import make_process_procedure

    province = make_unit("UBND tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE, code="H99")
    codes = []
    for i in range(communes):
        commune = make_unit(f"UBND xã {i}", parent=province, code=f"H99.{i + 1:05d}")
        make_unit(
            f"Trung tâm PVHCC xã {i}",
            kind=UnitKind.SERVICE_CENTRE,
            parent=commune,
            code=f"{commune.code}.01",
        )
        codes.append(commune.code)
    version = make_process_procedure()
    usernames = []
    for i in range(citizens):
        user = make_user(f"congdan{i:03d}", f"Công dân {i}", identity_number=f"0380900{i:05d}")
        usernames.append(user.username)
    return version.procedure.code, codes, usernames


class ApiClient:
    """One citizen's keep-alive HTTP connection with a session cookie and a CSRF token."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        all_headers.update(headers or {})
        self.conn.request(method, path, body=body, headers=all_headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        from urllib.parse import urlencode

        self.request("GET", "/dang-nhap/")
        form = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        ).encode()
        status, _ = self.request(
            "POST",
            "/dang-nhap/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {username} failed ({status})")

    def submit(self, payload: bytes) -> int:
        status, _ = self.request(
            "POST",
            "/api/v1/dossiers",
            payload,
            {
                "Content-Type": "application/json",
                "X-CSRFToken": self.cookies["csrftoken"],
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        return status


def bench_submissions(args: argparse.Namespace, tmp: Path, env: dict[str, str]) -> None:
    from tqdm import tqdm

    from motcua.dossiers.models import Dossier
    from motcua.testing.builders import PASSWORD

    procedure, communes, usernames = prepare_submissions(args.clients, args.communes)
    ports = [free_port() for _ in range(args.servers)]
    log_path = tmp / "server.log"
    server_env = {
        **os.environ,
        **env,
        "PYTHONUNBUFFERED": "1",
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
    }
    servers = []
    with open(log_path, "wb") as log:
        for port in ports:
            servers.append(
                subprocess.Popen(  # noqa: S603 -- our own command, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "motcua",
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--threads",
                        str(args.threads),
                        "--data-dir",
                        str(tmp),
                    ],
                    env=server_env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        deadline = time.monotonic() + 60
        for port, server in zip(ports, servers, strict=True):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("a server did not start; see " + str(log_path)) from None
                    time.sleep(0.2)

        clients = [ApiClient(ports[i % len(ports)]) for i in range(len(usernames))]
        for client, username in zip(clients, usernames, strict=True):
            client.login(username, PASSWORD)
        per_client = args.requests // len(clients)
        rng = random.Random(20261125)
        payloads = [
            [
                json.dumps(
                    {
                        "procedure_code": procedure,
                        "competent_unit_code": rng.choice(communes),
                        "applicant": {"address": f"{rng.randrange(1, 200)} Lê Lợi"},
                        "components": [{"position": 1}],
                    }
                ).encode()
                for _ in range(per_client)
            ]
            for _ in clients
        ]
        # warm-up: one request per client (imports, first connections), not timed
        for client, mine in zip(clients, payloads, strict=True):
            if client.submit(mine[0]) != 201:
                raise SystemExit("warm-up submission failed; see " + str(log_path))

        statuses: dict[int, int] = {}
        latencies: list[float] = []
        lock = threading.Lock()
        barrier = threading.Barrier(len(clients) + 1)
        bar = tqdm(total=per_client * len(clients), desc="Nộp hồ sơ", unit=" hs")

        def run(client: ApiClient, mine: list[bytes]) -> None:
            barrier.wait()
            for payload in mine:
                start = time.perf_counter()
                try:
                    status = client.submit(payload)
                except (OSError, http.client.HTTPException):
                    status = -1
                    client.conn.close()
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    latencies.append(elapsed)
                    bar.update(1)

        threads = [
            threading.Thread(target=run, args=(c, p), daemon=True)
            for c, p in zip(clients, payloads, strict=True)
        ]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        bar.close()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    locked = log_text.count("database is locked")
    created = statuses.get(201, 0)
    errors = sum(n for status, n in statuses.items() if status != 201)
    stored = Dossier.objects.count() - len(clients)  # minus the warm-up dossiers
    print(
        f"dossiers submissions: {engine()}, {len(clients)} clients, {args.servers} × waitress "
        f"{args.threads} threads, DB_CONN_MAX_AGE={args.conn_max_age}, "
        f"{created + errors} requests in {wall:.1f} s — {created / wall:.0f} dossiers/s, "
        f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms; "
        f"errors {errors} {dict(sorted(statuses.items()))}, 'database is locked' {locked}, "
        f"stored {stored}"
    )


# --- (b) the work queue over 1 million dossiers --------------------------------------------

OPEN_SPREAD = [  # (status, weight) of open dossiers
    ("submitted", 2),
    ("accepted", 2),
    ("processing", 8),
    ("supplement_requested", 2),
    ("awaiting_payment", 1),
    ("result_ready", 2),
]
CLOSED_SPREAD = [("returned", 78), ("refused", 3), ("withdrawn", 3), ("stopped", 1)]


def prepare_units(communes: int, departments: int) -> list[tuple[Any, Any]]:
    """(competent unit, receiving centre) pairs: communes with their own centre,
    departments received at the provincial centre."""
    from motcua.accounts.models import Unit, UnitKind

    province = Unit.objects.create(name="UBND tỉnh", kind=UnitKind.PROVINCE, code="H99")
    province_centre = Unit.objects.create(
        name="Trung tâm PVHCC tỉnh", kind=UnitKind.SERVICE_CENTRE, parent=province, code="H99.TT"
    )
    pairs = []
    for i in range(departments):
        department = Unit.objects.create(
            name=f"Sở {i}", kind=UnitKind.DEPARTMENT, parent=province, code=f"H99.S{i:02d}"
        )
        pairs.append((department, province_centre))
    for i in range(communes):
        commune = Unit.objects.create(
            name=f"UBND xã {i}", kind=UnitKind.COMMUNE, parent=province, code=f"H99.{i:05d}"
        )
        centre = Unit.objects.create(
            name=f"Trung tâm PVHCC xã {i}",
            kind=UnitKind.SERVICE_CENTRE,
            parent=commune,
            code=f"H99.{i:05d}.01",
        )
        pairs.append((commune, centre))
    return pairs


def generate_dossiers(n: int, pairs: list[tuple[Any, Any]], rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone
    from tqdm import tqdm

    from motcua.dossiers.models import LOOKUP_ALPHABET, Dossier
    from motcua.testing.builders import make_procedure

    versions = [make_procedure(f"1.{i:06d}", f"Thủ tục {i}") for i in range(12)]
    now = timezone.now()
    open_statuses, open_weights = zip(*OPEN_SPREAD, strict=True)
    closed_statuses, closed_weights = zip(*CLOSED_SPREAD, strict=True)
    # commune dossiers are the many; the departments' go through the provincial centre
    weights = [3.0 if p[0].kind == "department" else 1.0 for p in pairs]
    batch = 5000
    bar = tqdm(total=n, desc="Sinh hồ sơ", unit=" hs", unit_scale=True)
    number = 0
    while number < n:
        rows = []
        chosen = rng.choices(pairs, weights=weights, k=min(batch, n - number))
        for competent, centre in chosen:
            number += 1
            is_open = rng.random() < 0.15
            if is_open:
                status = rng.choices(open_statuses, open_weights)[0]
                submitted = now - dt.timedelta(minutes=rng.randrange(1, 30 * 24 * 60))
            else:
                status = rng.choices(closed_statuses, closed_weights)[0]
                submitted = now - dt.timedelta(minutes=rng.randrange(30 * 24 * 60, 730 * 24 * 60))
            due = None
            if status != "submitted":
                due = submitted + dt.timedelta(minutes=rng.randrange(8 * 60, 20 * 24 * 60))
            paused = status in ("supplement_requested", "awaiting_payment")
            rows.append(
                Dossier(
                    code=f"{centre.code}-{submitted:%y%m%d}-{number:07d}",
                    lookup_secret="".join(rng.choices(LOOKUP_ALPHABET, k=6)),
                    procedure_version=rng.choice(versions),
                    channel=rng.choice(("direct", "online", "online", "postal")),
                    status=status,
                    reception_point=centre,
                    receiving_centre=centre,
                    competent_unit=competent,
                    applicant_name=f"Công dân {number}",
                    applicant_search=f"cong dan {number}",
                    applicant_identity_number=f"0380{rng.randrange(10**8):08d}",
                    submitted_at=submitted,
                    accepted_at=submitted if due else None,
                    due_at=due,
                    original_due_at=due,
                    paused_at=now - dt.timedelta(hours=rng.randrange(1, 72)) if paused else None,
                    closed_at=(due or submitted) if not is_open else None,
                )
            )
        with transaction.atomic():
            Dossier.objects.bulk_create(rows, batch_size=batch)
        bar.update(len(rows))
    bar.close()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_queue(args: argparse.Namespace) -> None:
    from django.test import Client
    from tqdm import tqdm

    from motcua.accounts.models import Role, RoleAssignment, Unit, User
    from motcua.api.v1.dossiers import queue_page, status_counts
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.status import OPEN

    rng = random.Random(20261125)
    if args.reuse:  # the dossiers a previous run left in DATABASE_URL (with --keep)
        args.dossiers = Dossier.objects.count()
        unit_count = Dossier.objects.values("competent_unit").distinct().count()
        generated = float("nan")
    else:
        pairs = prepare_units(args.communes, args.departments)
        unit_count = len(pairs)
        started = time.perf_counter()
        generate_dossiers(args.dossiers, pairs, rng)
        generated = time.perf_counter() - started
    analyze()

    auditor, _ = User.objects.get_or_create(
        username="thanhtra", defaults={"full_name": "Thanh tra"}
    )
    RoleAssignment.objects.get_or_create(
        user=auditor, unit=Unit.objects.get(code="H99"), role=Role.AUDITOR
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(auditor)
    units = list(Unit.objects.exclude(code="H99"))
    sample = [rng.choice(units) for _ in range(args.samples)]
    for unit in sample[:10]:  # warm caches, not timed
        queue_page(unit, statuses=OPEN)
        status_counts(unit)

    query_ms: list[float] = []
    api_ms: list[float] = []
    sizes: list[int] = []
    for unit in tqdm(sample, desc="Hàng đợi", unit=" đơn vị"):
        start = time.perf_counter()
        rows, _ = queue_page(unit, statuses=OPEN, limit=50)
        counts = status_counts(unit)
        query_ms.append((time.perf_counter() - start) * 1000)
        sizes.append(sum(counts.values()))
        start = time.perf_counter()
        response = client.get("/api/v1/dossiers", {"unit": unit.code, "status": "open"})
        api_ms.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 or len(response.json()["items"]) != len(rows):
            raise SystemExit(f"API answered {response.status_code} for {unit.code}")
    desk_ms = bench_desk_queues(rng, args.samples)

    # the busiest unit (the provincial centre receives for every department), timed apart
    busiest = max(units, key=lambda u: status_counts(u)["returned"])
    busiest_ms: list[float] = []
    for _ in range(20):
        start = time.perf_counter()
        queue_page(busiest, statuses=OPEN, limit=50)
        busiest_counts = status_counts(busiest)
        busiest_ms.append((time.perf_counter() - start) * 1000)
    print(
        f"dossiers queue: {engine()}, {args.dossiers:,} dossiers of {unit_count} competent units "
        f"(generated in {generated:.0f} s), {len(sample)} random units "
        f"(median {statistics.median(sizes):,.0f} dossiers, max {max(sizes):,}) — "
        f"first page + counts p50 {statistics.median(query_ms):.1f} ms, "
        f"p95 {percentile(query_ms, 95):.1f} ms, max {max(query_ms):.1f} ms; "
        f"API p50 {statistics.median(api_ms):.1f} ms, p95 {percentile(api_ms, 95):.1f} ms, "
        f"max {max(api_ms):.1f} ms; busiest unit {busiest.code} "
        f"({sum(busiest_counts.values()):,} dossiers) p50 {statistics.median(busiest_ms):.1f} ms; "
        f"back office desk queues (4 first pages + counts) p50 {statistics.median(desk_ms):.1f} ms, "
        f"p95 {percentile(desk_ms, 95):.1f} ms, max {max(desk_ms):.1f} ms"
    )


def bench_desk_queues(rng: random.Random, samples: int) -> list[float]:
    """The back office's desk queues (`motcua.backoffice.queues`: intake, supplements,
    payments, results) of a reception officer of a random commune: each queue's first page
    and its count, as the desk page shows them. Milliseconds per officer, all four queues."""
    from tqdm import tqdm

    from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User
    from motcua.backoffice import queues
    from motcua.backoffice.views import PAGE_SIZE

    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE))
    timings = []
    for i in tqdm(range(samples), desc="Bộ phận một cửa", unit=" cán bộ"):
        user = User.objects.create(username=f"motcua-desk-{i}", full_name=f"Cán bộ {i}")
        RoleAssignment.objects.create(user=user, unit=rng.choice(communes), role=Role.RECEPTION)
        start = time.perf_counter()
        officer = queues.Officer(user)
        for queue in (queues.intake, queues.supplements, queues.payments, queues.results):
            rows = queue(officer)
            list(rows[:PAGE_SIZE])
            rows.count()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("submissions", help="nộp hồ sơ trực tuyến qua HTTP API")
    a.add_argument("--clients", type=int, default=16)
    a.add_argument("--requests", type=int, default=4000)
    a.add_argument("--threads", type=int, default=16, help="waitress threads")
    a.add_argument("--communes", type=int, default=20)
    a.add_argument("--servers", type=int, default=1, help="motcua serve processes")
    a.add_argument(
        "--conn-max-age",
        type=int,
        default=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        help="DB_CONN_MAX_AGE of the servers (default: the environment's, else 0)",
    )
    b = sub.add_parser("queue", help="hàng đợi công việc trên 1 triệu hồ sơ")
    b.add_argument("--dossiers", type=int, default=1_000_000)
    b.add_argument("--communes", type=int, default=300)
    b.add_argument("--departments", type=int, default=30)
    b.add_argument("--samples", type=int, default=300)
    b.add_argument("--reuse", action="store_true", help="time the dossiers already in DATABASE_URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as name:
        tmp = Path(name)
        env = setup(tmp)
        if args.what == "submissions":
            bench_submissions(args, tmp, env)
        else:
            bench_queue(args)


if __name__ == "__main__":
    main()
