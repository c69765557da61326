"""The provider's client, built from settings with Authlib.

Authlib does discovery, state, nonce and PKCE, the code-for-token exchange and the ID
token's signature (JWKS) and claims checks. Its HTTP calls go through `requests`; a
transport adapter named by settings.OIDC_HTTP_ADAPTER replaces the network (the tests
route the calls to the simulator in-process).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

NAME = "vneid"
METADATA_SECONDS = 3600
_metadata: dict[str, dict[str, Any]] = {}


@dataclass(frozen=True)
class LoginButton:
    url: str
    label: str


def is_configured() -> bool:
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def login_button() -> LoginButton | None:
    if not is_configured():
        return None
    return LoginButton(url=reverse("oidc:start"), label=str(settings.OIDC_LOGIN_LABEL))


class _Session(OAuth2Session):  # type: ignore[misc]
    """Authlib's requests session with a timeout and the configured transport."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default_timeout", settings.OIDC_TIMEOUT_SECONDS)
        super().__init__(*args, **kwargs)
        if settings.OIDC_HTTP_ADAPTER:
            adapter = import_string(settings.OIDC_HTTP_ADAPTER)()
            self.mount("http://", adapter)
            self.mount("https://", adapter)


class _App(DjangoOAuth2App):  # type: ignore[misc]
    client_cls = _Session

    def load_server_metadata(self) -> dict[str, Any]:
        # Discovery and the key set are kept for an hour per process, not fetched at
        # every login; a token signed with an unknown key makes Authlib fetch the keys again.
        url = self._server_metadata_url
        cached = _metadata.get(url)
        if cached is not None and cached.get("_loaded_at", 0) > time.time() - METADATA_SECONDS:
            self.server_metadata = cached
        else:
            self.server_metadata = {}
            _metadata[url] = super().load_server_metadata()
        return self.server_metadata


def client() -> _App:
    """A client for the configured provider (cheap: metadata is shared per process)."""
    return _App(
        DjangoIntegration(NAME),
        name=NAME,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=settings.OIDC_DISCOVERY_URL,
        client_kwargs={"scope": settings.OIDC_SCOPES, "code_challenge_method": "S256"},
    )


def forget_metadata() -> None:
    """Drop the cached discovery documents and keys (tests, a provider's key rollover)."""
    _metadata.clear()
