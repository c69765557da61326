"""Template helpers of the back office: accessible form widgets and the time-left text."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    """The widget, tied to its error and help texts (aria-describedby, aria-invalid)."""
    ids = []
    attrs: dict[str, Any] = {}
    if field.errors:
        ids.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if field.help_text:
        ids.append(f"{field.auto_id}-help")
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)


@register.filter
def holds(assignments: Any, role: str) -> bool:
    """Does one of these role assignments carry `role`?"""
    return any(a.role == role for a in assignments or ())
