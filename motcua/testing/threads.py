"""Running test calls at the same instant in real threads, each with its own database
connection (a file-based SQLite with IMMEDIATE transactions in the tests, or PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def run_together(*calls: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Run the calls in threads released at the same moment; results or raised exceptions,
    in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    close_old_connections()
    return results
