"""The leader's dashboard and the public statistics page (motcua/reports/dashboard_views.py)."""

from django.urls import URLPattern, URLResolver, path

from motcua.reports import dashboard_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("bao-cao/tong-quan/", dashboard_views.dashboard_page, name="dashboard"),
    path("bao-cao/tong-quan/ho-so/", dashboard_views.dashboard_dossiers, name="dashboard_dossiers"),
    path("thong-ke/", dashboard_views.public_page, name="public"),
]
