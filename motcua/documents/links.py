"""Public addresses printed on documents (in text and in QR codes)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from motcua.dossiers.models import Dossier


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def tracking_url(dossier: Dossier) -> str:
    """The public tracking page of a dossier, opened without logging in (code + secret)."""
    query = urlencode({"ma": dossier.code, "k": dossier.lookup_secret})
    return absolute(f"{reverse('track')}?{query}")


def verification_url() -> str:
    """The public page that checks the digital signatures of a PDF."""
    return absolute(reverse("verify"))
