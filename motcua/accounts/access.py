"""The one place that answers "may this user see / act on this unit's data".

A role held at a unit covers that unit and every unit below it (an officer of a commune
sees the commune's offices and reception points; a provincial auditor sees the province).
Superusers see everything. Forbidden answers look exactly like missing ones: callers raise
`Http404` through `get_visible_unit`, so that nobody can learn which ids exist elsewhere.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from motcua.accounts.models import Role, RoleAssignment, Unit, User

AnyUser = User | AnonymousUser


def current_assignments(user: AnyUser) -> QuerySet[RoleAssignment]:
    """The user's role assignments in force today, with their units."""
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.current().filter(user=user).select_related("unit")


def is_officer(user: AnyUser) -> bool:
    return current_assignments(user).exists()


def visible_units(user: AnyUser) -> QuerySet[Unit]:
    """Every unit whose data the user may see: the subtrees of the units they hold roles in."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    paths = {a.unit.path for a in current_assignments(user)}
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def can_see_unit(user: AnyUser, unit: Unit) -> bool:
    return visible_units(user).filter(pk=unit.pk).exists()


def _held(user: User) -> list[tuple[int, Role]]:
    """(unit id, role) of the user's current assignments, read once per user object and
    day: a request's user is loaded afresh, so a page or an API call asking many questions
    (which actions may I take?) costs one query, not one per question."""
    today = timezone.localdate()
    cached: tuple[dt.date, list[tuple[int, Role]]] | None = getattr(user, "_roles_held", None)
    if cached is None or cached[0] != today:
        rows = (
            RoleAssignment.objects.current(today).filter(user=user).values_list("unit_id", "role")
        )
        cached = (today, [(unit_id, Role(role)) for unit_id, role in rows])
        user.__dict__["_roles_held"] = cached
    return cached[1]


def forget_roles(user: AnyUser) -> None:
    """Drop the roles cached on this user object (after changing their assignments)."""
    user.__dict__.pop("_roles_held", None)


def roles_at(user: AnyUser, unit: Unit) -> set[Role]:
    """The roles the user may exercise at `unit`: those held there or at any unit above it."""
    if not user.is_authenticated or not user.is_active:
        return set()
    above = set(unit.ancestor_ids)
    return {role for unit_id, role in _held(user) if unit_id in above}


def can_act(user: AnyUser, unit: Unit, role: Role) -> bool:
    """May the user act at `unit` in `role`? Auditors only ever look; they never act."""
    return role is not Role.AUDITOR and role in roles_at(user, unit)


def get_visible_unit(user: AnyUser, unit_id: int) -> Unit:
    """The unit if the user may see it; otherwise Http404, whether it exists or not."""
    try:
        return visible_units(user).get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None
