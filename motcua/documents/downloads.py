"""Downloading a dossier's files, behind the access check (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def download(request: HttpRequest, public_id: object) -> HttpResponse:
    raise Http404
