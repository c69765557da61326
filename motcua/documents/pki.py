"""Signing keys and certificates: the demo certification authority, officers' certificates
and the trust list the verification page uses.

Private keys are kept only in the database, encrypted: an officer's key and certificate as a
PKCS#12 blob (`SigningCertificate.pkcs12`), the demo authority's key as encrypted PKCS#8
(`CertificationAuthority.encrypted_key`). The passphrase of both is derived from
`settings.SECRET_KEY` with HKDF-SHA256 and a fixed label, so a copy of the database alone
does not give the keys away, and no key is ever written to a plain file. When the secret key
is rotated, the old one stays in `SECRET_KEY_FALLBACKS` until the keys are re-encrypted:
decryption tries every key in turn.

The demo authority issues certificates that no one outside this deployment trusts (Adobe
Reader and `pdfsig` say "issuer isn't trusted"); a real deployment imports its officers'
certificates from PKCS#12 files issued by a licensed provider (`import_pkcs12`) and adds the
provider's root with `add_authority`.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.documents.models import CertificationAuthority, SigningCertificate

DEMO_AUTHORITY_NAME = "motcua — CA thử nghiệm (KHÔNG có giá trị pháp lý)"
DEMO_CERTIFICATE_DAYS = 2 * 365
DEMO_AUTHORITY_DAYS = 10 * 365
_KDF_INFO = b"motcua.documents.pki: private key protection v1"
_PKCS12_KDF_ROUNDS = 50_000


class CertificateError(Exception):
    """A certificate or key that cannot be used; the message is for the operator."""


@dataclass(frozen=True)
class SignerMaterial:
    """What signing needs, decrypted in memory only."""

    key: pkcs12.PKCS12PrivateKeyTypes
    certificate: x509.Certificate
    chain: list[x509.Certificate]


# --- Key protection ---------------------------------------------------------------------------


def _derive(secret: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO).derive(
        secret.encode()
    )
    return base64.b64encode(raw)  # PKCS#12 passphrases are text: keep it printable


def deployment_passphrase() -> bytes:
    """The passphrase that protects stored keys, derived from the current SECRET_KEY."""
    return _derive(settings.SECRET_KEY)


def _passphrases() -> Iterator[bytes]:
    yield deployment_passphrase()
    for old in getattr(settings, "SECRET_KEY_FALLBACKS", []):
        yield _derive(old)


def _pkcs12_encryption() -> serialization.KeySerializationEncryption:
    return (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(_PKCS12_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(deployment_passphrase())
    )


def _protect_pkcs12(
    name: str,
    key: pkcs12.PKCS12PrivateKeyTypes,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, certificate, chain or None, _pkcs12_encryption()
    )


def _open_pkcs12(blob: bytes) -> pkcs12.PKCS12KeyAndCertificates:
    for passphrase in _passphrases():
        try:
            return pkcs12.load_pkcs12(blob, passphrase)
        except ValueError:
            continue
    raise CertificateError(
        "Không giải mã được khóa ký số: khóa bí mật của hệ thống (SECRET_KEY) đã đổi."
    )


def _protect_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(deployment_passphrase()),
    )


def _open_key(blob: bytes) -> ec.EllipticCurvePrivateKey:
    for passphrase in _passphrases():
        try:
            key = serialization.load_der_private_key(blob, passphrase)
        except ValueError:
            continue
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CertificateError("Khóa của CA thử nghiệm không phải khóa ECDSA.")
        return key
    raise CertificateError(
        "Không giải mã được khóa của CA thử nghiệm: khóa bí mật của hệ thống đã đổi."
    )


def _signing_key(key: PrivateKeyTypes | None) -> pkcs12.PKCS12PrivateKeyTypes:
    if not isinstance(
        key,
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | dsa.DSAPrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey,
    ):
        raise CertificateError("Tệp không có khóa ký số dùng được (RSA, ECDSA hoặc EdDSA).")
    return key


# --- Helpers ----------------------------------------------------------------------------------


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def _name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def describe(name: x509.Name) -> str:
    """«Nguyễn Quốc Hùng, UBND phường A» — the common name and the organisation."""
    parts = [
        _name_attribute(name, NameOID.COMMON_NAME),
        _name_attribute(name, NameOID.ORGANIZATION_NAME),
    ]
    return ", ".join(p for p in parts if p) or name.rfc4514_string()


def _officer_unit_name(user: User) -> str:
    """The unit the officer signs for: where they are signing leader, else any current role."""
    assignments = list(
        RoleAssignment.objects.current().filter(user=user).select_related("unit").order_by("id")
    )
    assignments.sort(key=lambda a: a.role != Role.SIGNING_LEADER)
    return assignments[0].unit.name if assignments else ""


# --- Demo certification authority -------------------------------------------------------------


def create_demo_authority(name: str = DEMO_AUTHORITY_NAME) -> CertificationAuthority:
    """The demo CA, created once (with its key, encrypted) and reused afterwards."""
    existing = (
        CertificationAuthority.objects.filter(demo=True, encrypted_key__isnull=False)
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua (thử nghiệm)"),
            x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
        ]
    )
    now = timezone.now()
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=DEMO_AUTHORITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificationAuthority.objects.create(
        name=name,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        fingerprint=fingerprint(certificate),
        encrypted_key=_protect_key(key),
        demo=True,
    )


def authority_certificate(authority: CertificationAuthority) -> x509.Certificate:
    return x509.load_pem_x509_certificate(authority.certificate_pem.encode())


def issue_demo_certificate(user: User, authority: CertificationAuthority) -> SigningCertificate:
    """A two-year signing certificate for `user` from the demo CA (ECDSA P-256), which
    becomes the officer's active certificate."""
    if not authority.encrypted_key:
        raise CertificateError("Tổ chức chứng thực này không có khóa để cấp chứng thư.")
    ca_key = _open_key(bytes(authority.encrypted_key))
    ca_certificate = authority_certificate(authority)
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    unit_name = _officer_unit_name(user)
    if unit_name:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name[:64]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, user.get_full_name()[:64]))
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=DEMO_CERTIFICATE_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return _save_certificate(user, key, certificate, [ca_certificate])


