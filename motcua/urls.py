from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import AdminLoginForm
from motcua.portal import accounts as portal_accounts

admin.site.site_header = _("Quản trị hệ thống một cửa điện tử")
admin.site.site_title = _("Quản trị motcua")
admin.site.index_title = _("Danh mục quản trị")
admin.site.login_form = AdminLoginForm  # the same lockout as /dang-nhap/

urlpatterns = [
    path("", include("motcua.portal.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("", include("motcua.reports.urls")),
    path("", include("motcua.documents.urls")),
    path("dang-nhap/", portal_accounts.login_view, name="login"),
    path("dang-nhap/vneid/", include("motcua.integrations.oidc.urls")),
    path("mo-phong/vneid/", include("motcua.integrations.vneid_sim.urls")),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", include("motcua.api.urls")),
]
