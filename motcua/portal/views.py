"""Citizen-facing pages. No domain logic here: views read through the domain modules."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from motcua.accounts.access import is_officer
from motcua.core.calendars import get_working_calendar, year_overview
from motcua.dossiers.access import dossiers_for_applicant


def home(request: HttpRequest) -> HttpResponse:
    """The front page: a welcome for visitors, the citizen's own page once logged in.

    Officers land on their back-office home instead.
    """
    if request.user.is_authenticated and is_officer(request.user):
        return redirect("backoffice:home")
    if request.user.is_authenticated:
        dossiers = dossiers_for_applicant(request.user).select_related("procedure_version")
        return render(
            request,
            "portal/citizen_home.html",
            {"dossiers": list(dossiers.order_by("-submitted_at")[:5])},
        )
    return render(request, "portal/welcome.html")


def working_calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """A year's working calendar: twelve month grids, days off and make-up days explained."""
    today = timezone.localdate()
    shown = year if year is not None else today.year
    if not 2000 <= shown <= 2100:
        raise Http404
    calendar = get_working_calendar()
    exceptions = sorted(calendar.exceptions_in_year(shown).values(), key=lambda exc: exc.day)
    return render(
        request,
        "portal/working_calendar.html",
        {
            "year": shown,
            "months": year_overview(calendar, shown),
            "exceptions": exceptions,
            "hours": calendar.hours_on(today if today.year == shown else dt.date(shown, 1, 1)),
            "today": today,
            "previous_year": shown - 1 if shown > 2000 else None,
            "next_year": shown + 1 if shown < 2100 else None,
        },
    )
