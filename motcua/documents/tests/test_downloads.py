import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.test import override_settings

from motcua.accounts.models import User
from motcua.documents.downloads import download_url
from motcua.documents.files import store_bytes
from motcua.documents.models import Document, DocumentKind, StoreAccess, StoreItem, StoreSource
from motcua.dossiers.models import Dossier
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure

PDF = b"%PDF-1.4\n% a stand-in: downloads do not parse\n%%EOF\n"


class DownloadTests(PersonaTestCase):
    dossier: Dossier
    document: Document

    def setUp(self) -> None:
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.media = Path(media.name)
        overridden = override_settings(MEDIA_ROOT=media.name)
        overridden.enable()
        self.addCleanup(overridden.disable)
        self.dossier = desk_dossier(self.p, make_process_procedure())
        self.document = store_bytes(
            PDF,
            filename="Tờ khai đăng ký.pdf",
            content_type="application/pdf",
            kind=DocumentKind.COMPONENT,
            dossier=self.dossier,
            title="Tờ khai",
        )

    def get(self, user: User | None, document: Document | None = None) -> Any:
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        return self.client.get(download_url(document or self.document))

    def test_the_applicant_gets_the_file_as_an_attachment_that_is_never_sniffed(self) -> None:
        response = self.get(self.p.an)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        headers = response.headers
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"] == (
            "attachment; filename*=utf-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD.pdf"
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert headers["Cache-Control"] == "private, no-store"

    def test_officers_of_the_dossiers_units_get_the_file(self) -> None:
        for officer in (self.p.binh, self.p.chi, self.p.thu):
            response = self.get(officer)
            assert response.status_code == 200, officer
            assert response.headers["Content-Disposition"].startswith("attachment;")

    def test_everyone_else_gets_not_found_as_for_a_file_that_does_not_exist(self) -> None:
        for user in (self.p.ha, self.p.dung, None):
            response = self.get(user)
            assert response.status_code == 404, user
        self.client.force_login(self.p.an)
        missing = self.client.get(f"/tai-lieu/{uuid.uuid4()}/")
        assert missing.status_code == 404

    def test_a_document_outside_any_dossier_is_not_served_here(self) -> None:
        loose = store_bytes(
            PDF, filename="kq.pdf", content_type="application/pdf", kind=DocumentKind.RESULT
        )
        assert self.get(self.p.binh, loose).status_code == 404

    def test_the_storage_is_never_served_from_its_own_url(self) -> None:
        name = str(self.document.file.name)
        assert (self.media / name).is_file()
        self.client.force_login(self.p.an)
        for url in (f"/media/{name}", f"/{name}"):
            assert self.client.get(url).status_code == 404, url

    def test_an_officer_opening_a_reused_store_paper_is_recorded_and_the_owner_is_not(
        self,
    ) -> None:
        original = store_bytes(
            PDF, filename="cccd.pdf", content_type="application/pdf", kind=DocumentKind.RESULT
        )
        item = StoreItem.objects.create(
            owner=self.p.an, title="Căn cước", document=original, source=StoreSource.COMPONENT
        )
        reused = store_bytes(
            PDF,
            filename="cccd.pdf",
            content_type="application/pdf",
            kind=DocumentKind.COMPONENT,
            dossier=self.dossier,
            title="Căn cước",
            reused_from=item,
        )
        assert self.get(self.p.an, reused).status_code == 200
        assert not StoreAccess.objects.exists()
        assert self.get(self.p.dung, reused).status_code == 404
        assert not StoreAccess.objects.exists()
        assert self.get(self.p.binh, reused).status_code == 200
        access = StoreAccess.objects.get()
        assert (access.item, access.officer, access.dossier) == (item, self.p.binh, self.dossier)
        assert self.get(self.p.binh).status_code == 200
        assert StoreAccess.objects.count() == 1  # a paper not from the store leaves no row

    def test_only_reading_methods_are_allowed(self) -> None:
        self.client.force_login(self.p.an)
        assert self.client.post(download_url(self.document)).status_code == 405
