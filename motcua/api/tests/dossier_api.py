"""Helpers shared by the dossier API tests: a logged-in client and a valid submission body."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from motcua.accounts.models import User
from motcua.catalog.models import ProcedureVersion
from motcua.testing.personas import Personas

URL = "/api/v1/dossiers"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(p: Personas, version: ProcedureVersion, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "procedure_code": version.procedure.code,
        "competent_unit_code": p.commune_a.code,
        "applicant": {"address": "12 Lê Lợi, phường A"},
        "components": [{"position": c.position} for c in version.components.all()],
    }
    fields.update(overrides)
    return fields


def submit(client: Client, payload: dict[str, Any], key: str | None = "k-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


def act(client: Client, code: str, name: str, **payload: Any) -> Any:
    return client.post(
        f"{URL}/{code}/actions/{name}",
        json.dumps(payload),
        content_type="application/json",
    )
