"""Validation of Vietnamese personal identity numbers (số định danh cá nhân).

Rule (domain.md A6, B4.5; Luật Căn cước 26/2023/QH15, NĐ 70/2024): 12 digits —
digits 1–3 the province (or country) code where the birth was registered, digit 4 the
century and sex (0/1 = 1900s male/female, 2/3 = 2000s, … 8/9 = 2300s), digits 5–6 the last two
digits of the birth year, digits 7–12 a random sequence. The format is all that can be checked
offline; the number is never the primary key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"\d{12}")


@dataclass(frozen=True)
class IdentityNumber:
    """What the format of an identity number says about its holder."""

    place_code: str
    birth_year: int
    female: bool


def parse_identity_number(value: str) -> IdentityNumber:
    """Parse a 12-digit identity number or raise ValidationError with a Vietnamese message."""
    if not _PATTERN.fullmatch(value or ""):
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="identity_format"
        )
    place = value[:3]
    if place == "000":
        raise ValidationError(
            _("Ba chữ số đầu (mã nơi đăng ký khai sinh) không hợp lệ."), code="identity_place"
        )
    century_sex = int(value[3])
    century = 1900 + (century_sex // 2) * 100
    return IdentityNumber(
        place_code=place,
        birth_year=century + int(value[4:6]),
        female=century_sex % 2 == 1,
    )


def validate_identity_number(value: str) -> None:
    """Django field validator for a personal identity number."""
    parse_identity_number(value)
