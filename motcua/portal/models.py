"""The citizen portal's own records: drafts of online submissions (hồ sơ nháp).

A draft belongs to one citizen and pins the procedure version it was started on. It keeps
what was typed, step by step, on the server (so it survives closing the browser or logging
out), and the files uploaded for it, stored as `Document` rows attached to no dossier until
the draft is submitted. Its key, made when the draft starts, is the idempotency key of the
submission: submitting it twice gives one dossier.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component, ProcedureVersion
from motcua.documents.models import Document


def empty_data() -> dict[str, Any]:
    return {}


class SubmissionDraft(models.Model):
    """An online submission being prepared (hồ sơ nháp): its owner, the pinned version, the
    answers of each step as JSON, and the idempotency key of its submission."""

    key = models.UUIDField(_("khóa chống nộp trùng"), default=uuid.uuid4, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="submission_drafts",
        verbose_name=_("người nộp"),
    )
    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("phiên bản thủ tục"),
    )
    data = models.JSONField(_("nội dung đã nhập"), default=empty_data, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    updated_at = models.DateTimeField(_("lưu lần cuối"), default=timezone.now)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["owner", "-updated_at"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="draft_owner_updated")]

    def __str__(self) -> str:
        return f"{self.version.name} ({self.updated_at:%d/%m/%Y %H:%M})"


class DraftUpload(models.Model):
    """A file uploaded for one component of a draft: a `Document` attached to no dossier,
    held for the draft's owner until the draft is submitted (then the dossier adopts it) or
    deleted (then the file is deleted too). One file per component."""

    draft = models.ForeignKey(SubmissionDraft, on_delete=models.CASCADE, related_name="uploads")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tệp của hồ sơ nháp")
        verbose_name_plural = _("tệp của hồ sơ nháp")
        constraints = [
            models.UniqueConstraint(fields=["draft", "component"], name="draft_upload_once")
        ]

    def __str__(self) -> str:
        return self.document.filename
