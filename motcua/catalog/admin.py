"""Catalogue administration: a procedure's versions, each edited with its components, fees,
variants and internal steps while it is a draft; publish, withdraw, copy to a new draft and
compare with the previous version.

Published and withdrawn versions are read-only here: dossiers pin them, so they never change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.catalog import versions
from motcua.catalog.interchange import CatalogImportError, RowError, export_file, import_file
from motcua.catalog.models import (
    Component,
    DocumentType,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
    Variant,
    VersionStatus,
)


class _DraftOnlyInline:
    """Inline rows can be changed only while their version is a draft."""

    def _editable(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class ComponentInline(_DraftOnlyInline, admin.TabularInline[Component, ProcedureVersion]):
    model = Component
    extra = 0
    autocomplete_fields = ["document_type"]


class FeeInline(_DraftOnlyInline, admin.TabularInline[Fee, ProcedureVersion]):
    model = Fee
    extra = 0


class VariantInline(_DraftOnlyInline, admin.TabularInline[Variant, ProcedureVersion]):
    model = Variant
    extra = 0


class StepInline(_DraftOnlyInline, admin.TabularInline[Step, ProcedureVersion]):
    model = Step
    extra = 0


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin[Field]):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin[DocumentType]):
    list_display = ["name", "code", "valid_days"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "valid_days"]


class VersionLinkInline(admin.TabularInline[ProcedureVersion, Procedure]):
    model = ProcedureVersion
    extra = 0
    readonly_fields = [
        "link",
        "status",
        "effective_from",
        "effective_to",
        "time_limit_value",
        "time_limit_unit",
    ]
    fields = (
        "link",
        "status",
        "effective_from",
        "effective_to",
        "time_limit_value",
        "time_limit_unit",
    )
    can_delete = False
    show_change_link = True

    @admin.display(description=_("phiên bản"))
    def link(self, obj: ProcedureVersion) -> str:
        return format_html("v{} — {}", obj.number, obj.name)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.json hoặc .xlsx)"),
        help_text=_("Nhập tất cả hoặc không nhập gì: một dòng lỗi thì không ghi dòng nào."),
    )


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    list_display = ["code", "current_name", "local_code"]
    search_fields = ["code", "local_code", "search_text"]
    inlines = [VersionLinkInline]
    change_list_template = "admin/catalog/procedure_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("nhap/", self.admin_site.admin_view(self.import_view), name="catalog_import"),
            path(
                "xuat/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="catalog_export",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a JSON or Excel catalogue; every bad row is listed and nothing is written."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors: list[RowError] = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_file(upload, upload.name)
            except CatalogImportError as exc:
                errors = exc.errors
            else:
                self.message_user(request, report.summary())
                return redirect("admin:catalog_procedure_changelist")
        return render(
            request,
            "admin/catalog/import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Nhập danh mục thủ tục"),
                "form": form,
                "errors": errors,
                "opts": self.model._meta,
            },
        )

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        """Download the whole catalogue as JSON or as an Excel workbook."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt == "json":
            content, content_type, filename = export_file("json")
        elif fmt == "xlsx":
            content, content_type, filename = export_file("xlsx")
        else:
            raise Http404
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.display(description=_("tên thủ tục (phiên bản hiện hành)"))
    def current_name(self, obj: Procedure) -> str:
        version = obj.current_version()
        return version.name if version else "—"


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin[ProcedureVersion]):
    list_display = [
        "procedure",
        "number",
        "name",
        "field",
        "status",
        "effective_from",
        "effective_to",
        "compare_link",
    ]
    list_filter = ["status", "field", "authority_level", "online_mode"]
    search_fields = ["procedure__code", "name"]
    list_select_related = ["procedure", "field"]
    autocomplete_fields = ["procedure", "field", "result_document_type"]
    inlines = [ComponentInline, FeeInline, VariantInline, StepInline]
    actions = ["publish_selected", "withdraw_selected", "copy_to_new_draft"]
    readonly_fields = ["status"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "procedure",
                    "number",
                    "status",
                    "name",
                    "field",
                    "effective_from",
                    "effective_to",
                ]
            },
        ),
        (
            _("Thẩm quyền"),
            {
                "fields": [
                    "authority_level",
                    "competent_unit_kind",
                    "competent_authority",
                    "implementing_agency",
                ]
            },
        ),
        (
            _("Nội dung công bố"),
            {
                "fields": [
                    "applicants",
                    "conditions",
                    "sequence",
                    "manner",
                    "legal_basis",
                    "publication_decision",
                    "publication_date",
                ]
            },
        ),
        (
            _("Thời hạn và cách thức"),
            {
                "fields": [
                    "time_limit_value",
                    "time_limit_unit",
                    "online_time_limit_value",
                    "online_mode",
                    "legacy_level",
                    "postal_allowed",
                    "non_boundary",
                    "number_of_sets",
                ]
            },
        ),
        (
            _("Kết quả"),
            {"fields": ["result_name", "result_electronic", "result_document_type", "notes"]},
        ),
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("so sánh"))
    def compare_link(self, obj: ProcedureVersion) -> str:
        if obj.number == 1:
            return "—"
        url = reverse("admin:catalog_procedureversion_diff", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("so với phiên bản trước"))

    @admin.action(description=_("Công bố các phiên bản đã chọn"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.order_by("procedure__code", "number"):
            try:
                versions.publish(version.pk)
            except versions.PublicationError as exc:
                self.message_user(
                    request,
                    _("Không công bố được %(v)s: %(why)s") % {"v": version, "why": exc},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("Đã công bố %(v)s.") % {"v": version})

    @admin.action(description=_("Bãi bỏ các phiên bản đã chọn từ hôm nay"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            try:
                versions.withdraw(version.pk, on=timezone.localdate())
            except versions.PublicationError as exc:
                self.message_user(request, f"{version}: {exc}", messages.ERROR)
            else:
                self.message_user(request, _("Đã bãi bỏ %(v)s.") % {"v": version})

    @admin.action(description=_("Sao chép thành phiên bản dự thảo mới"))
    def copy_to_new_draft(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset:
            draft = versions.copy_to_draft(version.pk)
            self.message_user(request, _("Đã tạo %(v)s.") % {"v": draft})

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "<int:version_id>/so-sanh/",
                self.admin_site.admin_view(self.diff_view),
                name="catalog_procedureversion_diff",
            )
        ]
        return extra + super().get_urls()

    def diff_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        new = get_object_or_404(ProcedureVersion, pk=version_id)
        old = get_object_or_404(
            ProcedureVersion, procedure_id=new.procedure_id, number=new.number - 1
        )
        return render(
            request,
            "admin/catalog/version_diff.html",
            {
                **self.admin_site.each_context(request),
                "title": _("So sánh phiên bản"),
                "old": old,
                "new": new,
                "changes": versions.diff_versions(old, new),
                "opts": self.model._meta,
            },
        )
