"""Background tasks of the reports (run by `motcua worker`)."""

from __future__ import annotations

from django_tasks import task

from motcua.reports.folding import fold_pending


@task()
def fold_reports() -> int:
    """Fold the dossiers with new events into the rollups (see folding.py)."""
    return fold_pending()
