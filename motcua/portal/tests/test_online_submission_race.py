"""A double click that really is simultaneous: two requests submitting one draft at the same
moment, each in its own thread with its own database connection, end on one dossier and
the same receipt."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.documents.models import Document
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.dossiers.models import Arrival, Dossier
from motcua.portal.models import SubmissionDraft
from motcua.testing.dossiers import make_process_procedure
from motcua.testing.personas import build_personas
from motcua.testing.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_submits_of_one_draft_make_one_dossier_and_one_receipt() -> None:
    p = build_personas()
    version = make_process_procedure()
    component = version.components.get()
    client = Client()
    client.force_login(p.an)
    client.post(reverse("submission_start", args=[version.procedure.code]))
    draft = SubmissionDraft.objects.get()

    def step(slug: str) -> str:
        return reverse("submission_step", args=[draft.key, slug])

    client.post(
        step("nguoi-nop"),
        {
            "name": "Nguyễn Văn An",
            "identity_number": "038090001234",
            "phone": "0912345678",
            "address": "12 Lê Lợi, phường A",
            "competent_unit": str(p.commune_a.pk),
        },
    )
    upload = SimpleUploadedFile("to-khai.pdf", small_pdf(), content_type="application/pdf")
    client.post(
        step("giay-to"), {f"c{component.pk}-choice": "upload", f"c{component.pk}-file": upload}
    )
    client.post(step("nhan-ket-qua"), {"return_channel": "desk"})
    submit = reverse("submission_submit", args=[draft.key])

    def click() -> str:
        response = Client()
        response.force_login(p.an)
        answer = response.post(submit)
        assert answer.status_code == 302, answer.content.decode()
        return str(answer["Location"])

    results = run_together(click, click)
    assert all(isinstance(r, str) for r in results), results
    dossier = Dossier.objects.get()
    assert set(results) == {reverse("submission_receipt", args=[dossier.pk])}
    assert dossier.components.get().arrival == Arrival.UPLOADED
    assert Document.objects.get().dossier == dossier
    assert not SubmissionDraft.objects.exists()
