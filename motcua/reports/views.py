"""The reports index: which units the officer may report on, and the reports there are."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts import access
from motcua.accounts.models import Unit


def report_units(request: HttpRequest) -> list[Unit]:
    """The top units of the officer's visible subtrees (each report covers a unit and
    everything below it); 404 for anyone who is not an officer."""
    if not request.user.is_authenticated or not access.is_officer(request.user):
        raise Http404
    units = list(access.visible_units(request.user).order_by("path"))
    tops: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(top.path) for top in tops):
            tops.append(unit)
    return tops


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"units": report_units(request)})
