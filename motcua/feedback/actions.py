"""Writing a rating: once per dossier, after its result is returned (domain.md A8)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction

from motcua.accounts.models import User
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.locks import lock_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus
from motcua.feedback.models import (
    Rating,
    RatingAnswer,
    RatingChannel,
    RatingLevel,
    RatingQuestion,
)
from motcua.feedback.queries import officers_of

NOT_YET = "Bạn có thể đánh giá sau khi hồ sơ đã được trả kết quả."


def _level(value: int) -> RatingLevel:
    try:
        return RatingLevel(int(value))
    except ValueError:
        raise ActionRefused("Mức độ hài lòng phải từ 1 đến 5.") from None


@transaction.atomic(durable=True)
def _rate(
    dossier_id: int,
    *,
    level: int,
    answers: Mapping[int, int],
    comment: str,
    rated_by: User | None,
    channel: str,
) -> tuple[Rating, bool]:
    # The dossier row lock serialises two ratings of the same dossier: the second waits,
    # then finds the first and returns it.
    dossier = lock_dossier(dossier_id)
    existing = Rating.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing, False
    if rated_by is not None and rated_by.pk != dossier.applicant_id:
        raise ActionRefused("Chỉ người nộp hồ sơ mới được đánh giá hồ sơ này.")
    if dossier.status != DossierStatus.RETURNED:
        raise ActionRefused(NOT_YET)
    questions = list(RatingQuestion.objects.filter(active=True))
    asked = {q.pk for q in questions}
    if set(answers) != asked:
        raise ActionRefused("Hãy trả lời tất cả các câu hỏi đánh giá.")
    rating = Rating.objects.create(
        dossier=dossier,
        level=_level(level),
        comment=comment.strip(),
        channel=channel,
        rated_by=rated_by,
    )
    RatingAnswer.objects.bulk_create(
        RatingAnswer(rating=rating, question=q, level=_level(answers[q.pk])) for q in questions
    )
    rating.officers.set(officers_of(dossier))
    return rating, True


def rate_dossier(
    dossier_id: int,
    *,
    level: int,
    answers: Mapping[int, int],
    comment: str = "",
    rated_by: User | None = None,
    channel: str = RatingChannel.PORTAL,
) -> tuple[Rating, bool]:
    """Record the applicant's rating of a returned dossier, linked to the officers who
    handled it. Returns (rating, created): a dossier already rated keeps its first rating,
    which is returned unchanged — a second attempt or a double click never makes a second
    row (the row lock, and the unique key should anything slip past it)."""
    if channel not in RatingChannel.values:
        raise ActionRefused("Kênh đánh giá không hợp lệ.")
    try:
        return _rate(
            dossier_id,
            level=level,
            answers=answers,
            comment=comment,
            rated_by=rated_by,
            channel=channel,
        )
    except IntegrityError:
        existing = Rating.objects.filter(dossier_id=dossier_id).first()
        if existing is None:
            raise
        return existing, False


def rateable(dossier: Dossier) -> bool:
    return dossier.status == DossierStatus.RETURNED
