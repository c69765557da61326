"""Explicit builders on the plain ORM; tests call them instead of hidden fixtures."""

from __future__ import annotations

import itertools
from typing import Any

from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User

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
