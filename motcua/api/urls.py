"""The external REST API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.

The API imports the domain and is never imported by it; one module per resource.
"""

from django.urls import path
from ninja import NinjaAPI

from motcua.api import errors
from motcua.api.v1.dossiers import router as dossiers_router
from motcua.api.v1.procedures import router as procedures_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="API của Hệ thống thông tin một cửa điện tử motcua. Xem docs/api.md.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/v1/procedures", procedures_router)
api.add_router("/v1/dossiers", dossiers_router)
errors.install(api)

urlpatterns = [path("", api.urls)]
