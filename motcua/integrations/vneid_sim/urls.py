from django.urls import path

from motcua.integrations.vneid_sim import views

app_name = "vneid_sim"
urlpatterns = [
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("xac-thuc/", views.authorize, name="authorize"),
    path("token/", views.token, name="token"),
    path("thong-tin/", views.userinfo, name="userinfo"),
    path("jwks/", views.jwks, name="jwks"),
]
