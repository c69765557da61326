from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("tiep-nhan/", views.desk, name="desk"),
    path("ho-so/", views.queue_list, name="queues"),
    path("ho-so/<int:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path(
        "ho-so/<int:dossier_id>/thao-tac/<slug:action>/",
        views.dossier_action,
        name="dossier_action",
    ),
    path("tim-kiem/", views.search, name="search"),
]
