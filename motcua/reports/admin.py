"""Admin for the reports app: per-unit targets of the Decision 766 figures."""

from __future__ import annotations

from django.contrib import admin

from motcua.reports.rankings_targets import UnitTarget


@admin.register(UnitTarget)
class UnitTargetAdmin(admin.ModelAdmin[UnitTarget]):
    list_display = ("unit", "indicator", "year", "target")
    list_filter = ("year", "indicator")
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
