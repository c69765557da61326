"""The simulator's RS256 signing key: generated once and kept in the data directory, so
that tokens and the published JWKS survive a restart of the demo."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from joserfc.jwk import RSAKey


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / "vneid-mo-phong" / "signing-key.pem"


@functools.cache
def _load(path: Path) -> RSAKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pem)
        temporary.chmod(0o600)
        os.replace(temporary, path)
    key = RSAKey.import_key(path.read_bytes())
    key.ensure_kid()
    return key


def signing_key() -> RSAKey:
    return _load(_key_path())


def public_jwks() -> dict[str, object]:
    key = signing_key()
    public = key.as_dict(private=False)
    public.update(use="sig", alg="RS256")
    return {"keys": [public]}
