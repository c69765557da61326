"""Public tracking of a dossier by its code and lookup secret (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def track(request: HttpRequest) -> HttpResponse:
    raise Http404
