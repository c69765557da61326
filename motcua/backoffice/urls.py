from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:unit_id>/so-theo-doi/", views.tracking_book, name="tracking_book"),
    path("tiep-nhan/", views.desk, name="desk"),
    path("ho-so/", views.queue_list, name="queues"),
    path("ho-so/<int:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path(
        "ho-so/<int:dossier_id>/thao-tac/<slug:action>/",
        views.dossier_action,
        name="dossier_action",
    ),
    path("ho-so/<int:dossier_id>/phieu-kiem-soat/", views.control_slip, name="control_slip"),
    path("tim-kiem/", views.search, name="search"),
]
