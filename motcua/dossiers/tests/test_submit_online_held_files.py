"""Online submission adopting files the applicant uploaded before submitting (an online
draft's uploads), and what the applicant declared beyond the dossier's columns."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import Document, DocumentKind
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.documents.uploads import save_upload
from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Arrival, Digitisation, Dossier, EventKind
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import make_process_procedure, submission


class HeldFileTests(PersonaTestCase):
    tmp_path: Path

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def setUp(self) -> None:
        self.version = make_process_procedure()
        self.component = self.version.components.get()

    def held(self, owner: object) -> Document:
        upload = SimpleUploadedFile("to-khai.pdf", small_pdf(), content_type="application/pdf")
        return save_upload(upload, kind=DocumentKind.COMPONENT, created_by=owner)

    def given(self, document: Document) -> list[actions.ReceivedComponent]:
        c = self.component
        return [
            actions.ReceivedComponent(
                name=c.name, copy_type=c.copy_type, component_id=c.pk, held_document_id=document.pk
            )
        ]

    def test_the_applicants_held_upload_becomes_the_components_file_without_a_copy(self) -> None:
        document = self.held(self.p.an)
        dossier = actions.submit_online(
            submission(
                self.p,
                self.version,
                components=self.given(document),
                declared={"payment_method": "bank_transfer"},
            ),
            applicant_user=self.p.an,
            idempotency_key="held-1",
        )
        document.refresh_from_db()
        component = dossier.components.get()
        assert document.dossier == dossier
        assert document.component == component
        assert component.arrival == Arrival.UPLOADED
        assert dossier.digitisation == Digitisation.FULL
        assert Document.objects.count() == 1
        event = dossier.events.get(kind=EventKind.SUBMITTED)
        assert event.data["declared"] == {"payment_method": "bank_transfer"}

    def test_another_persons_held_upload_is_refused_and_nothing_is_created(self) -> None:
        document = self.held(self.p.ha)
        with pytest.raises(ActionRefused, match="không còn"):
            actions.submit_online(
                submission(self.p, self.version, components=self.given(document)),
                applicant_user=self.p.an,
                idempotency_key="held-2",
            )
        document.refresh_from_db()
        assert document.dossier is None
        assert not Dossier.objects.exists()
