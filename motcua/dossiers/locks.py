"""Row locks for actions: always the dossier first, then its steps, ordered by pk."""

from __future__ import annotations

from motcua.dossiers.models import Dossier, DossierStep


def lock_dossier(dossier_id: int) -> Dossier:
    """The dossier row, locked until the end of the transaction (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions already hold the write lock)."""
    return (
        Dossier.objects.select_for_update()
        .select_related("procedure_version", "competent_unit", "receiving_centre")
        .get(pk=dossier_id)
    )


def lock_steps(dossier: Dossier) -> list[DossierStep]:
    return list(DossierStep.objects.select_for_update().filter(dossier=dossier).order_by("pk"))
