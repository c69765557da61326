"""The citizen's own pages: their dossiers, and their document store (kho dữ liệu).
Everything is filtered by the logged-in owner; anything else is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.documents.models import DocumentKind, StoreItem
from motcua.dossiers import access
from motcua.dossiers.models import Arrival


@login_required
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = access.get_dossier_for_applicant(request.user, dossier_id)
    components = list(dossier.components.prefetch_related("files"))
    return render(
        request,
        "portal/my_dossier.html",
        {
            "dossier": dossier,
            "components": components,
            "reused": sum(1 for c in components if c.arrival == Arrival.REUSED),
            "documents": list(
                dossier.documents.exclude(kind=DocumentKind.COMPONENT).order_by("created_at")
            ),
        },
    )


@login_required
def document_store(request: HttpRequest) -> HttpResponse:
    items = (
        StoreItem.objects.filter(owner_id=request.user.pk)
        .select_related("document_type", "document", "source_dossier")
        .order_by("-added_at")
    )
    return render(request, "portal/document_store.html", {"items": list(items)})
