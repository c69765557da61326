"""The leader's dashboard (/bao-cao/tong-quan/), the dossiers behind its figures, and the
public statistics page (/thong-ke/). Figures come from `reports.dashboard` (rollups only);
the dossier list reads the dossiers it names and nothing else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from motcua.accounts import access
from motcua.accounts.models import Unit, UnitKind
from motcua.dossiers.models import Dossier
from motcua.reports import dashboard
from motcua.reports.charts import Chart, Series, bar_chart, line_chart
from motcua.reports.drilldown import cell_dossiers
from motcua.reports.views import report_units

PUBLIC_CACHE_SECONDS = 60
LIST_LIMIT = 200

# The figures that drill down to dossiers: name → (label, period, form 06 columns or a
# stock of `dashboard`).
FIGURES: dict[str, tuple[StrOrPromise, str, tuple[int, ...] | str]] = {
    "overdue": (gettext_lazy("Hồ sơ đang quá hạn"), "now", dashboard.OVERDUE),
    "due_soon": (gettext_lazy("Hồ sơ sắp đến hạn"), "now", dashboard.DUE_SOON),
    "received_today": (gettext_lazy("Tiếp nhận hôm nay"), "today", (4, 5)),
    "closed_today": (gettext_lazy("Đã giải quyết hôm nay"), "today", (7,)),
    "received_month": (gettext_lazy("Tiếp nhận trong tháng"), "month", (4, 5)),
    "closed_month": (gettext_lazy("Đã giải quyết trong tháng"), "month", (7,)),
    "late_month": (gettext_lazy("Giải quyết quá hạn trong tháng"), "month", (10,)),
    "received_year": (gettext_lazy("Tiếp nhận trong năm"), "year", (4, 5)),
    "closed_year": (gettext_lazy("Đã giải quyết trong năm"), "year", (7,)),
    "late_year": (gettext_lazy("Giải quyết quá hạn trong năm"), "year", (10,)),
}


def _chosen_unit(request: HttpRequest) -> tuple[Unit, list[Unit]]:
    """The unit asked for (?don-vi=) if the officer may see it, else 404; by default the
    officer's first top unit. Citizens and visitors get 404."""
    tops = report_units(request)  # 404 for anyone who is not an officer
    if not tops:
        raise Http404
    raw = request.GET.get("don-vi", "")
    if not raw:
        return tops[0], tops
    if not raw.isdigit():
        raise Http404
    return access.get_visible_unit(request.user, int(raw)), tops


def _month_labels(months: list[dt.date]) -> tuple[list[str], list[str]]:
    long = [_("Tháng %(month)d/%(year)d") % {"month": m.month, "year": m.year} for m in months]
    short = [str(m.month) for m in months]
    return long, short


def trend_charts(board: dashboard.Dashboard, prefix: str) -> list[Chart]:
    """Received, closed in time vs late, and the online share per month (12 months)."""
    months = [m.month for m in board.trend]
    long, short = _month_labels(months)
    flows = [m.flows for m in board.trend]
    month_axis = _("Tháng (%(first)s – %(last)s)") % {
        "first": f"{months[0].month}/{months[0].year}",
        "last": f"{months[-1].month}/{months[-1].year}",
    }
    received = bar_chart(
        slug=f"{prefix}-received",
        title=_("Hồ sơ tiếp nhận theo tháng"),
        description=_(
            "Số hồ sơ tiếp nhận mỗi tháng trong 12 tháng gần nhất, tháng này đến hôm nay."
        ),
        y_label=_("Số hồ sơ"),
        x_label=month_axis,
        labels=long,
        short_labels=short,
        series=[Series(_("Tiếp nhận"), [float(f.received) for f in flows], "series-1")],
    )
    closed = bar_chart(
        slug=f"{prefix}-closed",
        title=_("Hồ sơ giải quyết đúng hạn và quá hạn theo tháng"),
        description=_(
            "Số hồ sơ đã giải quyết mỗi tháng: phần dưới là trước và đúng hạn (kể cả rút hồ sơ), "
            "phần trên là quá hạn."
        ),
        y_label=_("Số hồ sơ"),
        x_label=month_axis,
        labels=long,
        short_labels=short,
        series=[
            Series(_("Trước và đúng hạn"), [float(f.closed_in_time) for f in flows], "series-ok"),
            Series(_("Quá hạn"), [float(f.closed_late) for f in flows], "series-late"),
        ],
    )
    online = line_chart(
        slug=f"{prefix}-online",
        title=_("Tỷ lệ hồ sơ trực tuyến theo tháng"),
        description=_("Phần trăm hồ sơ tiếp nhận trực tuyến trong số hồ sơ tiếp nhận mỗi tháng."),
        y_label=_("Tỷ lệ (%)"),
        x_label=month_axis,
        labels=long,
        short_labels=short,
        series=Series(_("Trực tuyến"), [f.online_rate or 0.0 for f in flows], "series-1"),
        missing=[f.online_rate is None for f in flows],
    )
    return [received, closed, online]


@dataclass(frozen=True)
class Link:
    label: str
    value: int
    url: str


