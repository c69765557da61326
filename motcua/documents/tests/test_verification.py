"""Verifying signatures: verify_pdf's report, and the public page /xac-thuc/."""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.documents import pki, verification
from motcua.documents.files import store_bytes
from motcua.documents.models import CertificationAuthority, Document, DocumentKind
from motcua.documents.signing import SignedPdf, StoredCertificateSigner
from motcua.documents.tests.signed_pdfs import flip_byte, pdfsig, small_pdf
from motcua.documents.verification import verify_pdf
from motcua.dossiers.models import Dossier
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure


def add_content_after_signing(signed: bytes) -> bytes:
    """An incremental update that draws on the signed page, as a forger would."""
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (DA SUA) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))  # type: ignore[no-untyped-call]
    out = BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


class VerifyPdfTests(PersonaTestCase):
    authority: CertificationAuthority
    signed: SignedPdf
    tmp_path: Path

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.authority = pki.create_demo_authority()
        pki.issue_demo_certificate(cls.p.hung, cls.authority)
        signed = StoredCertificateSigner().sign(
            small_pdf(), officer=cls.p.hung, reason="Ký duyệt kết quả", location="Phường A"
        )
        assert signed is not None
        cls.signed = signed

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def test_a_signed_document_is_reported_valid_with_its_signer(self) -> None:
        report = verify_pdf(self.signed.data)
        assert report.verdict == "valid"
        (check,) = report.signatures
        assert (check.signer_name, check.signer_organisation) == (
            "Nguyễn Quốc Hùng",
            "UBND phường A",
        )
        assert check.intact
        assert check.covers_whole_document
        assert not check.modified_after_signing
        assert check.trusted
        assert check.valid_at_signing_time
        assert check.demo
        assert check.reason == "Ký duyệt kết quả"
        assert check.signed_at is not None
        assert "còn nguyên vẹn" in check.summary
        assert "không có giá trị pháp lý" in check.summary

    def test_a_flipped_byte_is_reported_as_changed(self) -> None:
        report = verify_pdf(flip_byte(self.signed.data, b"595.28"))
        assert report.verdict == "invalid"
        (check,) = report.signatures
        assert not check.intact
        assert "đã bị thay đổi" in check.summary

    def test_content_added_after_signing_is_reported_as_a_modification(self) -> None:
        modified = add_content_after_signing(self.signed.data)
        report = verify_pdf(modified)
        assert report.verdict == "invalid"
        (check,) = report.signatures
        assert check.intact  # the signed bytes themselves are untouched
        assert not check.covers_whole_document
        assert check.modified_after_signing
        assert "đã bị thay đổi" in check.summary
        assert "Not total document signed" in pdfsig(modified, self.tmp_path)

    def test_bytes_appended_after_the_signature_are_a_modification_too(self) -> None:
        report = verify_pdf(self.signed.data + b"\n% them vao sau khi ky\n")
        assert report.signatures[0].modified_after_signing
        assert report.verdict == "invalid"

    def test_a_second_signature_does_not_spoil_the_first(self) -> None:
        twice = StoredCertificateSigner().sign(
            self.signed.data, officer=self.p.hung, reason="Ký lại", location="Phường A"
        )
        assert twice is not None
        report = verify_pdf(twice.data)
        assert report.verdict == "valid"
        first, second = report.signatures
        assert first.changes_after == "signatures"
        assert second.changes_after == "none"

    def test_a_signature_from_an_unknown_authority_is_not_trusted(self) -> None:
        CertificationAuthority.objects.all().delete()
        report = verify_pdf(self.signed.data)
        (check,) = report.signatures
        assert check.intact
        assert not check.trusted
        assert report.verdict == "invalid"
        assert "KHÔNG do tổ chức chứng thực được hệ thống tin cậy cấp" in check.summary

    def test_unsigned_and_broken_files_get_a_clear_message(self) -> None:
        unsigned = verify_pdf(small_pdf())
        assert (unsigned.verdict, unsigned.message) == (
            "unsigned",
            "Tài liệu này không có chữ ký số.",
        )
        not_pdf = verify_pdf(b"PK\x03\x04 a zip file")
        assert (not_pdf.verdict, not_pdf.message) == (
            "unreadable",
            "Tệp này không phải là tệp PDF.",
        )
        broken = verify_pdf(b"%PDF-1.7\n garbage")
        assert broken.verdict == "unreadable"
        assert "Không đọc được tệp PDF" in broken.message


