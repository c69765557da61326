"""The simulated citizens. Names, identity numbers (valid by format, domain.md A6:
038 = Thanh Hóa, then century/sex and year of birth), dates of birth and addresses in Thanh
Hóa after the 1 July 2025 reform. An and Hà are the demo's citizens `an` and `ha`, so that
logging in through the simulator finds their accounts and dossiers."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class SimulatedCitizen:
    key: str
    full_name: str
    identity_number: str
    birthdate: dt.date
    gender: str  # OIDC "male" / "female"
    address: str
    phone: str
    email: str

    @property
    def subject(self) -> str:
        """An opaque, stable identifier at the provider (not the identity number)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"vneid-mo-phong:{self.identity_number}"))

    def claims(self, identity_claim: str) -> dict[str, object]:
        return {
            "sub": self.subject,
            "name": self.full_name,
            identity_claim: self.identity_number,
            "birthdate": self.birthdate.isoformat(),
            "gender": self.gender,
            "address": {"formatted": self.address, "region": "Thanh Hóa", "country": "VN"},
            "phone_number": self.phone,
            "email": self.email,
        }


CITIZENS = [
    SimulatedCitizen(
        "an",
        "Nguyễn Văn An",
        "038090001234",
        dt.date(1990, 5, 12),
        "male",
        "Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
        "0912345678",
        "an@example.vn",
    ),
    SimulatedCitizen(
        "ha",
        "Trần Thị Hà",
        "038195004567",
        dt.date(1995, 9, 2),
        "female",
        "Số 5 phố Nguyễn Trãi, phường Quảng Phú, tỉnh Thanh Hóa",
        "0987654321",
        "ha@example.vn",
    ),
    SimulatedCitizen(
        "cuong",
        "Lê Văn Cường",
        "038088012345",
        dt.date(1988, 11, 20),
        "male",
        "Thôn Trung Chính, xã Hoằng Hóa, tỉnh Thanh Hóa",
        "0977123456",
        "cuong@example.vn",
    ),
    SimulatedCitizen(
        "lan",
        "Hoàng Thị Lan",
        "038301000789",
        dt.date(2001, 3, 8),
        "female",
        "Số 20 đường Trần Phú, phường Sầm Sơn, tỉnh Thanh Hóa",
        "0356789012",
        "lan@example.vn",
    ),
]

BY_KEY = {citizen.key: citizen for citizen in CITIZENS}