def _figure_url(unit: Unit, name: str) -> str:
    query = urlencode({"don-vi": str(unit.pk), "chi-so": name})
    return f"{reverse('reports:dashboard_dossiers')}?{query}"


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    unit, _tops = _chosen_unit(request)
    board = dashboard.build_dashboard(unit)
    choices = list(
        access.visible_units(request.user)
        .exclude(kind__in=[UnitKind.RECEPTION_POINT, UnitKind.OFFICE])
        .order_by("path")
        .only("pk", "name", "path")
    )
    urls = {name: _figure_url(unit, name) for name in FIGURES}
    periods = [
        {
            "slug": slug,
            "title": title,
            "period": period,
            "received_url": urls[f"received_{slug}"],
            "closed_url": urls[f"closed_{slug}"],
            "late_url": urls[f"late_{slug}"],
        }
        for slug, title, period in (
            ("month", _("Tháng này (đến hôm nay)"), board.month),
            ("year", _("Năm nay (đến hôm nay)"), board.year),
        )
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "unit": unit,
            "choices": choices,
            "urls": urls,
            "periods": periods,
            "charts": trend_charts(board, "dash"),
        },
    )


def figure_dossiers(unit: Unit, name: str, now: dt.datetime) -> list[int]:
    """The ids of the dossiers behind a figure of the dashboard: form 06's drill-down for
    the flows and for overdue now, the open facts for due soon."""
    _label, period, source = FIGURES[name]
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    if source == dashboard.DUE_SOON:
        until = dashboard.soon_limit(unit, now)
        return sorted(
            dashboard.open_facts(dashboard.subtree(unit), now)
            .filter(dashboard.due_soon(now, until))
            .values_list("dossier_id", flat=True)
        )
    if source == dashboard.OVERDUE:
        return cell_dossiers(unit, today, today, 13, now=now)
    start = {
        "today": today,
        "month": dashboard.month_start(today),
        "year": dt.date(today.year, 1, 1),
    }[period]
    ids: set[int] = set()
    for column in () if isinstance(source, str) else source:
        ids.update(cell_dossiers(unit, start, today, column, now=now))
    return sorted(ids)


@login_required
def dashboard_dossiers(request: HttpRequest) -> HttpResponse:
    unit, _tops = _chosen_unit(request)
    name = request.GET.get("chi-so", "")
    if name not in FIGURES:
        raise Http404
    now = timezone.now()
    ids = figure_dossiers(unit, name, now)
    dossiers = (
        Dossier.objects.filter(pk__in=ids[:LIST_LIMIT])
        .select_related("procedure_version", "competent_unit")
        .order_by("due_at", "pk")
    )
    return render(
        request,
        "reports/dashboard_dossiers.html",
        {
            "unit": unit,
            "title": FIGURES[name][0],
            "count": len(ids),
            "dossiers": dossiers,
            "limit": LIST_LIMIT,
            "now": now,
            "back": f"{reverse('reports:dashboard')}?{urlencode({'don-vi': unit.pk})}",
        },
    )


@dataclass(frozen=True)
class PublicStats:
    """What the public page shows for a unit: figures, no dossier and no person."""

    unit_id: int
    unit_name: str
    board: dashboard.Dashboard
    charts: list[Chart]

    @property
    def periods(self) -> list[tuple[dashboard.Period, str]]:
        return [
            (self.board.month, _("Tháng này (đến hôm nay)")),
            (self.board.year, _("Năm nay (đến hôm nay)")),
        ]


def public_units() -> list[tuple[int, str, int]]:
    """(id, name, depth) of the units the public page offers, province first (cached)."""

    def load() -> list[tuple[int, str, int]]:
        rows = (
            Unit.objects.filter(
                kind__in=[
                    UnitKind.PROVINCE,
                    UnitKind.DEPARTMENT,
                    UnitKind.COMMUNE,
                    UnitKind.VERTICAL_AGENCY,
                ]
            )
            .order_by("path")
            .values_list("pk", "name", "path")
        )
        return [(pk, name, path.count("/") - 2) for pk, name, path in rows]

    units: list[tuple[int, str, int]] | None = cache.get("reports:public:units")
    if units is None:
        units = load()
        cache.set("reports:public:units", units, PUBLIC_CACHE_SECONDS)
    return units


def public_stats(unit_id: int) -> PublicStats:
    """The public figures of a unit, computed at most once a minute per unit and language."""
    key = f"reports:public:{unit_id}:{translation.get_language()}"
    stats: PublicStats | None = cache.get(key)
    if stats is None:
        unit = Unit.objects.get(pk=unit_id)
        board = dashboard.build_dashboard(unit, stocks=False)
        stats = PublicStats(unit.pk, unit.name, board, trend_charts(board, f"pub{unit.pk}"))
        cache.set(key, stats, PUBLIC_CACHE_SECONDS)
    return stats


def public_page(request: HttpRequest) -> HttpResponse:
    units = public_units()
    if not units:
        raise Http404
    offered = {pk for pk, _name, _depth in units}
    raw = request.GET.get("don-vi", "")
    province_id = units[0][0]
    if raw and (not raw.isdigit() or int(raw) not in offered):
        raise Http404
    chosen = int(raw) if raw else province_id
    province = public_stats(province_id)
    unit = public_stats(chosen) if chosen != province_id else None
    return render(
        request,
        "reports/public.html",
        {"province": province, "unit": unit, "units": units, "chosen": chosen},
    )
