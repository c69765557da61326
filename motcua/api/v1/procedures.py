"""GET /api/v1/procedures (search, paginated) and GET /api/v1/procedures/{code}."""

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from motcua.catalog.models import Procedure, ProcedureVersion, format_limit
from motcua.catalog.search import Filters, Results, search

router = Router(tags=["Thủ tục hành chính"])


class FieldOut(Schema):
    code: str
    name: str


class TimeLimitOut(Schema):
    value: Decimal
    unit: str
    text: str


class ProcedureSummaryOut(Schema):
    code: str
    local_code: str
    name: str
    field: FieldOut
    authority_level: str
    competent_unit_kind: str
    online_mode: str
    time_limit: TimeLimitOut
    online_time_limit: TimeLimitOut | None
    postal_allowed: bool
    non_boundary: bool


class ComponentOut(Schema):
    position: int
    name: str
    copy_type: str
    count: int
    required: bool
    document_type: str | None
    sample_form_url: str | None


class FeeOut(Schema):
    kind: str
    name: str
    amount: Decimal | None
    online_amount: Decimal | None
    formula: str
    collected: str
    exemptions: str
    legal_basis: str


class VariantOut(Schema):
    name: str
    time_limit: TimeLimitOut
    online_time_limit: TimeLimitOut | None


class StepOut(Schema):
    position: int
    name: str
    role: str
    unit_kind: str
    budget_hours: Decimal
    online_budget_hours: Decimal | None
    counted: bool


class VersionOut(Schema):
    number: int
    status: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    publication_decision: str
    publication_date: dt.date | None


class ProcedureDetailOut(ProcedureSummaryOut):
    current_version: VersionOut
    competent_authority: str
    implementing_agency: str
    applicants: str
    conditions: str
    sequence: str
    manner: str
    legal_basis: str
    result_name: str
    result_electronic: bool
    number_of_sets: int
    legacy_level: int | None
    components: list[ComponentOut]
    fees: list[FeeOut]
    variants: list[VariantOut]
    steps: list[StepOut]
    steps_total_hours: Decimal


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""
    online_mode: str = ""
    level: str = ""
    unit_kind: str = ""


def _limit(value: Decimal | None, unit: str) -> TimeLimitOut | None:
    if value is None:
        return None
    return TimeLimitOut(value=value, unit=unit, text=format_limit(value, unit))


def _summary(v: ProcedureVersion) -> dict[str, object]:
    return {
        "code": v.procedure.code,
        "local_code": v.procedure.local_code,
        "name": v.name,
        "field": {"code": v.field.code, "name": v.field.name},
        "authority_level": v.authority_level,
        "competent_unit_kind": v.competent_unit_kind,
        "online_mode": v.online_mode,
        "time_limit": _limit(v.time_limit_value, v.time_limit_unit),
        "online_time_limit": _limit(v.online_time_limit_value, v.time_limit_unit),
        "postal_allowed": v.postal_allowed,
        "non_boundary": v.non_boundary,
    }


class _LazySummaries:
    """A sequence the paginator can count and slice; rows are loaded per page."""

    def __init__(self, results: Results) -> None:
        self.results = results

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index: slice) -> list[dict[str, object]]:
        return [_summary(v) for v in self.results[index]]


@router.get("", response=list[ProcedureSummaryOut], summary="Tìm thủ tục hành chính")
@paginate(PageNumberPagination, page_size=20)
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> "_LazySummaries":
    """Search ignoring diacritics and case; best match first; filters combine."""
    return _LazySummaries(search(Filters(**filters.dict())))


@router.get("/{code}", response=ProcedureDetailOut, summary="Chi tiết thủ tục hành chính")
def get_procedure(request: HttpRequest, code: str) -> dict[str, object]:
    """The version in force today, with components, fees, variants and steps."""
    procedure = get_object_or_404(Procedure, code=code)
    version = procedure.current_version()
    if version is None:
        raise Http404
    steps = list(version.steps.all())
    return {
        **_summary(version),
        "current_version": version,
        **{
            attr: getattr(version, attr)
            for attr in (
                "competent_authority",
                "implementing_agency",
                "applicants",
                "conditions",
                "sequence",
                "manner",
                "legal_basis",
                "result_name",
                "result_electronic",
                "number_of_sets",
                "legacy_level",
            )
        },
        "components": [
            {
                "position": c.position,
                "name": c.name,
                "copy_type": c.copy_type,
                "count": c.count,
                "required": c.required,
                "document_type": c.document_type.code if c.document_type else None,
                "sample_form_url": request.build_absolute_uri(
                    reverse("procedure_sample_form", args=[procedure.code, c.pk])
                )
                if c.sample_form
                else None,
            }
            for c in version.components.select_related("document_type")
        ],
        "fees": list(version.fees.all()),
        "variants": [
            {
                "name": v.name,
                "time_limit": _limit(v.time_limit_value, v.time_limit_unit),
                "online_time_limit": _limit(v.online_time_limit_value, v.time_limit_unit),
            }
            for v in version.variants.all()
        ],
        "steps": steps,
        "steps_total_hours": sum((s.budget_hours for s in steps if s.counted), Decimal(0)),
    }
