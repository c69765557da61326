"""The one place that answers "may this user see / act on this unit's data".

A role held at a unit covers that unit and every unit below it (an officer of a commune
sees the commune's offices and reception points; a provincial auditor sees the province).
Superusers see everything. Forbidden answers look exactly like missing ones: callers raise
`Http404` through `get_visible_unit`, so that nobody can learn which ids exist elsewhere.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

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


def roles_at(user: AnyUser, unit: Unit) -> set[Role]:
    """The roles the user may exercise at `unit`: those held there or at any unit above it."""
    if not user.is_authenticated:
        return set()
    held = current_assignments(user).filter(unit_id__in=unit.ancestor_ids)
    return {Role(role) for role in held.values_list("role", flat=True)}


def can_act(user: AnyUser, unit: Unit, role: Role) -> bool:
    """May the user act at `unit` in `role`? Auditors only ever look; they never act."""
    return role is not Role.AUDITOR and role in roles_at(user, unit)


def get_visible_unit(user: AnyUser, unit_id: int) -> Unit:
    """The unit if the user may see it; otherwise Http404, whether it exists or not."""
    try:
        return visible_units(user).get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None
