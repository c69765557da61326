from django.urls import path

from motcua.documents import downloads, verification

urlpatterns = [
    path("tai-lieu/<uuid:public_id>/", downloads.download, name="document_download"),
    path("xac-thuc/", verification.verify, name="verify"),
    path("xac-thuc/<uuid:public_id>/", verification.verify_document, name="verify_document"),
]
