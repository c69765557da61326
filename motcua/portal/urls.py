from django.urls import path

from motcua.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lich-lam-viec/", views.working_calendar, name="working_calendar"),
    path("lich-lam-viec/<int:year>/", views.working_calendar, name="working_calendar_year"),
]
