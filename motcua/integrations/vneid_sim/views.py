"""The simulator's endpoints: discovery, authorize, token, userinfo, JWKS.

Authorization codes and access tokens are signed with Django's `signing` (salted, timed),
so the simulator keeps no state beyond a cache entry that makes each code single-use.
PKCE (S256) is checked when the client sent a challenge.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.request import split_domain_port, validate_host
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from joserfc import jwt

from motcua.integrations.vneid_sim.citizens import BY_KEY, CITIZENS
from motcua.integrations.vneid_sim.keys import public_jwks, signing_key

CODE_SALT = "motcua.vneid_sim.code"
TOKEN_SALT = "motcua.vneid_sim.access_token"  # noqa: S105 -- a salt, not a secret
CODE_SECONDS = 120
TOKEN_SECONDS = 600
View = Callable[..., HttpResponse]


def simulator_only(view: View) -> View:
    """404 unless the simulator is switched on (settings.VNEID_SIMULATOR)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.VNEID_SIMULATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("vneid_sim:discovery")).removesuffix(
        "/.well-known/openid-configuration"
    )


def _error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


@simulator_only
def discovery(request: HttpRequest) -> JsonResponse:
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(f"vneid_sim:{name}"))

    return JsonResponse(
        {
            "issuer": issuer(request),
            "authorization_endpoint": url("authorize"),
            "token_endpoint": url("token"),
            "userinfo_endpoint": url("userinfo"),
            "jwks_uri": url("jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "phone", "address"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                "name",
                settings.VNEID_SIM_IDENTITY_CLAIM,
                "birthdate",
                "gender",
                "address",
                "phone_number",
                "email",
            ],
        }
    )


@simulator_only
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_jwks())


def _our_site(redirect_uri: str) -> bool:
    """Codes go back only to a host this site answers to (ALLOWED_HOSTS)."""
    parts = urlsplit(redirect_uri)
    domain, _port = split_domain_port(parts.netloc)
    return (
        parts.scheme in {"http", "https"}
        and bool(domain)
        and validate_host(domain, settings.ALLOWED_HOSTS)
    )


@simulator_only
@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """Pick a simulated citizen and consent; back to the client with a code (or an error)."""
    params = request.POST if request.method == "POST" else request.GET
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    state = params.get("state", "")
    if client_id != settings.VNEID_SIM_CLIENT_ID or not _our_site(redirect_uri):
        return render(
            request,
            "vneid_sim/authorize.html",
            {"invalid_client": True},
            status=400,
        )
    if params.get("response_type", "code") != "code":
        return _back(redirect_uri, error="unsupported_response_type", state=state)
    if request.method == "POST":
        if "cancel" in request.POST:
            return _back(redirect_uri, error="access_denied", state=state)
        citizen = BY_KEY.get(request.POST.get("citizen", ""))
        if citizen is not None:
            code = signing.dumps(
                {
                    "citizen": citizen.key,
                    "client_id": client_id,
                    "redirect_uri": redirect_uri,
                    "nonce": params.get("nonce", ""),
                    "scope": params.get("scope", ""),
                    "challenge": params.get("code_challenge", ""),
                },
                salt=CODE_SALT,
            )
            return _back(redirect_uri, code=code, state=state)
    return render(
        request,
        "vneid_sim/authorize.html",
        {
            "citizens": CITIZENS,
            "hidden": [
                (name, params.get(name, ""))
                for name in (
                    "client_id",
                    "redirect_uri",
                    "response_type",
                    "scope",
                    "state",
                    "nonce",
                    "code_challenge",
                    "code_challenge_method",
                )
                if params.get(name)
            ],
            "not_chosen": request.method == "POST",
        },
    )


def _back(redirect_uri: str, **params: str) -> HttpResponseRedirect:
    sep = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(
        redirect_uri + sep + urlencode({k: v for k, v in params.items() if v})
    )


def _client_credentials(request: HttpRequest) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def _pkce_ok(challenge: str, verifier: str) -> bool:
    if not challenge:
        return True
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected, challenge)


@csrf_exempt
@simulator_only
@never_cache
@require_http_methods(["POST"])
def token(request: HttpRequest) -> JsonResponse:
    """Exchange a code for an access token and an RS256-signed ID token."""
    client_id, secret = _client_credentials(request)
    if client_id != settings.VNEID_SIM_CLIENT_ID or not hmac.compare_digest(
        secret, settings.VNEID_SIM_CLIENT_SECRET
    ):
        return _error("invalid_client", "Sai mã hoặc khóa bí mật của ứng dụng.", status=401)
    if request.POST.get("grant_type") != "authorization_code":
        return _error("unsupported_grant_type", "Chỉ hỗ trợ authorization_code.")
    code = request.POST.get("code", "")
    try:
        data = signing.loads(code, salt=CODE_SALT, max_age=CODE_SECONDS)
    except signing.BadSignature:
        return _error("invalid_grant", "Mã xác thực không hợp lệ hoặc đã hết hạn.")
    used_key = "vneid-sim:code:" + hashlib.sha256(code.encode()).hexdigest()
    if (
        data["client_id"] != client_id
        or data["redirect_uri"] != request.POST.get("redirect_uri", "")
        or not _pkce_ok(data["challenge"], request.POST.get("code_verifier", ""))
        or not cache.add(used_key, True, CODE_SECONDS + 10)
    ):
        return _error("invalid_grant", "Mã xác thực không hợp lệ hoặc đã được dùng.")
    citizen = BY_KEY[data["citizen"]]
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer(request),
        "aud": client_id,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "auth_time": now,
        **citizen.claims(settings.VNEID_SIM_IDENTITY_CLAIM),
    }
    if data["nonce"]:
        claims["nonce"] = data["nonce"]
    key = signing_key()
    id_token = jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)
    access_token = signing.dumps({"citizen": citizen.key}, salt=TOKEN_SALT)
    return JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": id_token,
            "scope": data["scope"],
        }
    )


@csrf_exempt
@simulator_only
@never_cache
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return _error("invalid_token", "Thiếu mã truy cập.", status=401)
    try:
        data = signing.loads(header[7:], salt=TOKEN_SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return _error("invalid_token", "Mã truy cập không hợp lệ hoặc đã hết hạn.", status=401)
    return JsonResponse(BY_KEY[data["citizen"]].claims(settings.VNEID_SIM_IDENTITY_CLAIM))
