"""A double submission with one Idempotency-Key at the same moment makes one dossier.

Real threads, each with its own database connection (a file-based SQLite with WAL and
IMMEDIATE transactions in the tests, or PostgreSQL), each with its own HTTP client.
"""

import threading
from functools import partial
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from motcua.api.tests.dossier_api import body, client_for, submit
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.testing.dossiers import make_process_procedure
from motcua.testing.personas import build_personas
from motcua.testing.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def submit_together(clients: list[Client], payload: dict[str, Any], key: str) -> list[Any]:
    return run_together(*(partial(submit, c, payload, key=key) for c in clients), timeout=60)


def test_four_requests_with_one_key_at_once_make_one_dossier_and_one_201() -> None:
    p = build_personas()
    version = make_process_procedure()
    clients = [client_for(p.an) for _ in range(4)]
    results = submit_together(clients, body(p, version), key="double-click")
    assert all(not isinstance(r, Exception) for r in results), results
    assert sorted(r.status_code for r in results) == [200, 200, 200, 201]
    assert len({r.json()["code"] for r in results}) == 1
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 1


def test_requests_with_different_keys_at_once_make_one_dossier_each() -> None:
    p = build_personas()
    version = make_process_procedure()
    payload = body(p, version)
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def worker(key: str) -> None:
        try:
            client = client_for(p.an)
            barrier.wait()
            statuses.append(submit(client, payload, key=key).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"k{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert statuses == [201, 201, 201]
    codes = set(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == 3  # three distinct numbers from the daily counter