# --- Real certificates ------------------------------------------------------------------------


def import_pkcs12(user: User, data: bytes, passphrase: bytes | None) -> SigningCertificate:
    """Take an officer's PKCS#12 file (from a licensed provider), check it, and keep it
    re-encrypted under the deployment's key as the officer's active certificate."""
    try:
        loaded = pkcs12.load_pkcs12(data, passphrase)
    except ValueError as error:
        raise CertificateError("Không đọc được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.") from error
    if loaded.key is None or loaded.cert is None:
        raise CertificateError("Tệp PKCS#12 phải có cả khóa bí mật và chứng thư.")
    key = _signing_key(loaded.key)
    certificate = loaded.cert.certificate
    if key.public_key() != certificate.public_key():
        raise CertificateError("Khóa bí mật không khớp với chứng thư trong tệp.")
    if certificate.not_valid_after_utc <= timezone.now():
        raise CertificateError("Chứng thư đã hết hiệu lực.")
    chain = [c.certificate for c in loaded.additional_certs]
    return _save_certificate(user, key, certificate, chain)


def add_authority(data: bytes, name: str = "") -> CertificationAuthority:
    """Trust a certification authority (its certificate, PEM or DER) on the verification
    page. Adding the same certificate twice returns the existing row."""
    try:
        certificate = (
            x509.load_pem_x509_certificate(data)
            if data.lstrip().startswith(b"-----")
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as error:
        raise CertificateError("Không đọc được chứng thư của tổ chức chứng thực.") from error
    authority, _ = CertificationAuthority.objects.get_or_create(
        fingerprint=fingerprint(certificate),
        defaults={
            "name": name or describe(certificate.subject),
            "certificate_pem": certificate.public_bytes(serialization.Encoding.PEM).decode(),
        },
    )
    return authority


@transaction.atomic
def _save_certificate(
    user: User,
    key: pkcs12.PKCS12PrivateKeyTypes,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
) -> SigningCertificate:
    if SigningCertificate.objects.filter(fingerprint=fingerprint(certificate)).exists():
        raise CertificateError("Chứng thư này đã có trong hệ thống.")
    SigningCertificate.objects.filter(user=user, active=True).update(active=False)
    return SigningCertificate.objects.create(
        user=user,
        subject=describe(certificate.subject),
        issuer=describe(certificate.issuer),
        serial=format(certificate.serial_number, "x")[:64],
        fingerprint=fingerprint(certificate),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        pkcs12=_protect_pkcs12(user.username, key, certificate, chain),
        active=True,
    )


# --- Using them -------------------------------------------------------------------------------


def usable_certificate(user: User, at: dt.datetime | None = None) -> SigningCertificate | None:
    """The officer's active certificate valid at `at` (now by default), newest first."""
    at = at or timezone.now()
    return (
        SigningCertificate.objects.filter(
            user=user, active=True, not_before__lte=at, not_after__gt=at
        )
        .order_by("-not_before", "-id")
        .first()
    )


def load_signer_material(cert: SigningCertificate) -> SignerMaterial:
    """Decrypt a stored certificate's key, certificate and chain (in memory only)."""
    loaded = _open_pkcs12(bytes(cert.pkcs12))
    if loaded.key is None or loaded.cert is None:
        raise CertificateError("Chứng thư lưu trữ không có khóa bí mật.")
    return SignerMaterial(
        key=_signing_key(loaded.key),
        certificate=loaded.cert.certificate,
        chain=[c.certificate for c in loaded.additional_certs],
    )


def trusted_roots() -> list[x509.Certificate]:
    """The certificates of every CertificationAuthority row: what verification trusts."""
    return [authority_certificate(a) for a in CertificationAuthority.objects.order_by("id")]
