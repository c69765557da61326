from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.core.models import CalendarOverride, WorkingHoursProfile


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["day", "kind", "name", "legal_source", "unit"]
    list_filter = ["kind", "day"]
    search_fields = ["name", "occasion", "legal_source", "unit__name"]
    date_hierarchy = "day"
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fields = ["day", "kind", "name", "occasion", "legal_source", "unit"]


@admin.register(WorkingHoursProfile)
class WorkingHoursProfileAdmin(admin.ModelAdmin[WorkingHoursProfile]):
    list_display = [
        "name",
        "unit",
        "valid_from",
        "valid_to",
        "yearly",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "cutoff",
    ]
    list_filter = ["yearly"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = [
        (None, {"fields": ["name", "unit"]}),
        (_("Thời gian áp dụng"), {"fields": ["valid_from", "valid_to", "yearly"]}),
        (
            _("Giờ làm việc"),
            {
                "fields": [
                    ("morning_start", "morning_end"),
                    ("afternoon_start", "afternoon_end"),
                    "cutoff",
                ]
            },
        ),
    ]
