"""The fixed cast every test shares (conventions.md §9).

- An, a citizen, and Hà, another citizen who must never see An's dossiers;
- Bình, reception officer of commune A; Chi, specialist of commune A;
- Dũng, reception officer of commune B, who must never see commune A's data;
- Thu, auditor of the province (sees everything, acts on nothing);
- Giang, head of office, and Hùng, signing leader, of commune A (the rest of A's team).
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.accounts.models import Role, Unit, UnitKind, User
from motcua.testing.builders import make_officer, make_unit, make_user


@dataclass
class Personas:
    province: Unit
    commune_a: Unit
    centre_a: Unit
    commune_b: Unit
    an: User
    ha: User
    binh: User
    chi: User
    dung: User
    thu: User
    giang: User
    hung: User


def build_personas() -> Personas:
    province = make_unit("UBND tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE, code="H99")
    commune_a = make_unit("UBND phường A", parent=province, code="H99.00001", area_code="00001")
    centre_a = make_unit(
        "Trung tâm PVHCC phường A",
        kind=UnitKind.SERVICE_CENTRE,
        parent=commune_a,
        code="H99.00001.01",
    )
    commune_b = make_unit("UBND phường B", parent=province, code="H99.00002", area_code="00002")
    return Personas(
        province=province,
        commune_a=commune_a,
        centre_a=centre_a,
        commune_b=commune_b,
        an=make_user("an", "Nguyễn Văn An", identity_number="038090001234", phone="0912345678"),
        ha=make_user("ha", "Trần Thị Hà", identity_number="038195004567"),
        binh=make_officer("binh", "Lê Thị Bình", commune_a, Role.RECEPTION),
        chi=make_officer("chi", "Phạm Minh Chi", commune_a, Role.SPECIALIST),
        dung=make_officer("dung", "Trần Văn Dũng", commune_b, Role.RECEPTION),
        thu=make_officer("thu", "Phan Thị Thu", province, Role.AUDITOR),
        giang=make_officer("giang", "Đỗ Văn Giang", commune_a, Role.HEAD_OF_OFFICE),
        hung=make_officer("hung", "Nguyễn Quốc Hùng", commune_a, Role.SIGNING_LEADER),
    )
