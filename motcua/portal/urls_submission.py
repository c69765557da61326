"""Online submission (nộp hồ sơ trực tuyến) from a procedure's page."""

from django.urls import URLPattern, URLResolver, path

from motcua.portal import submission

urlpatterns: list[URLPattern | URLResolver] = [
    path("thu-tuc/<str:code>/nop-truc-tuyen/", submission.start, name="submission_start"),
    path("nop-truc-tuyen/ho-so-nhap/", submission.draft_list, name="submission_drafts"),
    path(
        "nop-truc-tuyen/bien-nhan/<int:dossier_id>/",
        submission.receipt,
        name="submission_receipt",
    ),
    path("nop-truc-tuyen/<uuid:key>/nop/", submission.submit, name="submission_submit"),
    path("nop-truc-tuyen/<uuid:key>/xoa/", submission.delete, name="submission_delete"),
    path("nop-truc-tuyen/<uuid:key>/<slug:step>/", submission.step, name="submission_step"),
]
