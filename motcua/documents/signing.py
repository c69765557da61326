"""Digital signatures on issued forms and results (PAdES), behind a small interface.

Callers ask `get_signer().sign(pdf, officer=..., reason=..., location=...)`. The signer in
`settings.SIGNER` (a dotted path, `MOTCUA_SIGNER`) decides how: the default,
`StoredCertificateSigner`, signs with the officer's certificate kept (encrypted) in the
database. A remote signing service or a USB token bridge is another class with the same
`sign` method; nothing else changes.

Signatures are PAdES baseline B-B: the signing time is the server's clock as declared by the
signer, with no timestamp authority (this deployment calls no outside service). Each
signature is an incremental update, so a signed PDF can be signed again.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol, cast

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.accounts.models import User
from motcua.documents import pki


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    signed_at: dt.datetime
    subject: str  # «Nguyễn Quốc Hùng, UBND phường A»


class Signer(Protocol):
    def sign(self, pdf: bytes, *, officer: User, reason: str, location: str) -> SignedPdf | None:
        """Sign `pdf` as `officer`. None when the officer has no usable certificate: the
        caller then keeps the document unsigned and says so."""
        ...


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def next_field_name(pdf: bytes) -> str:
    """«Signature1» for an unsigned PDF, «Signature2» for one signed once, and so on."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    n = 1
    while f"Signature{n}" in taken:
        n += 1
    return f"Signature{n}"


class StoredCertificateSigner:
    """Signs with the officer's active SigningCertificate, decrypted in memory."""

    def sign(self, pdf: bytes, *, officer: User, reason: str, location: str) -> SignedPdf | None:
        certificate = pki.usable_certificate(officer)
        if certificate is None:
            return None
        material = pki.load_signer_material(certificate)
        key_der = material.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        chain = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [to_asn1(c) for c in material.chain]
        )
        signer = signers.SimpleSigner(
            signing_cert=to_asn1(material.certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            cert_registry=chain,
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=next_field_name(pdf),
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location,
            name=officer.get_full_name(),
        )
        signed_at = timezone.now()
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        output = cast(BytesIO, signers.sign_pdf(writer, metadata, signer=signer))
        return SignedPdf(data=output.getvalue(), signed_at=signed_at, subject=certificate.subject)


@functools.cache
def _load(path: str) -> Signer:
    return cast(Signer, import_string(path)())


def get_signer() -> Signer:
    """The signer named by settings.SIGNER, built once per process."""
    return _load(settings.SIGNER)
