"""Citizens' ratings of the service they received (domain.md A8, B6.2).

After the result of a dossier is returned, its applicant rates the service once: an overall
level on the five-level scale used by kiosks and apps (Rất hài lòng … Rất không hài lòng),
an answer on the same scale to each active question, and an optional comment. The
questions are data, seeded with the five aspects of the Ministry of Home Affairs'
satisfaction index (SIPAS) and editable in the admin. Each rating is linked to the
officers who handled the dossier, so that ratings can be counted per officer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class RatingLevel(models.IntegerChoices):
    """Five levels, best first (the formal report's three levels fold 5, 4 and 2–1)."""

    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    DISSATISFIED = 2, _("Không hài lòng")
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")


LEVEL_RANGE = Q(level__gte=1) & Q(level__lte=5)


class RatingQuestion(models.Model):
    """A question asked with every rating, answered on the five-level scale. Questions are
    never deleted once answered (answers protect them); switch `active` off instead."""

    aspect = models.CharField(_("khía cạnh"), max_length=120)
    text = models.CharField(_("câu hỏi"), max_length=300)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("câu hỏi đánh giá")
        verbose_name_plural = _("câu hỏi đánh giá")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.aspect


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Trang cá nhân của người nộp")
    TRACKING = "tracking", _("Tra cứu bằng mã hồ sơ và mã tra cứu")


class Rating(models.Model):
    """The applicant's rating of one dossier: one per dossier (the one-to-one key is the
    unique constraint), written once after the result is returned and never changed."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="rating", verbose_name=_("hồ sơ")
    )
    level = models.PositiveSmallIntegerField(_("mức độ hài lòng chung"), choices=RatingLevel)
    comment = models.TextField(_("góp ý"), blank=True)
    channel = models.CharField(_("đánh giá qua"), max_length=10, choices=RatingChannel)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản đánh giá"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="ratings_received",
        verbose_name=_("cán bộ đã xử lý hồ sơ"),
    )
    created_at = models.DateTimeField(_("thời điểm đánh giá"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=LEVEL_RANGE, name="rating_level_1_5")]
        # The ratings given in a period (Decision 766 indicator 5.4, the dashboards).
        indexes = [models.Index(fields=["created_at"], name="rating_created_at")]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.get_level_display()}"


class RatingAnswer(models.Model):
    """The answer to one question of a rating."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RatingQuestion, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=RatingLevel)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        ordering = ["rating", "question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "question"], name="one_answer_per_question"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="rating_answer_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_level_display()}"
