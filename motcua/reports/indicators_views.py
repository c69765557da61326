"""Decision 766 pages for officers: the scores of a unit they may see for a period, the
dossiers behind each figure, and the ranking of the units directly below a unit.

Only officers (anyone else gets 404, as on the reports index), and only units in their
visible subtrees (404 for any other unit, exactly as for a unit that does not exist). The
dossier lists are filtered through `dossiers.access.dossiers_for_officer` all the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts import access
from motcua.accounts.models import Unit, UnitKind
from motcua.dossiers import access as dossier_access
from motcua.reports.indicators import BY_CODE, Scores, build_scores
from motcua.reports.indicators_drill import PARTS, indicator_dossiers
from motcua.reports.rankings import METRICS, build_rankings
from motcua.reports.rankings_targets import Progress, TargetIndicator, UnitTarget
from motcua.reports.views import report_units

PAGE_SIZE = 50


class PeriodForm(forms.Form):
    don_vi = forms.IntegerField(required=False)
    tu = forms.DateField(label=_("Từ ngày"), required=False)
    den = forms.DateField(label=_("Đến ngày"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu"), data.get("den")
        if start and end and end < start:
            self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


def _unit(request: HttpRequest, unit_id: int | None) -> Unit:
    tops = report_units(request)  # 404 for anyone but an officer
    if unit_id is None:
        if not tops:
            raise Http404
        return tops[0]
    return access.get_visible_unit(request.user, unit_id)


def _unit_choices(request: HttpRequest) -> list[tuple[int, str]]:
    units = access.visible_units(request.user).order_by("path").values_list("pk", "name", "path")
    return [(pk, "\u2003" * (path.count("/") - 2) + name) for pk, name, path in units[:2000]]


def _period(request: HttpRequest) -> tuple[PeriodForm, Unit, dt.date, dt.date]:
    """The unit and the period asked for; by default the top visible unit, from 1 January
    of this year to today."""
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), today
    unit_id = None
    if form.is_bound and form.is_valid():
        unit_id = form.cleaned_data["don_vi"]
        start = form.cleaned_data["tu"] or start
        end = form.cleaned_data["den"] or end
    elif form.is_bound:
        raw = request.GET.get("don_vi", "")
        unit_id = int(raw) if raw.isdigit() else None
    return form, _unit(request, unit_id), start, end


def _query(unit: Unit, start: dt.date, end: dt.date, **more: object) -> str:
    return urlencode({"don_vi": unit.pk, "tu": start.isoformat(), "den": end.isoformat(), **more})


def target_value(scores: Scores, indicator: str) -> float | None:
    """The figure a target on `indicator` is compared with (percent, or total points)."""
    if indicator == TargetIndicator.TOTAL:
        return scores.total
    return scores.indicator(indicator).percent


def progress_of(scores: Scores, targets: list[UnitTarget]) -> list[Progress]:
    return [Progress(t, target_value(scores, t.indicator)) for t in targets]


@login_required
def indicators_page(request: HttpRequest) -> HttpResponse:
    form, unit, start, end = _period(request)
    scores = build_scores(unit, start, end) if form.is_valid() or not form.is_bound else None
    targets = list(UnitTarget.objects.filter(unit=unit, year=end.year))
    return render(
        request,
        "reports/indicators.html",
        {
            "form": form,
            "unit": unit,
            "units": _unit_choices(request),
            "start": start,
            "end": end,
            "scores": scores,
            "query": _query(unit, start, end),
            "progress": progress_of(scores, targets) if scores else [],
        },
    )


@login_required
def indicator_dossiers_page(request: HttpRequest) -> HttpResponse:
    form, unit, start, end = _period(request)
    code, part = request.GET.get("chi_so", ""), request.GET.get("phan", "")
    if not form.is_valid() or code not in PARTS or part not in PARTS[code]:
        raise Http404
    ids = indicator_dossiers(unit, start, end, code, part, now=timezone.now())
    # Page the ids first: a province's figure can stand for hundreds of thousands of
    # dossiers, and only one page of them is read (still through the officer's access).
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("trang"))
    shown = (
        dossier_access.dossiers_for_officer(request.user)
        .filter(pk__in=list(page.object_list))
        .select_related("procedure_version", "competent_unit")
        .in_bulk()
    )
    dossiers = [shown[pk] for pk in page.object_list if pk in shown]
    return render(
        request,
        "reports/indicators_dossiers.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "definition": BY_CODE[code],
            "part": part,
            "count": len(ids),
            "page": page,
            "dossiers": dossiers,
            "back": _query(unit, start, end),
            "paging": _query(unit, start, end, chi_so=code, phan=part),
        },
    )


@login_required
def rankings_page(request: HttpRequest) -> HttpResponse:
    form, unit, start, end = _period(request)
    metric = request.GET.get("theo", "diem")
    if metric not in METRICS:
        metric = "diem"
    present = set(unit.children.values_list("kind", flat=True).distinct())
    kinds = [(value, label) for value, label in UnitKind.choices if value in present]
    kind = request.GET.get("loai") or None
    if kind not in present:
        kind = None
    rankings = (
        build_rankings(
            unit,
            start,
            end,
            metric=metric,
            minimum=settings.REPORTS_RANKING_MIN_DOSSIERS,
            kind=kind,
        )
        if form.is_valid() or not form.is_bound
        else None
    )
    return render(
        request,
        "reports/rankings.html",
        {
            "form": form,
            "unit": unit,
            "units": _unit_choices(request),
            "start": start,
            "end": end,
            "metric": metric,
            "metrics": [(key, m.label) for key, m in METRICS.items()],
            "kinds": kinds if len(kinds) > 1 else [],
            "kind": kind or "",
            "rankings": rankings,
            "query": _query(unit, start, end, **({"loai": kind} if kind else {})),
        },
    )
