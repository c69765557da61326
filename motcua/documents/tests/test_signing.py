"""Signing PDFs with officers' certificates: the demo CA, keys encrypted at rest, PKCS#12
import, and signatures that pyHanko and poppler's pdfsig both accept."""

from __future__ import annotations

import datetime as dt
import os
from io import BytesIO, StringIO
from pathlib import Path
from unittest import mock

import pytest
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.documents import pki
from motcua.documents.models import CertificationAuthority, SigningCertificate
from motcua.documents.signing import (
    SignedPdf,
    StoredCertificateSigner,
    get_signer,
    next_field_name,
    to_asn1,
)
from motcua.documents.tests.signed_pdfs import flip_byte, pdfsig, small_pdf
from motcua.testing.base import PersonaTestCase


def certificate_of(record: SigningCertificate) -> x509.Certificate:
    return pki.load_signer_material(record).certificate


def roots() -> list[asn1_x509.Certificate]:
    return [to_asn1(c) for c in pki.trusted_roots()]


class SigningTests(PersonaTestCase):
    authority: CertificationAuthority
    record: SigningCertificate
    pdf: bytes
    tmp_path: Path

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.authority = pki.create_demo_authority()
        cls.record = pki.issue_demo_certificate(cls.p.hung, cls.authority)
        cls.pdf = small_pdf()

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def sign(self, pdf: bytes | None = None) -> SignedPdf:
        signed = StoredCertificateSigner().sign(
            pdf or self.pdf,
            officer=self.p.hung,
            reason="Ký duyệt kết quả giải quyết",
            location="UBND phường A",
        )
        assert signed is not None
        return signed

    # --- The demo CA and certificates -------------------------------------------------------

    def test_the_demo_authority_is_created_once_and_reused(self) -> None:
        assert pki.create_demo_authority() == self.authority
        assert CertificationAuthority.objects.filter(demo=True).count() == 1
        assert "KHÔNG có giá trị pháp lý" in self.authority.name

    def test_a_demo_certificate_names_the_officer_and_their_unit(self) -> None:
        certificate = certificate_of(self.record)
        subject = certificate.subject
        assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Nguyễn Quốc Hùng"
        assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
            "UBND phường A"
        )
        assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
        assert self.record.subject == "Nguyễn Quốc Hùng, UBND phường A"
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature
        assert usage.content_commitment  # nonRepudiation
        public = certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        assert public.curve.name == "secp256r1"
        lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
        assert dt.timedelta(days=729) < lifetime < dt.timedelta(days=731)

    def test_a_new_certificate_replaces_the_active_one(self) -> None:
        newer = pki.issue_demo_certificate(self.p.hung, self.authority)
        self.record.refresh_from_db()
        assert not self.record.active
        assert pki.usable_certificate(self.p.hung) == newer

    # --- Signing ----------------------------------------------------------------------------

    def test_a_signed_fpdf2_document_is_intact_valid_and_trusted_for_pyhanko(self) -> None:
        signed = self.sign()
        assert signed.subject == "Nguyễn Quốc Hùng, UBND phường A"
        assert abs(signed.signed_at - timezone.now()) < dt.timedelta(minutes=1)
        (embedded,) = PdfFileReader(BytesIO(signed.data)).embedded_signatures
        assert embedded.field_name == "Signature1"
        assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        context = ValidationContext(trust_roots=roots(), allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
        assert status.intact
        assert status.valid
        assert status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert status.md_algorithm == "sha256"

    def test_pdfsig_says_the_signature_is_valid(self) -> None:
        report = pdfsig(self.sign().data, self.tmp_path)
        assert "Signature is Valid" in report
        assert "Total document signed" in report
        assert "CN=Nguyễn Quốc Hùng,O=UBND phường A,C=VN" in report
        assert "ETSI.CAdES.detached" in report
        # The demo CA is ours alone: poppler does not know it.
        assert "Certificate issuer isn't Trusted" in report

    def test_flipping_one_signed_byte_is_caught_by_pyhanko_and_pdfsig(self) -> None:
        tampered = flip_byte(self.sign().data, b"595.28")  # the page's width, signed
        (embedded,) = PdfFileReader(BytesIO(tampered)).embedded_signatures
        status = validate_pdf_signature(
            embedded, ValidationContext(trust_roots=roots(), allow_fetching=False)
        )
        assert not status.intact
        report = pdfsig(tampered, self.tmp_path)
        assert "Digest Mismatch" in report
        assert "Signature is Valid" not in report

    def test_a_signed_pdf_can_be_signed_again(self) -> None:
        first = self.sign()
        assert next_field_name(first.data) == "Signature2"
        second = self.sign(first.data)
        assert second.data.startswith(first.data)  # an incremental update
        signatures = PdfFileReader(BytesIO(second.data)).embedded_signatures
        assert [s.field_name for s in signatures] == ["Signature1", "Signature2"]
        context = ValidationContext(trust_roots=roots(), allow_fetching=False)
        assert all(validate_pdf_signature(s, context).bottom_line for s in signatures)
        report = pdfsig(second.data, self.tmp_path)
        assert report.count("Signature is Valid") == 2

    def test_an_officer_without_a_certificate_gets_no_signature(self) -> None:
        assert (
            StoredCertificateSigner().sign(
                self.pdf, officer=self.p.chi, reason="Ký", location="UBND phường A"
            )
            is None
        )

    def test_an_inactive_or_expired_certificate_is_not_used(self) -> None:
        SigningCertificate.objects.filter(pk=self.record.pk).update(active=False)
        assert pki.usable_certificate(self.p.hung) is None
        SigningCertificate.objects.filter(pk=self.record.pk).update(
            active=True, not_after=timezone.now() - dt.timedelta(days=1)
        )
        assert pki.usable_certificate(self.p.hung) is None

    def test_the_signer_is_the_one_named_in_settings(self) -> None:
        assert isinstance(get_signer(), StoredCertificateSigner)
        assert get_signer() is get_signer()

    # --- Keys at rest -----------------------------------------------------------------------

    def test_stored_keys_are_encrypted_with_a_passphrase_derived_from_the_secret_key(
        self,
    ) -> None:
        blob = bytes(self.record.pkcs12)
        for wrong in (None, b"", b"test-only-not-secret"):
            with pytest.raises(ValueError):  # noqa: PT011 -- cryptography's only error type
                pkcs12.load_pkcs12(blob, wrong)
        loaded = pkcs12.load_pkcs12(blob, pki.deployment_passphrase())
        assert loaded.key is not None
        assert isinstance(loaded.key, ec.EllipticCurvePrivateKey)
        plain = loaded.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        scalar = loaded.key.private_numbers().private_value.to_bytes(32, "big")
        assert plain not in blob
        assert scalar not in blob
        ca_blob = bytes(self.authority.encrypted_key or b"")
        with pytest.raises(TypeError):  # encrypted: loading without a password is refused
            serialization.load_der_private_key(ca_blob, None)

    def test_another_secret_key_cannot_open_the_stored_keys(self) -> None:
        with override_settings(SECRET_KEY="another-deployment"):
            with pytest.raises(pki.CertificateError):
                pki.load_signer_material(self.record)
            with pytest.raises(pki.CertificateError):
                pki.issue_demo_certificate(self.p.giang, self.authority)

    def test_a_rotated_secret_key_still_opens_them_from_the_fallbacks(self) -> None:
        with override_settings(
            SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["test-only-not-secret"]
        ):
            material = pki.load_signer_material(self.record)
        assert material.certificate.subject.rfc4514_string().startswith("CN=Nguyễn Quốc Hùng")

    # --- Real certificates ------------------------------------------------------------------

    def test_importing_a_pkcs12_file_keeps_it_re_encrypted_and_signs_with_it(self) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, "Đỗ Văn Giang"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND phường A"),
            ]
        )
        now = timezone.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .sign(key, hashes.SHA256())
        )
        data = pkcs12.serialize_key_and_certificates(
            b"giang", key, certificate, None, serialization.BestAvailableEncryption(b"matkhau")
        )
        with pytest.raises(pki.CertificateError, match="sai mật khẩu"):
            pki.import_pkcs12(self.p.giang, data, b"sai")

        record = pki.import_pkcs12(self.p.giang, data, b"matkhau")

        assert record.subject == "Đỗ Văn Giang, UBND phường A"
        with pytest.raises(ValueError):  # noqa: PT011 -- cryptography's only error type
            pkcs12.load_pkcs12(bytes(record.pkcs12), b"matkhau")
        material = pki.load_signer_material(record)
        assert material.certificate == certificate
        assert material.key.public_key() == key.public_key()
        with pytest.raises(pki.CertificateError, match="đã có"):
            pki.import_pkcs12(self.p.giang, data, b"matkhau")
        signed = StoredCertificateSigner().sign(
            self.pdf, officer=self.p.giang, reason="Ký", location="UBND phường A"
        )
        assert signed is not None
        assert "Signature is Valid" in pdfsig(signed.data, self.tmp_path)

    def test_an_authority_is_trusted_once_added(self) -> None:
        pem = self.authority.certificate_pem.encode()
        assert pki.add_authority(pem) == self.authority
        with pytest.raises(pki.CertificateError):
            pki.add_authority(b"not a certificate")


