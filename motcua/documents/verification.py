"""The public signature verification page (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def verify(request: HttpRequest) -> HttpResponse:
    raise Http404
