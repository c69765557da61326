"""The citizen's own pages (/ca-nhan/…): dossiers, answers to supplement requests,
withdrawal, ratings, the document store."""

from django.urls import path

from motcua.feedback import views as feedback
from motcua.portal import citizen

urlpatterns = [
    path("ca-nhan/ho-so/", citizen.my_dossiers, name="my_dossiers"),
    path("ca-nhan/ho-so/<int:dossier_id>/", citizen.dossier_detail, name="my_dossier"),
    path(
        "ca-nhan/ho-so/<int:dossier_id>/bo-sung/",
        citizen.answer_supplement,
        name="my_dossier_supplement",
    ),
    path("ca-nhan/ho-so/<int:dossier_id>/rut/", citizen.withdraw, name="my_dossier_withdraw"),
    path(
        "ca-nhan/ho-so/<int:dossier_id>/danh-gia/",
        feedback.rate_my_dossier,
        name="my_dossier_rating",
    ),
    path("tra-cuu/danh-gia/", feedback.rate_by_code, name="rate_by_code"),
    path("ca-nhan/kho-du-lieu/", citizen.document_store, name="document_store"),
]