class CommandTests(PersonaTestCase):
    tmp_path: Path

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def test_create_demo_pki_gives_signing_leaders_a_certificate_once(self) -> None:
        out = StringIO()
        call_command("create_demo_pki", stdout=out)
        assert "hung: Nguyễn Quốc Hùng, UBND phường A" in out.getvalue()
        call_command("create_demo_pki", stdout=StringIO())
        assert SigningCertificate.objects.filter(user=self.p.hung).count() == 1
        call_command("create_demo_pki", "giang", stdout=StringIO())
        assert pki.usable_certificate(self.p.giang) is not None
        with pytest.raises(CommandError, match="khong-co"):
            call_command("create_demo_pki", "khong-co", stdout=StringIO())

    def test_import_certificate_reads_the_passphrase_from_the_environment(self) -> None:
        authority = pki.create_demo_authority()
        donor = pki.issue_demo_certificate(self.p.thu, authority)
        material = pki.load_signer_material(donor)
        data = pkcs12.serialize_key_and_certificates(
            b"x",
            material.key,
            material.certificate,
            material.chain,
            serialization.BestAvailableEncryption(b"bi-mat"),
        )
        donor.delete()
        path = Path(self.tmp_path) / "giang.p12"
        path.write_bytes(data)
        out = StringIO()
        with mock.patch.dict(os.environ, {"P12_PASS": "bi-mat"}):
            call_command(
                "import_certificate", "giang", str(path), "--passphrase-env", "P12_PASS", stdout=out
            )
        assert "Đã nhập chứng thư" in out.getvalue()
        assert pki.usable_certificate(self.p.giang) is not None
        with pytest.raises(CommandError, match="sai mật khẩu"):
            call_command("import_certificate", "giang", str(path), "--no-passphrase")

    def test_import_certificate_trusts_an_authority(self) -> None:
        pem = pki.create_demo_authority().certificate_pem
        CertificationAuthority.objects.all().delete()
        path = Path(self.tmp_path) / "ca.pem"
        path.write_text(pem)
        call_command(
            "import_certificate", "--authority", str(path), "--name", "CA tỉnh", stdout=StringIO()
        )
        assert CertificationAuthority.objects.get().name == "CA tỉnh"
