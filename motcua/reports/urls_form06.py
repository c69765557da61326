"""Report form 06 (Biểu số 06/VPCP/KSTT): the page, the dossiers behind a cell, the files."""

from django.urls import URLPattern, URLResolver, path

from motcua.reports import form06_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("bao-cao/bieu-06/", form06_views.form06, name="form06"),
    path("bao-cao/bieu-06/ho-so/", form06_views.form06_cell, name="form06_cell"),
    path("bao-cao/bieu-06/excel/", form06_views.form06_xlsx, name="form06_xlsx"),
    path("bao-cao/bieu-06/pdf/", form06_views.form06_pdf, name="form06_pdf"),
]
