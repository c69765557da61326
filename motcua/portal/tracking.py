"""Public tracking of a dossier without logging in: by its code and lookup secret, as
printed on the receipt and in the QR code of every form. Shows the status, due time,
procedure and unit, and no personal data beyond a masked name.

Looking up is rate-limited per client address, and a wrong code and a wrong secret get
the same answer, so the page cannot be used to discover which codes exist."""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from motcua.dossiers.models import Dossier
from motcua.dossiers.status import DossierStatus

LOOKUPS_PER_WINDOW = 20
WINDOW_SECONDS = 600


class TrackingForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=60, strip=True)
    k = forms.CharField(label=_("Mã tra cứu"), max_length=12, strip=True)


def mask_name(name: str) -> str:
    """«Nguyễn Thị Hà» → «N. T. Hà»: enough for the applicant to recognise, not to identify."""
    words = name.split()
    if not words:
        return ""
    return " ".join([*(f"{w[0]}." for w in words[:-1]), words[-1]])


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _over_limit(request: HttpRequest) -> bool:
    key = f"motcua:track:{client_address(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > LOOKUPS_PER_WINDOW


def find(code: str, secret: str) -> Dossier | None:
    dossier = (
        Dossier.objects.select_related("procedure_version", "competent_unit", "receiving_centre")
        .filter(code=code.strip())
        .first()
    )
    if dossier is None or not hmac.compare_digest(dossier.lookup_secret, secret.strip().upper()):
        return None
    return dossier


def rating_url(dossier: Dossier) -> str:
    """Where a returned dossier is rated without logging in (the same code and secret)."""
    if dossier.status != DossierStatus.RETURNED:
        return ""
    query = urlencode({"ma": dossier.code, "k": dossier.lookup_secret})
    return f"{reverse('rate_by_code')}?{query}"


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    asked = "ma" in request.GET or "k" in request.GET
    form = TrackingForm(request.GET if asked else None)
    dossier = None
    not_found = False
    if asked and form.is_valid():
        if _over_limit(request):
            response = render(request, "portal/tracking.html", {"form": form, "limited": True})
            response.status_code = 429
            response["Retry-After"] = str(WINDOW_SECONDS)
            return response
        dossier = find(form.cleaned_data["ma"], form.cleaned_data["k"])
        not_found = dossier is None
    return render(
        request,
        "portal/tracking.html",
        {
            "form": form,
            "dossier": dossier,
            "masked_name": mask_name(dossier.applicant_name) if dossier else "",
            "rating_url": rating_url(dossier) if dossier else "",
            "not_found": not_found,
        },
        status=404 if not_found else 200,
    )
