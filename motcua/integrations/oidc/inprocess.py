"""A `requests` transport that answers from this Django project itself, in-process.

For tests: with settings.OIDC_HTTP_ADAPTER pointing here, the relying party's calls to the
provider (discovery, token, userinfo, JWKS) reach the simulator's views through Django's
test client instead of a socket.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

_SKIPPED = {"host", "content-length", "content-type", "connection", "accept-encoding"}


class InProcessAdapter(BaseAdapter):
    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        from django.test import Client

        url = urlsplit(request.url or "")
        body: Any = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = Client().generic(
            request.method or "GET",
            url.path + (f"?{url.query}" if url.query else ""),
            data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            secure=url.scheme == "https",
            headers={k: v for k, v in request.headers.items() if k.lower() not in _SKIPPED},
            HTTP_HOST=url.netloc,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response._content = answer.content
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass
