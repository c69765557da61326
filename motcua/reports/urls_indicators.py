"""Decision 766 indicators, the dossiers behind them, and rankings of units
(motcua/reports/indicators_views.py)."""

from django.urls import URLPattern, URLResolver, path

from motcua.reports import indicators_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("bao-cao/chi-so-766/", indicators_views.indicators_page, name="indicators"),
    path(
        "bao-cao/chi-so-766/ho-so/",
        indicators_views.indicator_dossiers_page,
        name="indicator_dossiers",
    ),
    path("bao-cao/xep-hang/", indicators_views.rankings_page, name="rankings"),
]
