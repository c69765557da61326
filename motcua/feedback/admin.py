"""Ratings in the admin: questions are edited here; ratings are read, never changed."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Rating, RatingAnswer, RatingQuestion


@admin.register(RatingQuestion)
class RatingQuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["position", "aspect", "text", "active"]
    list_display_links = ["aspect"]
    list_editable = ["position", "active"]
    list_filter = ["active"]

    def has_delete_permission(
        self, request: HttpRequest, obj: RatingQuestion | None = None
    ) -> bool:
        # Answered questions are kept (answers protect them); switch them off instead.
        return obj is None or not RatingAnswer.objects.filter(question=obj).exists()


class AnswerInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RatingAnswer
    fields = ["question", "level"]
    readonly_fields = ["question", "level"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


SHOWN = ("dossier", "level", "comment", "channel", "rated_by", "officers", "created_at")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "dossier", "level", "channel", "officer_names", "comment"]
    list_filter = ["level", "channel", "created_at"]
    search_fields = ["dossier__code", "comment", "officers__full_name"]
    list_select_related = ["dossier"]
    date_hierarchy = "created_at"
    fields = SHOWN
    readonly_fields = SHOWN
    inlines = [AnswerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rating]:
        return super().get_queryset(request).prefetch_related("officers")

    @admin.display(description=_("Cán bộ đã xử lý"))
    def officer_names(self, rating: Rating) -> str:
        return ", ".join(str(o) for o in rating.officers.all())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
