"""Writing a dossier's files through Django's storage API (local disk by default,
S3-compatible by setting), each with its SHA-256, under a random name."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile

from motcua.documents.models import Document


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_bytes(content: bytes, *, filename: str, content_type: str, **fields: Any) -> Document:
    """Save `content` and its Document row (`fields` are the row's other fields). If the row
    cannot be written, the file is removed again: no file is left without its row."""
    document = Document(
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=sha256_of(content),
        **fields,
    )
    document.file.save(filename, ContentFile(content), save=False)
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document