class VerificationPageTests(PersonaTestCase):
    dossier: Dossier
    signed: SignedPdf
    document: Document

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        pki.issue_demo_certificate(cls.p.hung, pki.create_demo_authority())
        version = make_process_procedure()
        cls.dossier = desk_dossier(cls.p, version)
        signed = StoredCertificateSigner().sign(
            small_pdf(), officer=cls.p.hung, reason="Ký duyệt kết quả", location="Phường A"
        )
        assert signed is not None
        cls.signed = signed
        cls.document = store_bytes(
            signed.data,
            filename="giay-xac-nhan.pdf",
            content_type="application/pdf",
            dossier=cls.dossier,
            kind=DocumentKind.RESULT,
            title="Giấy xác nhận tình trạng hôn nhân",
            signed_by=cls.p.hung,
            signed_at=signed.signed_at,
            signer_subject=signed.subject,
        )

    def setUp(self) -> None:
        cache.delete("motcua:verify:127.0.0.1")

    def upload(self, data: bytes, name: str = "ket-qua.pdf") -> tuple[int, str]:
        response = self.client.post(
            reverse("verify"),
            {"cach": "tep", "tep": SimpleUploadedFile(name, data, "application/pdf")},
        )
        return response.status_code, response.content.decode()

    def by_code(self, code: str, secret: str) -> tuple[int, str]:
        response = self.client.post(reverse("verify"), {"cach": "ho-so", "ma": code, "k": secret})
        return response.status_code, response.content.decode()

    def test_the_page_offers_both_ways_to_check(self) -> None:
        response = self.client.get(reverse("verify"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Tải lên tệp PDF" in page
        assert "Kiểm tra theo mã hồ sơ" in page
        assert '<label for="id_tep">' in page

    def test_an_uploaded_signed_pdf_shows_its_signer_and_that_it_is_intact(self) -> None:
        status, page = self.upload(self.signed.data)
        assert status == 200
        assert "Nguyễn Quốc Hùng" in page
        assert "UBND phường A" in page
        assert "còn nguyên vẹn" in page
        assert "đã bị thay đổi" not in page

    def test_an_uploaded_tampered_pdf_is_shown_as_changed(self) -> None:
        status, page = self.upload(flip_byte(self.signed.data, b"595.28"))
        assert status == 200
        assert "đã bị thay đổi" in page
        assert "Không hợp lệ" in page

    def test_a_file_that_is_not_a_pdf_gets_a_vietnamese_error(self) -> None:
        status, page = self.upload(b"\x89PNG\r\n\x1a\n not a pdf", name="anh.pdf")
        assert status == 400
        assert "Tệp này không phải là tệp PDF." in page

    @override_settings(UPLOAD_MAX_BYTES=1024)
    def test_a_file_over_the_size_limit_is_refused(self) -> None:
        status, page = self.upload(self.signed.data)
        assert status == 400
        assert "Tệp quá lớn" in page

    def test_the_code_and_secret_show_the_dossiers_signed_documents_checked(self) -> None:
        status, page = self.by_code(self.dossier.code, self.dossier.lookup_secret.lower())
        assert status == 200
        assert "Giấy xác nhận tình trạng hôn nhân" in page
        assert "còn nguyên vẹn" in page
        assert "Nguyễn Quốc Hùng" in page

    def test_a_wrong_secret_or_code_gets_the_same_not_found(self) -> None:
        wrong_secret = self.by_code(self.dossier.code, "SAIMA")
        wrong_code = self.by_code("000.00.00.H99-260316-9999", self.dossier.lookup_secret)
        for status, page in (wrong_secret, wrong_code):
            assert status == 404
            assert "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này" in page
            assert "Giấy xác nhận" not in page

    def test_lookups_by_code_are_rate_limited(self) -> None:
        with mock.patch.object(verification, "LOOKUPS_PER_WINDOW", 1):
            assert self.by_code(self.dossier.code, "SAI")[0] == 404
            status, page = self.by_code(self.dossier.code, self.dossier.lookup_secret)
        assert status == 429
        assert "quá nhiều lần" in page

    def test_a_stored_document_is_verified_by_its_public_id(self) -> None:
        url = reverse("verify_document", args=[self.document.public_id])
        response = self.client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Giấy xác nhận tình trạng hôn nhân" in page
        assert self.dossier.code in page
        assert "Nguyễn Quốc Hùng" in page
        assert "còn nguyên vẹn" in page
        assert self.dossier.applicant_name not in page  # no personal data

    def test_unknown_ids_and_citizens_files_are_not_found(self) -> None:
        missing = reverse("verify_document", args=[uuid.uuid4()])
        assert self.client.get(missing).status_code == 404
        component = store_bytes(
            small_pdf(),
            filename="cccd.pdf",
            content_type="application/pdf",
            dossier=self.dossier,
            kind=DocumentKind.COMPONENT,
            title="Căn cước của Nguyễn Văn An",
        )
        url = reverse("verify_document", args=[component.public_id])
        assert self.client.get(url).status_code == 404

    def test_an_unsigned_stored_form_says_it_has_no_signature(self) -> None:
        form = store_bytes(
            small_pdf(),
            filename="phieu.pdf",
            content_type="application/pdf",
            dossier=self.dossier,
            kind=DocumentKind.FORM,
            form="01",
            title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        )
        response = self.client.get(reverse("verify_document", args=[form.public_id]))
        assert response.status_code == 200
        assert "không có chữ ký số" in response.content.decode()
        assert Document.objects.filter(pk=form.pk).exists()
