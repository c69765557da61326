"""Online submission (nộp hồ sơ trực tuyến) from a procedure's page."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
