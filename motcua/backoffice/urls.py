from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
]
