"""Writing a dossier's files through Django's storage API (local disk by default,
S3-compatible by setting), each with its SHA-256, under a random name."""

from __future__ import annotations

import contextvars
import functools
import hashlib
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from motcua.documents.models import Document

P = ParamSpec("P")
R = TypeVar("R")

# Names written while a `discard_files_on_failure` call runs, to remove if it fails.
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "motcua_files_written", default=None
)


def discard_files_on_failure(function: Callable[P, R]) -> Callable[P, R]:
    """Wrap a transactional function (outside its `transaction.atomic`): when it raises,
    the files it wrote are removed, since the rows naming them were rolled back."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _written.get() is not None:  # an outer call already watches
            return function(*args, **kwargs)
        written: list[str] = []
        token = _written.set(written)
        try:
            return function(*args, **kwargs)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        finally:
            _written.reset(token)

    return wrapper


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
    name = str(document.file.name)
    written = _written.get()
    if written is not None:
        written.append(name)
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(name)
        raise
    return document
