"""Reports (thống kê, báo cáo): the index, report form 06, the Decision 766 indicators and
rankings, the leader's dashboard and the public statistics page. Each area has its own URL
module."""

from django.urls import include, path

from motcua.reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.index, name="index"),
    path("", include("motcua.reports.urls_form06")),
    path("", include("motcua.reports.urls_indicators")),
    path("", include("motcua.reports.urls_dashboard")),
]
