"""Report form 06 for officers: the page (a unit they may see, a period), the dossiers
behind each cell, and the same form as Excel and PDF downloads.

Who may see what is decided by `accounts.access`: only officers (anyone else gets 404, as
on the reports index), and only units in their visible subtrees (404 for any other unit,
exactly as for a unit that does not exist). A cell counts dossiers whose competent unit is
in the chosen subtree, which the officer may see (`dossiers.access.dossiers_for_officer`);
the list is filtered through it all the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts import access
from motcua.accounts.models import Unit
from motcua.catalog.models import AuthorityLevel, Field
from motcua.dossiers import access as dossier_access
from motcua.reports import exports
from motcua.reports.drilldown import cell_dossiers
from motcua.reports.form06 import Form06, build_form06
from motcua.reports.views import report_units

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- Periods --------------------------------------------------------------------------------
# The reporting regime (NĐ 09/2019/NĐ-CP Art. 12) counts a month from the 15th of the month
# before to the 14th, a quarter from the 15th of the month before it to the 14th of its last
# month, a year from 15 December of the year before to 14 December.


def reporting_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """The reporting month holding `day` (15th to 14th)."""
    start = day.replace(day=15) if day.day >= 15 else (day.replace(day=1) - dt.timedelta(1))
    start = start.replace(day=15)
    end = (start + dt.timedelta(days=32)).replace(day=14)
    return start, end


def reporting_quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    """The reporting quarter holding `day` (15/12–14/03, 15/03–14/06, 15/06–14/09,
    15/09–14/12)."""
    month, year = day.month + (1 if day.day >= 15 else 0), day.year
    if month == 13:
        month, year = 1, year + 1
    last = (month + 2) // 3 * 3
    end = dt.date(year, last, 14)
    start = dt.date(year - 1, 12, 15) if last == 3 else dt.date(year, last - 3, 15)
    return start, end


def reporting_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The reporting year holding `day` (15 December to 14 December)."""
    year = day.year + (1 if (day.month, day.day) >= (12, 15) else 0)
    return dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


@dataclass(frozen=True)
class QuickPeriod:
    label: str
    start: dt.date
    end: dt.date


def quick_periods(today: dt.date) -> list[QuickPeriod]:
    this_month = reporting_month(today)
    return [
        QuickPeriod(str(_("Tháng này")), *this_month),
        QuickPeriod(str(_("Tháng trước")), *reporting_month(this_month[0] - dt.timedelta(1))),
        QuickPeriod(str(_("Quý này")), *reporting_quarter(today)),
        QuickPeriod(str(_("Năm nay")), *reporting_year(today)),
    ]


