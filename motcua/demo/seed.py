"""The demo province: Thanh Hóa after the 1 July 2025 reform.

All 166 communes and wards come from the `vietnam-provinces` package with their official
codes (never typed by hand). Agency identifiers (mã định danh điện tử) for the demo are
generated in the QĐ 20/2020/QĐ-TTg left-to-right style from the province's identifier H56:
`H56` the province, `H56.01`… the provincial centre and departments, `H56.<ward code>` each
commune and `H56.<ward code>.01` its public administration service centre. They are demo
values, not the officially issued ones; a deployment imports its own.

Every function is deterministic and idempotent: units are keyed by identifier and users by
user name, and nothing is overwritten by a second run (passwords are set only on creation).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from tqdm import tqdm
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User
from motcua.catalog.demo import load_demo_catalog
from motcua.catalog.models import Procedure
from motcua.demo.dossiers import seed_certificates, seed_dossiers
from motcua.dossiers.models import Dossier

PROVINCE_CODE = 38  # Thanh Hóa
PROVINCE_IDENTIFIER = "H56"
REFORM_DATE = dt.date(2025, 7, 1)
DEMO_PASSWORD = "motcua2026"  # noqa: S105 -- the demo's published password, printed at start

COMMUNE_A = 14797  # Phường Hạc Thành, the provincial capital's central ward
COMMUNE_B = 16522  # Phường Quảng Phú

# (identifier suffix, name, kind)
PROVINCIAL_UNITS = [
    ("01", "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa", UnitKind.SERVICE_CENTRE),
    ("02", "Sở Tư pháp tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("03", "Sở Tài chính tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("04", "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("05", "Sở Xây dựng tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("06", "Sở Nội vụ tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("07", "Sở Y tế tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("08", "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa", UnitKind.DEPARTMENT),
    ("09", "Công an tỉnh Thanh Hóa", UnitKind.VERTICAL_AGENCY),
]
JUSTICE_DEPARTMENT = "H56.02"
DEPARTMENT_OFFICES = [
    ("H56.02", "01", "Phòng Hành chính tư pháp"),
    ("H56.02", "02", "Phòng Bổ trợ tư pháp"),
    ("H56.04", "01", "Văn phòng Đăng ký đất đai"),
    ("H56.03", "01", "Phòng Đăng ký kinh doanh"),
]

# The former district-level city whose wards became Phường Hạc Thành (demo of the merge links).
FORMER_CITY = ("000.00.01.H56", "UBND thành phố Thanh Hóa (cấp huyện, trước 01/7/2025)")


@dataclass(frozen=True)
class DemoOfficer:
    username: str
    full_name: str
    role: Role
    unit_code: str
    title: str = ""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    unit: str


def _commune_code(ward_code: int) -> str:
    return f"{PROVINCE_IDENTIFIER}.{ward_code:05d}"


OFFICERS: list[DemoOfficer] = [
    # Commune A — Phường Hạc Thành: the personas Bình and Chi and a full team.
    DemoOfficer(
        "binh", "Lê Thị Bình", Role.RECEPTION, _commune_code(COMMUNE_A), "Công chức một cửa"
    ),
    DemoOfficer(
        "chi",
        "Phạm Minh Chi",
        Role.SPECIALIST,
        _commune_code(COMMUNE_A),
        "Công chức tư pháp – hộ tịch",
    ),
    DemoOfficer(
        "giang",
        "Đỗ Văn Giang",
        Role.HEAD_OF_OFFICE,
        _commune_code(COMMUNE_A),
        "Trưởng phòng Văn hóa – Xã hội",
    ),
    DemoOfficer(
        "hung",
        "Nguyễn Quốc Hùng",
        Role.SIGNING_LEADER,
        _commune_code(COMMUNE_A),
        "Phó Chủ tịch UBND phường",
    ),
    DemoOfficer("khanh", "Vũ Thị Khánh", Role.REGISTRY, _commune_code(COMMUNE_A), "Văn thư"),
    DemoOfficer(
        "lam", "Hoàng Văn Lâm", Role.UNIT_ADMIN, _commune_code(COMMUNE_A), "Quản trị hệ thống"
    ),
    DemoOfficer("mai", "Trịnh Thị Mai", Role.AUDITOR, _commune_code(COMMUNE_A), "Thanh tra"),
    # Commune B — Phường Quảng Phú: Dũng, who must never see commune A's data, and a team.
    DemoOfficer(
        "dung", "Trần Văn Dũng", Role.RECEPTION, _commune_code(COMMUNE_B), "Công chức một cửa"
    ),
    DemoOfficer(
        "nga",
        "Lê Thị Nga",
        Role.SPECIALIST,
        _commune_code(COMMUNE_B),
        "Công chức tư pháp – hộ tịch",
    ),
    DemoOfficer(
        "oanh",
        "Phạm Thị Oanh",
        Role.HEAD_OF_OFFICE,
        _commune_code(COMMUNE_B),
        "Trưởng phòng Kinh tế",
    ),
    DemoOfficer(
        "phuc", "Lê Văn Phúc", Role.SIGNING_LEADER, _commune_code(COMMUNE_B), "Chủ tịch UBND phường"
    ),
    DemoOfficer("quynh", "Ngô Thị Quỳnh", Role.REGISTRY, _commune_code(COMMUNE_B), "Văn thư"),
    DemoOfficer(
        "son", "Bùi Văn Sơn", Role.UNIT_ADMIN, _commune_code(COMMUNE_B), "Quản trị hệ thống"
    ),
    DemoOfficer("tam", "Đinh Thị Tâm", Role.AUDITOR, _commune_code(COMMUNE_B), "Thanh tra"),
    # Department of Justice.
    DemoOfficer("uyen", "Mai Thị Uyên", Role.RECEPTION, "H56.01", "Công chức Trung tâm PVHCC tỉnh"),
    DemoOfficer(
        "vinh",
        "Lương Văn Vinh",
        Role.SPECIALIST,
        JUSTICE_DEPARTMENT,
        "Chuyên viên Phòng Hành chính tư pháp",
    ),
    DemoOfficer(
        "xuan",
        "Cao Thị Xuân",
        Role.HEAD_OF_OFFICE,
        JUSTICE_DEPARTMENT,
        "Trưởng phòng Hành chính tư pháp",
    ),
    DemoOfficer(
        "yen", "Đặng Văn Yên", Role.SIGNING_LEADER, JUSTICE_DEPARTMENT, "Phó Giám đốc Sở Tư pháp"
    ),
    DemoOfficer("thao", "Tạ Thị Thảo", Role.REGISTRY, JUSTICE_DEPARTMENT, "Văn thư Sở"),
    DemoOfficer(
        "tuan", "Kiều Văn Tuấn", Role.UNIT_ADMIN, JUSTICE_DEPARTMENT, "Quản trị hệ thống Sở"
    ),
    DemoOfficer("thu", "Phan Thị Thu", Role.AUDITOR, PROVINCE_IDENTIFIER, "Thanh tra tỉnh"),
    DemoOfficer("tai", "Lý Văn Tài", Role.RECEPTION, JUSTICE_DEPARTMENT, "Công chức một cửa Sở"),
]

# (username, full name, identity number, phone, e-mail)
CITIZENS = [
    ("an", "Nguyễn Văn An", "038090001234", "0912345678", "an@example.vn"),
    ("ha", "Trần Thị Hà", "038195004567", "0987654321", "ha@example.vn"),
]
ADMIN = ("quantri", "Quản trị hệ thống")


def demo_logins() -> list[DemoLogin]:
    """The logins `motcua demo` prints, one per role and persona."""
    units = dict(Unit.objects.values_list("code", "name"))
    logins = [DemoLogin("Quản trị hệ thống (admin)", ADMIN[0], DEMO_PASSWORD, "—")]
    logins += [DemoLogin("Công dân", c[0], DEMO_PASSWORD, c[1]) for c in CITIZENS]
    logins += [
        DemoLogin(str(o.role.label), o.username, DEMO_PASSWORD, units.get(o.unit_code, o.unit_code))
        for o in OFFICERS
    ]
    return logins


@dataclass
class SeedReport:
    units: int = 0
    units_created: int = 0
    users: int = 0
    users_created: int = 0
    procedures: int = 0
    procedures_created: int = 0
    dossiers: int = 0
    dossiers_created: int = 0
    certificates_created: int = 0

    def summary(self) -> str:
        return (
            f"Dữ liệu mẫu tỉnh Thanh Hóa: {self.units} đơn vị ({self.units_created} mới), "
            f"{self.users} tài khoản ({self.users_created} mới), "
            f"{self.procedures} thủ tục hành chính ({self.procedures_created} mới), "
            f"{self.dossiers} hồ sơ ({self.dossiers_created} mới), "
            f"{self.certificates_created} chứng thư số thử nghiệm mới."
        )


def _unit_rows() -> Iterable[dict[str, object]]:
    """Every unit of the demo province, parents before children."""
    province = Province.from_code(ProvinceCode(PROVINCE_CODE))
    yield {
        "code": PROVINCE_IDENTIFIER,
        "name": f"UBND tỉnh {province.name}",
        "short_name": province.name,
        "kind": UnitKind.PROVINCE,
        "area_code": f"{PROVINCE_CODE:02d}",
        "address": "35 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
        "parent": None,
        "valid_from": REFORM_DATE,
    }
    yield {
        "code": FORMER_CITY[0],
        "name": FORMER_CITY[1],
        "kind": UnitKind.OTHER,
        "parent": PROVINCE_IDENTIFIER,
        "valid_to": REFORM_DATE,
    }
    for suffix, name, kind in PROVINCIAL_UNITS:
        yield {
            "code": f"{PROVINCE_IDENTIFIER}.{suffix}",
            "name": name,
            "kind": kind,
            "parent": PROVINCE_IDENTIFIER,
            "valid_from": REFORM_DATE,
        }
    for parent, suffix, name in DEPARTMENT_OFFICES:
        yield {
            "code": f"{parent}.{suffix}",
            "name": name,
            "kind": UnitKind.OFFICE,
            "parent": parent,
            "valid_from": REFORM_DATE,
        }
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: w.code.value)
    for ward in wards:
        code = _commune_code(ward.code.value)
        label = {
            VietNamDivisionType.PHUONG: "phường",
            VietNamDivisionType.XA: "xã",
            VietNamDivisionType.DAC_KHU: "đặc khu",
        }[ward.division_type]
        yield {
            "code": code,
            "name": f"UBND {ward.name}",
            "short_name": ward.name,
            "kind": UnitKind.COMMUNE,
            "area_code": f"{ward.code.value:05d}",
            "address": f"{ward.name}, tỉnh {province.name}",
            "parent": PROVINCE_IDENTIFIER,
            "valid_from": REFORM_DATE,
        }
        yield {
            "code": f"{code}.01",
            "name": f"Trung tâm Phục vụ hành chính công {label} {ward.name.split(' ', 1)[1]}",
            "kind": UnitKind.SERVICE_CENTRE,
            "address": f"{ward.name}, tỉnh {province.name}",
            "parent": code,
            "valid_from": REFORM_DATE,
        }


def seed_organisation(report: SeedReport, *, progress: bool = True) -> None:
    rows = list(_unit_rows())
    by_code: dict[str, Unit] = {}
    for row in tqdm(rows, desc="Đơn vị", unit=" đv", disable=not progress):
        fields = dict(row)
        code = str(fields.pop("code"))
        parent_code = fields.pop("parent")
        fields["parent"] = by_code[str(parent_code)] if parent_code else None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit.objects.create(code=code, **fields)
            report.units_created += 1
        by_code[code] = unit
    report.units = len(rows)
    commune_a = by_code[_commune_code(COMMUNE_A)]
    commune_a.predecessors.add(by_code[FORMER_CITY[0]])


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; every demo account shares one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def _user(username: str, full_name: str, report: SeedReport, **extra: object) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, **extra)
        user.password = _demo_password_hash()
        user.save()
        report.users_created += 1
    report.users += 1
    return user


def seed_people(report: SeedReport, *, progress: bool = True) -> None:
    _user(ADMIN[0], ADMIN[1], report, is_staff=True, is_superuser=True)
    for username, full_name, identity, phone, email in CITIZENS:
        _user(username, full_name, report, identity_number=identity, phone=phone, email=email)
    units = {u.code: u for u in Unit.objects.filter(code__in={o.unit_code for o in OFFICERS})}
    for officer in tqdm(OFFICERS, desc="Cán bộ", unit=" người", disable=not progress):
        user = _user(
            officer.username, officer.full_name, report, email=f"{officer.username}@thanhhoa.gov.vn"
        )
        RoleAssignment.objects.get_or_create(
            user=user,
            unit=units[officer.unit_code],
            role=officer.role,
            defaults={"title": officer.title, "valid_from": REFORM_DATE},
        )


def seed_demo(*, progress: bool = True) -> SeedReport:
    """Create the demo province, its officers, citizens, procedure catalogue and a few
    dossiers; a second run changes nothing."""
    report = SeedReport()
    with transaction.atomic():
        seed_organisation(report, progress=progress)
        seed_people(report, progress=progress)
        report.procedures_created = load_demo_catalog(progress=progress).procedures_created
        report.procedures = Procedure.objects.count()
    # demo certification authority and a signing certificate for every officer
    report.certificates_created = seed_certificates()
    # each dossier action is its own transaction, as in real use
    report.dossiers_created = seed_dossiers()
    report.dossiers = Dossier.objects.count()
    return report
