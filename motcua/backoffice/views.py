"""Officer-facing pages. Access is decided by `motcua.accounts.access`; nothing else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts import access
from motcua.accounts.models import RoleAssignment


def _require_officer(request: HttpRequest) -> None:
    if not (request.user.is_superuser or access.is_officer(request.user)):
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The officer's home: their units and roles, each unit one click away."""
    _require_officer(request)
    return render(
        request,
        "backoffice/home.html",
        {"assignments": access.current_assignments(request.user)},
    )


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's page: what it is, where it sits, the units below it and its officers."""
    _require_officer(request)
    unit = access.get_visible_unit(request.user, unit_id)
    ancestors = access.visible_units(request.user).filter(pk__in=unit.ancestor_ids)
    staff = (
        RoleAssignment.objects.current()
        .filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "backoffice/unit_detail.html",
        {
            "unit": unit,
            "breadcrumbs": sorted(ancestors, key=lambda u: len(u.path)),
            "children": unit.children.order_by("kind", "name"),
            "staff": staff,
            "my_roles": sorted(access.roles_at(request.user, unit)),
        },
    )
