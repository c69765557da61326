"""Public catalogue pages: search with filters, and a procedure's page.

Everything a citizen needs before going to the desk or online, read from the version in
force (or a named earlier version). No login needed; no domain logic here.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import UnitKind
from motcua.catalog.models import (
    AuthorityLevel,
    Component,
    Field,
    OnlineMode,
    Procedure,
    ProcedureVersion,
    VersionStatus,
)
from motcua.catalog.search import Filters, search

PAGE_SIZE = 20
ANY = [("", _("Tất cả"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=ANY + AuthorityLevel.choices
    )
    online_mode = forms.ChoiceField(
        label=_("Dịch vụ công trực tuyến"), required=False, choices=ANY + OnlineMode.choices
    )
    unit_kind = forms.ChoiceField(
        label=_("Cơ quan giải quyết"), required=False, choices=ANY + UnitKind.choices
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["field"].choices = ANY + list(  # type: ignore[attr-defined]
            Field.objects.values_list("code", "name")
        )


def procedure_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = Filters(**form.cleaned_data) if form.is_valid() else Filters()
    page = Paginator(search(filters), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "portal/procedure_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filters": filters},
    )


def _version(procedure: Procedure, number: str | None) -> ProcedureVersion:
    if number:
        if not number.isdigit():
            raise Http404
        version = procedure.versions.filter(
            number=int(number), status__in=[VersionStatus.PUBLISHED, VersionStatus.WITHDRAWN]
        ).first()
    else:
        version = procedure.current_version()
    if version is None:
        raise Http404
    return version


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure, code=code)
    version = _version(procedure, request.GET.get("phien-ban"))
    steps = list(version.steps.all())
    counted = [s for s in steps if s.counted]
    is_current = version == procedure.current_version()
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "is_current": is_current,
            "online_submission": is_current and version.online_mode != OnlineMode.NONE,
            "components": version.components.select_related("document_type"),
            "fees": version.fees.all(),
            "variants": version.variants.all(),
            "steps": steps,
            "steps_total": sum((s.budget_hours for s in counted), Decimal(0)),
            "other_versions": procedure.versions.exclude(pk=version.pk)
            .exclude(status=VersionStatus.DRAFT)
            .order_by("-number"),
        },
    )


def sample_form(request: HttpRequest, code: str, component_id: int) -> FileResponse:
    """Download a component's sample form (mẫu đơn, tờ khai) of a public version."""
    component = get_object_or_404(
        Component.objects.exclude(version__status=VersionStatus.DRAFT),
        pk=component_id,
        version__procedure__code=code,
    )
    if not component.sample_form:
        raise Http404
    try:
        handle = component.sample_form.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = (component.sample_form.name or "").rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
