"""From the provider's claims to a `VerifiedPerson`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.accounts.identities import IdentityRefused, VerifiedPerson
from motcua.accounts.identity import validate_identity_number


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 -- a date
        except ValueError:
            continue
    return None


def _address(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        if value.get("formatted"):
            return str(value["formatted"]).strip()
        parts = [value.get(k) for k in ("street_address", "locality", "region")]
        return ", ".join(str(p).strip() for p in parts if p)
    return ""


def person_from_claims(issuer: str, claims: Mapping[str, Any]) -> VerifiedPerson:
    """The person the claims describe; IdentityRefused if the identity number is missing
    or malformed (the claim's name is settings.OIDC_IDENTITY_CLAIM)."""
    number = str(claims.get(settings.OIDC_IDENTITY_CLAIM) or "").strip()
    try:
        validate_identity_number(number)
    except ValidationError as error:
        raise IdentityRefused(
            _("Hệ thống định danh không trả về số định danh cá nhân hợp lệ.")
        ) from error
    return VerifiedPerson(
        issuer=issuer,
        subject=str(claims["sub"]),
        identity_number=number,
        full_name=" ".join(str(claims.get("name") or "").split()),
        date_of_birth=_date(claims.get("birthdate")),
        address=_address(claims.get("address")),
        email=str(claims.get("email") or ""),
        phone=str(claims.get("phone_number") or ""),
    )
