"""The citizen's own pages (/ca-nhan/…): dossiers, answers to supplement requests,
withdrawal, ratings, the document store."""

from django.urls import path

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
    path("ca-nhan/kho-du-lieu/", citizen.document_store, name="document_store"),
]
