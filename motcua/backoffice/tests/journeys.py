"""Helpers shared by the back-office tests: dossiers in a given state, built with the real
actions at known times, and posting an action form as a browser would."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import time_machine
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Role, Unit, UnitKind, User
from motcua.backoffice.views import dossier_version
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.testing.builders import make_officer, make_unit
from motcua.testing.dossiers import MONDAY_9AM, desk_dossier, online_dossier
from motcua.testing.personas import Personas


def at(hours: float) -> time_machine.travel:
    """A moment `hours` after Monday 16 March 2026, 09:00 (clock stopped)."""
    return time_machine.travel(MONDAY_9AM + dt.timedelta(hours=hours), tick=False)


def justice_department(p: Personas) -> tuple[Unit, User]:
    """A provincial department outside both communes, with one specialist (Khoa)."""
    unit = make_unit("Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=p.province, code="H99.02")
    khoa = make_officer("khoa", "Lê Văn Khoa", unit, Role.SPECIALIST)
    return unit, khoa


def at_specialist_step(p: Personas, version: ProcedureVersion) -> Dossier:
    """A direct dossier whose active step is the specialist's (step 3), unassigned."""
    dossier = desk_dossier(p, version)
    actions.forward(dossier.pk, actor=p.binh)
    actions.forward(dossier.pk, actor=p.giang)
    return dossier


def at_signing_step(p: Personas, version: ProcedureVersion) -> Dossier:
    dossier = at_specialist_step(p, version)
    actions.forward(dossier.pk, actor=p.chi, note="Đủ điều kiện")
    return dossier


def result_ready(p: Personas, version: ProcedureVersion) -> Dossier:
    dossier = at_signing_step(p, version)
    actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12/GXN")
    return dossier


_keys = itertools.count(1)


def submitted(p: Personas, version: ProcedureVersion) -> Dossier:
    """A new online dossier of An's, waiting at commune A's centre."""
    return online_dossier(p, version, key=f"bo-{next(_keys)}")


def action_url(dossier: Dossier, name: str) -> str:
    return reverse("backoffice:dossier_action", args=[dossier.pk, name])


def page_url(dossier: Dossier) -> str:
    return reverse("backoffice:dossier_detail", args=[dossier.pk])


def post_action(
    client: Client,
    dossier: Dossier,
    name: str,
    version: str | None = None,
    **fields: Any,
) -> HttpResponse:
    """Post the action's form with the dossier's current version (or the one given)."""
    data = {f"{name}-{key}": value for key, value in fields.items()}
    data[f"{name}-version"] = version if version is not None else dossier_version(dossier)
    response = client.post(action_url(dossier, name), data)
    assert isinstance(response, HttpResponse)
    return response
