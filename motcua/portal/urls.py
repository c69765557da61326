from django.urls import path

from motcua.portal import citizen, procedures, tracking, views

urlpatterns = [
    path("", views.home, name="home"),
    path("lich-lam-viec/", views.working_calendar, name="working_calendar"),
    path("lich-lam-viec/<int:year>/", views.working_calendar, name="working_calendar_year"),
    path("tra-cuu/", tracking.track, name="track"),
    path("ca-nhan/ho-so/<int:dossier_id>/", citizen.dossier_detail, name="my_dossier"),
    path("ca-nhan/kho-du-lieu/", citizen.document_store, name="document_store"),
    path("thu-tuc/", procedures.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", procedures.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<str:code>/mau/<int:component_id>/",
        procedures.sample_form,
        name="procedure_sample_form",
    ),
]
