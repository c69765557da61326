from django.urls import path

from motcua.integrations.oidc import views

app_name = "oidc"
urlpatterns = [
    path("", views.start, name="start"),
    path("ve/", views.callback, name="callback"),
]
