"""Template context for the header: the officer's current units and roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from motcua.accounts.access import current_assignments


def officer_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignments = list(current_assignments(user))
    return {
        "role_assignments": assignments,
        "primary_assignment": assignments[0] if assignments else None,
    }
