"""Start the e-identity login, and take the provider's answer (the redirect URI)."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client import OAuthError
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from motcua.accounts.identities import IdentityRefused, sign_in_with_identity
from motcua.integrations.oidc import client as oidc
from motcua.integrations.oidc.claims import person_from_claims

log = logging.getLogger(__name__)
NEXT_KEY = "oidc_next"
BACKEND = "motcua.accounts.backends.LoginNameBackend"


def _failed(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "registration/external_login_failed.html", {"message": message}, status=status
    )


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's authorize page (state, nonce and PKCE kept in
    the session by Authlib)."""
    if not oidc.is_configured():
        raise Http404
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_KEY] = next_url
    else:
        request.session.pop(NEXT_KEY, None)
    try:
        response: HttpResponse = oidc.client().authorize_redirect(
            request, request.build_absolute_uri(reverse("oidc:callback"))
        )
    except (requests.RequestException, ValueError, KeyError, RuntimeError):
        log.exception("OpenID Connect provider unreachable")
        return _failed(
            request,
            _("Không kết nối được với hệ thống định danh điện tử. Vui lòng thử lại sau."),
            502,
        )
    return response


@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    """Check the answer (state, code, ID token signature, issuer, audience, nonce) and log
    the person in; anything that does not check out is refused."""
    if not oidc.is_configured():
        raise Http404
    app = oidc.client()
    try:
        token = app.authorize_access_token(request)
        claims = token.get("userinfo")
        if not claims:  # no ID token, or no nonce to check it against
            raise OAuthError(error="missing_id_token")
        metadata = app.load_server_metadata()
        if metadata.get("userinfo_endpoint"):
            extra = app.userinfo(token=token)
            if extra.get("sub") != claims["sub"]:
                raise OAuthError(error="userinfo_subject_mismatch")
            claims = {**extra, **claims}
        person = person_from_claims(str(claims["iss"]), claims)
        user = sign_in_with_identity(person)
    except IdentityRefused as refused:
        return _failed(request, refused.message, 403)
    except OAuthError as error:
        if error.error == "access_denied":
            messages.info(request, _("Bạn đã hủy đăng nhập bằng định danh điện tử."))
            return redirect("login")
        log.warning("OpenID Connect login refused: %s", error)
        return _failed(
            request,
            _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."),
            400,
        )
    except JoseError as error:
        log.warning("OpenID Connect ID token refused: %s", error)
        return _failed(
            request,
            _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."),
            400,
        )
    except (requests.RequestException, ValueError, KeyError):
        log.exception("OpenID Connect provider failed")
        return _failed(
            request,
            _("Không kết nối được với hệ thống định danh điện tử. Vui lòng thử lại sau."),
            502,
        )
    next_url = request.session.pop(NEXT_KEY, "")
    login(request, user, backend=BACKEND)
    messages.success(request, _("Đã đăng nhập bằng định danh điện tử: %(name)s.") % {"name": user})
    return redirect(next_url or "home")
