"""Downloading a dossier's files, behind the access check.

A file is served only through `/tai-lieu/<public_id>/`, never from the storage's own URL
(no MEDIA_URL route exists). The dossier's applicant and the officers who may see the
dossier (`dossiers.access.can_see`) get the file; everyone else — anonymous visitors
included — gets 404, exactly as for a file that does not exist. An officer opening a paper
reused from a citizen's document store leaves a `StoreAccess` row.

Files are always sent as attachments with `nosniff` and a sandboxing CSP, so even a file
that slipped past the upload checks is never rendered as a page of this site.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_safe

from motcua.documents.models import Document, StoreAccess
from motcua.dossiers.access import can_see


def download_url(document: Document) -> str:
    """The one address of a document (relative; behind the access check)."""
    return reverse("document_download", args=[document.public_id])


@require_safe
def download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    document = (
        Document.objects.select_related("dossier", "reused_from")
        .filter(public_id=public_id, dossier__isnull=False)
        .first()
    )
    user = request.user
    if document is None or document.dossier is None or not can_see(user, document.dossier):
        raise Http404
    dossier = document.dossier
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    item = document.reused_from
    if (
        item is not None
        and user.is_authenticated
        and request.method == "GET"
        and user.pk != item.owner_id
        and user.pk != dossier.applicant_id
    ):
        StoreAccess.objects.create(item=item, officer=user, dossier=dossier)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