# -- Parameters -----------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """The unit and the period of the form (both days included); without dates, the
    current reporting month."""

    don_vi = forms.IntegerField(label=_("Đơn vị"), required=False, min_value=1)
    tu = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    den = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu"), data.get("den")
        if start is None or end is None:
            if "tu" not in self.errors and "den" not in self.errors:
                data["tu"], data["den"] = reporting_month(timezone.localdate())
        elif end < start:
            self.add_error("den", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data


class CellForm(PeriodForm):
    """One cell: a column (3–13), and optionally a level and a field (a field line; a
    level alone is its subtotal, neither the total)."""

    cot = forms.IntegerField(min_value=3, max_value=13)
    cap = forms.ChoiceField(choices=AuthorityLevel.choices, required=False)
    linh_vuc = forms.IntegerField(required=False, min_value=1)
    trang = forms.IntegerField(required=False, min_value=1)


def _unit(request: HttpRequest, unit_id: int | None) -> Unit:
    """The unit asked for if the officer may see it (404 otherwise); without one, the
    first unit the officer reports on. Citizens and visitors get 404."""
    tops = report_units(request)
    if unit_id is None:
        if not tops:
            raise Http404
        return tops[0]
    return access.get_visible_unit(request.user, unit_id)


def _query(unit: Unit, start: dt.date, end: dt.date, **more: object) -> str:
    params: dict[str, object] = {"don_vi": unit.pk, "tu": start.isoformat(), "den": end.isoformat()}
    params.update({k: v for k, v in more.items() if v is not None})
    return urlencode(params)


# -- The page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownCell:
    column: int
    value: int
    url: str  # the dossiers behind it ("" when it counts none)
    label: str = ""  # the link's name for screen readers: line, column and number


@dataclass(frozen=True)
class ShownLine:
    line: exports.Line
    cells: list[ShownCell]


def _shown(form: Form06) -> list[ShownLine]:
    base = reverse("reports:form06_cell")
    shown = []
    for line in exports.lines(form):
        cells = []
        for column, value in line.cells.as_columns().items():
            query = _query(
                form.unit, form.start, form.end, cap=line.level, linh_vuc=line.field_id, cot=column
            )
            label = str(_("%(line)s, %(column)s: %(value)s hồ sơ")) % {
                "line": line.label,
                "column": exports.column_name(column),
                "value": value,
            }
            cells.append(ShownCell(column, value, f"{base}?{query}" if value else "", label))
        shown.append(ShownLine(line, cells))
    return shown


def _unit_choices(request: HttpRequest) -> list[tuple[int, str]]:
    """Every unit the officer may report on, indented by its depth below the top units."""
    units = list(access.visible_units(request.user).order_by("path"))
    top = min((u.path.count("/") for u in units), default=0)
    return [(u.pk, "— " * (u.path.count("/") - top) + u.name) for u in units]


@login_required
def form06(request: HttpRequest) -> HttpResponse:
    """Biểu số 06/VPCP/KSTT for a unit the officer may see and a period."""
    period = PeriodForm(request.GET)
    valid = period.is_valid()
    if "don_vi" in period.errors:
        report_units(request)
        raise Http404
    unit = _unit(request, period.cleaned_data.get("don_vi"))
    context: dict[str, Any] = {
        "period": period,
        "unit": unit,
        "units": _unit_choices(request),
        "quick": quick_periods(timezone.localdate()),
        "groups": exports.GROUPS,
        "columns": exports.COLUMNS,
        "definitions": exports.DEFINITIONS,
        "heading_number": exports.NUMBER_HEADING,
        "heading_label": exports.LABEL_HEADING,
        "form_number": exports.FORM_NUMBER,
        "title": exports.TITLE,
    }
    if not valid:
        return render(request, "reports/form06.html", context, status=400)
    start, end = period.cleaned_data["tu"], period.cleaned_data["den"]
    form = build_form06(unit, start, end)
    context.update(
        form=form,
        start=start,
        end=end,
        lines=_shown(form),
        query=_query(unit, start, end),
        as_of=exports.as_of_text(form),
        column_numbers=range(1, 14),
    )
    return render(request, "reports/form06.html", context)


# -- The dossiers behind a cell -------------------------------------------------------------


@login_required
def form06_cell(request: HttpRequest) -> HttpResponse:
    """The dossiers a cell of the form counts, a page at a time, each linking to its page
    in the back office."""
    cell = CellForm(request.GET)
    if not cell.is_valid():
        report_units(request)  # visitors and citizens: 404 before anything else
        raise Http404
    data = cell.cleaned_data
    unit = _unit(request, data.get("don_vi"))
    start, end, column = data["tu"], data["den"], data["cot"]
    level: str | None = data.get("cap") or None
    field_id: int | None = data.get("linh_vuc")
    field = None
    if field_id is not None:
        field = Field.objects.filter(pk=field_id).first()
        if field is None:
            raise Http404
    ids = cell_dossiers(unit, start, end, column, level=level, field_id=field_id)
    page = Paginator(ids, PAGE_SIZE).get_page(data.get("trang"))
    found = {
        d.pk: d
        for d in dossier_access.dossiers_for_officer(request.user)
        .filter(pk__in=list(page.object_list))
        .select_related("procedure_version", "competent_unit", "report_fact")
    }
    dossiers = [found[pk] for pk in page.object_list if pk in found]
    query = _query(unit, start, end)
    here = _query(unit, start, end, cap=level, linh_vuc=field_id, cot=column)
    return render(
        request,
        "reports/form06_cell.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "column": column,
            "column_name": exports.column_name(column),
            "definition": exports.DEFINITIONS[column],
            "level_label": AuthorityLevel(level).label if level else "",
            "field": field,
            "count": len(ids),
            "page": page,
            "first_number": page.start_index(),
            "dossiers": dossiers,
            "report_query": query,
            "here": here,
        },
    )


# -- Files ----------------------------------------------------------------------------------


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _export_form(request: HttpRequest) -> Form06:
    period = PeriodForm(request.GET)
    if not period.is_valid():
        report_units(request)
        raise Http404
    unit = _unit(request, period.cleaned_data.get("don_vi"))
    return build_form06(unit, period.cleaned_data["tu"], period.cleaned_data["den"])


@login_required
def form06_xlsx(request: HttpRequest) -> HttpResponse:
    form = _export_form(request)
    return _attachment(exports.form06_xlsx(form), exports.filename(form, "xlsx"), XLSX)


@login_required
def form06_pdf(request: HttpRequest) -> HttpResponse:
    form = _export_form(request)
    return _attachment(exports.form06_pdf(form), exports.filename(form, "pdf"), "application/pdf")
