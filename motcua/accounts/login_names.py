"""The names a person can log in with: user name, e-mail address or phone number.

Phone numbers are kept in the national form 0xxxxxxxxx; what people type (+84 912 345 678,
0912.345.678) is normalised before it is compared or stored.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User

# Vietnamese mobile numbers after the 2018 renumbering: 10 digits, 03x/05x/07x/08x/09x.
_MOBILE = re.compile(r"0[35789]\d{8}")
_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise_phone(value: str) -> str:
    """«+84 912.345.678» → «0912345678»; anything else is returned stripped of separators."""
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_mobile_phone(value: str) -> str:
    """The normalised mobile number, or ValidationError with a Vietnamese message."""
    phone = normalise_phone(value)
    if not _MOBILE.fullmatch(phone):
        raise ValidationError(
            _("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."),
            code="phone_format",
        )
    return phone


def looks_like_phone(value: str) -> bool:
    return bool(re.fullmatch(r"\+?[\d\s.\-()]{9,}", value.strip()))


def find_user(login_name: str) -> User | None:
    """The one account the name typed at login designates, or None.

    A name with "@" is an e-mail address (any case); digits are a phone number; anything
    else, and anything not found that way, is a user name.
    """
    name = login_name.strip()
    if not name:
        return None
    if "@" in name:
        by_email = list(User.objects.filter(email__iexact=name)[:2])
        if len(by_email) == 1:
            return by_email[0]
    elif looks_like_phone(name):
        by_phone = list(User.objects.filter(phone=normalise_phone(name))[:2])
        if len(by_phone) == 1:
            return by_phone[0]
    return User.objects.filter(username=name).first()
