"""The citizen's own pages (/ca-nhan/…): dossiers, answers to supplement requests,
withdrawal, ratings, the document store."""

from django.urls import path

from motcua.portal import citizen

urlpatterns = [
    path("ca-nhan/ho-so/<int:dossier_id>/", citizen.dossier_detail, name="my_dossier"),
    path("ca-nhan/kho-du-lieu/", citizen.document_store, name="document_store"),
]
