"""Citizen-facing pages. No domain logic here: views read through the domain modules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.accounts.access import is_officer


def home(request: HttpRequest) -> HttpResponse:
    """The front page: a welcome for visitors, the citizen's own page once logged in.

    Officers land on their back-office home instead.
    """
    if request.user.is_authenticated and is_officer(request.user):
        return redirect("backoffice:home")
    if request.user.is_authenticated:
        return render(request, "portal/citizen_home.html")
    return render(request, "portal/welcome.html")
