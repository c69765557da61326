"""Reading ratings: who handled a dossier, and what a dossier page shows of its rating."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.feedback.models import Rating


def officers_of(dossier: Dossier) -> QuerySet[User]:
    """The officers who handled the dossier: whoever completed one of its steps or took
    one of its recorded actions (the applicant and the system excluded)."""
    completed = dossier.steps.filter(completed_by__isnull=False).values_list(
        "completed_by", flat=True
    )
    acted = dossier.events.filter(actor__isnull=False).values_list("actor", flat=True)
    ids = set(completed) | set(acted)
    ids.discard(dossier.applicant_id)
    return User.objects.filter(pk__in=ids).order_by("pk")


def rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).prefetch_related("answers__question").first()


def rated_dossier_ids(dossiers: Iterable[Dossier]) -> set[int]:
    ids = [d.pk for d in dossiers]
    return set(Rating.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True))


def rating_context(dossier: Dossier) -> dict[str, Any]:
    """What the citizen's dossier page shows: the rating, or whether it may be given."""
    rating = rating_of(dossier)
    return {
        "rating": rating,
        "can_rate": rating is None and dossier.status == DossierStatus.RETURNED,
    }
