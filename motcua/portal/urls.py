from django.urls import include, path

from motcua.portal import accounts, procedures, tracking, views

urlpatterns = [
    path("", views.home, name="home"),
    path("lich-lam-viec/", views.working_calendar, name="working_calendar"),
    path("lich-lam-viec/<int:year>/", views.working_calendar, name="working_calendar_year"),
    path("tra-cuu/", tracking.track, name="track"),
    path("dang-ky/", accounts.register, name="register"),
    path("quen-mat-khau/", accounts.password_reset, name="password_reset"),
    path("quen-mat-khau/da-gui/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/", accounts.password_reset_complete, name="password_reset_complete"
    ),
    path("", include("motcua.portal.urls_citizen")),
    path("", include("motcua.portal.urls_submission")),
    path("thu-tuc/", procedures.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", procedures.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<str:code>/mau/<int:component_id>/",
        procedures.sample_form,
        name="procedure_sample_form",
    ),
]
