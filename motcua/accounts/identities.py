"""Accounts of people who log in through an e-identity provider (VNeID, OpenID Connect).

The provider has verified the person, so their identity number, name, date of birth and
address are taken from it and kept on the account to pre-fill forms (domain.md B5.4). An
account is found by the provider's subject first, then by the identity number (the demo's
citizens, or a person an officer registered at the desk), and only then created; every
login updates it, none duplicates it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import validate_identity_number
from motcua.accounts.login_names import validate_mobile_phone
from motcua.accounts.models import ExternalIdentity, User


class IdentityRefused(Exception):
    """The person cannot be logged in this way; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VerifiedPerson:
    """What the provider asserts about the person."""

    issuer: str
    subject: str
    identity_number: str
    full_name: str
    date_of_birth: dt.date | None = None
    address: str = ""
    email: str = ""
    phone: str = ""


@transaction.atomic
def sign_in_with_identity(person: VerifiedPerson) -> User:
    """The account for this person, created or brought up to date from the provider."""
    validate_identity_number(person.identity_number)
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=person.issuer, subject=person.subject)
        .first()
    )
    if link is not None:
        user = link.user
        if user.identity_number and user.identity_number != person.identity_number:
            raise IdentityRefused(
                str(_("Số định danh nhận được không khớp với tài khoản đã liên kết."))
            )
    else:
        found = User.objects.filter(identity_number=person.identity_number).first()
        if found is not None and (found.is_staff or found.is_superuser or found.roles.exists()):
            # Officers work with their official accounts (domain.md B5.4), never through a
            # citizen's e-identity login.
            raise IdentityRefused(
                str(
                    _(
                        "Số định danh này thuộc một tài khoản cán bộ. "
                        "Vui lòng đăng nhập bằng tài khoản công vụ."
                    )
                )
            )
        user = found or _new_user(person)
        link = ExternalIdentity.objects.create(
            user=user, issuer=person.issuer, subject=person.subject
        )
    if not user.is_active:
        raise IdentityRefused(str(_("Tài khoản này đã bị khóa.")))
    _update_profile(user, person)
    link.last_login_at = timezone.now()
    link.save(update_fields=["last_login_at"])
    return user


def _new_user(person: VerifiedPerson) -> User:
    username, n = person.identity_number, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{person.identity_number}-{n}"
    user = User(username=username, identity_number=person.identity_number)
    user.set_unusable_password()
    user.save()
    return user


def _update_profile(user: User, person: VerifiedPerson) -> None:
    user.identity_number = person.identity_number
    user.full_name = person.full_name or user.full_name
    user.date_of_birth = person.date_of_birth or user.date_of_birth
    user.address = person.address[:255] or user.address
    changed = ["identity_number", "full_name", "date_of_birth", "address"]
    # Contact details only fill empty fields, and only when no other account uses them.
    email = person.email.strip().lower()
    if email and not user.email and not User.objects.filter(email__iexact=email).exists():
        user.email = email
        changed.append("email")
    try:
        phone = validate_mobile_phone(person.phone) if person.phone else ""
    except ValidationError:
        phone = ""
    if phone and not user.phone and not User.objects.filter(phone=phone).exists():
        user.phone = phone
        changed.append("phone")
    user.save(update_fields=changed)
