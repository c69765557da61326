"""Explicit builders on the plain ORM; tests call them instead of hidden fixtures."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User
from motcua.catalog import versions
from motcua.catalog.folding import fold
from motcua.catalog.models import (
    Component,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
    limit_in_hours,
)

PASSWORD = "matkhau-thu-nghiem"  # noqa: S105 -- the test personas' password
_seq = itertools.count(1)


def make_unit(
    name: str,
    *,
    kind: str = UnitKind.COMMUNE,
    parent: Unit | None = None,
    code: str | None = None,
    **fields: Any,
) -> Unit:
    code = code or f"T{next(_seq):04d}"
    return Unit.objects.create(name=name, kind=kind, parent=parent, code=code, **fields)


def make_user(username: str, full_name: str = "", **fields: Any) -> User:
    user = User(username=username, full_name=full_name or username, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_officer(username: str, full_name: str, unit: Unit, *roles: Role, **fields: Any) -> User:
    user = make_user(username, full_name, **fields)
    for role in roles:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def make_procedure(
    code: str,
    name: str,
    *,
    field: str = "Hộ tịch",
    limit: str = "3",
    unit: str = "working_days",
    steps: tuple[str, ...] | None = None,
    online_mode: str = "full",
    level: str = "commune",
    effective_from: dt.date = dt.date(2025, 7, 1),
    publish: bool = True,
    **version_fields: Any,
) -> ProcedureVersion:
    """A procedure with one version, a component, a fee and steps that add up to its limit.

    `steps` are working-hour budgets of the counted steps; by default the limit split in
    two (reception a quarter, the specialist the rest), plus an uncounted return step.
    """
    field_obj, _ = Field.objects.get_or_create(
        code=fold(field).upper().replace(" ", "_"), defaults={"name": field}
    )
    procedure, _ = Procedure.objects.get_or_create(code=code)
    number = procedure.versions.count() + 1
    defaults: dict[str, Any] = {
        "authority_level": level,
        "competent_unit_kind": UnitKind.COMMUNE,
        "applicants": "Công dân Việt Nam",
        "sequence": "Nộp hồ sơ; tiếp nhận; giải quyết; trả kết quả.",
        "legal_basis": "Luật Hộ tịch năm 2014",
        "publication_decision": "Quyết định số 1/QĐ-UBND",
        "publication_date": dt.date(2025, 6, 30),
        "result_name": "Kết quả giải quyết",
        **version_fields,
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        name=name,
        field=field_obj,
        time_limit_value=Decimal(limit),
        time_limit_unit=unit,
        online_mode=online_mode,
        effective_from=effective_from,
        **defaults,
    )
    Component.objects.create(version=version, position=1, name="Tờ khai", copy_type="original")
    Fee.objects.create(version=version, position=1, name="Lệ phí", amount=Decimal(0))
    total = limit_in_hours(Decimal(limit), unit)
    budgets = [Decimal(b) for b in steps] if steps else [total / 4, total - total / 4]
    roles = [Role.RECEPTION, Role.SPECIALIST, Role.HEAD_OF_OFFICE, Role.SIGNING_LEADER]
    for i, hours in enumerate(budgets, start=1):
        Step.objects.create(
            version=version,
            position=i,
            name=f"Bước {i}",
            role=roles[min(i - 1, 3)],
            unit_kind=UnitKind.COMMUNE,
            budget_hours=hours,
        )
    Step.objects.create(
        version=version,
        position=len(budgets) + 1,
        name="Trả kết quả",
        role=Role.RECEPTION,
        unit_kind=UnitKind.SERVICE_CENTRE,
        budget_hours=Decimal(0),
        counted=False,
    )
    if publish:
        versions.publish(version.pk)
        version.refresh_from_db()
    return version
