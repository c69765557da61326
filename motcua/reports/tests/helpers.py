"""Shared by the reports tests: procedures, officers of commune B, and moving the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import time_machine

from motcua.accounts.models import Role, User
from motcua.catalog import versions
from motcua.catalog.models import ProcedureVersion, Step
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Dossier
from motcua.testing.builders import make_officer, make_procedure
from motcua.testing.dossiers import PROCESS, VN, submission
from motcua.testing.personas import Personas


def procedure(code: str, name: str, *, field: str, level: str = "commune") -> ProcedureVersion:
    """A 3-working-day procedure with the four-step process of `testing.dossiers`."""
    version = make_procedure(code, name, field=field, level=level, publish=False, steps=("1",))
    version.steps.all().delete()
    for position, (step_name, role, kind, hours, counted) in enumerate(PROCESS, start=1):
        Step.objects.create(
            version=version,
            position=position,
            name=step_name,
            role=role,
            unit_kind=kind,
            budget_hours=Decimal(hours),
            counted=counted,
        )
    versions.publish(version.pk)
    version.refresh_from_db()
    return version


def commune_b_team(p: Personas) -> User:
    """Bảo, who holds every processing role in commune B (Dũng receives there)."""
    return make_officer(
        "bao",
        "Hoàng Văn Bảo",
        p.commune_b,
        Role.HEAD_OF_OFFICE,
        Role.SPECIALIST,
        Role.SIGNING_LEADER,
    )


@contextmanager
def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> Iterator[None]:
    with time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=VN), tick=False):
        yield


def desk(
    p: Personas,
    version: ProcedureVersion,
    *,
    commune_b: bool = False,
    channel: str = Channel.DIRECT,
    decision: str = "accept",
) -> Dossier:
    unit = p.commune_b if commune_b else p.commune_a
    centre = p.commune_b if commune_b else p.centre_a
    return actions.receive_at_desk(
        submission(p, version, competent_unit_id=unit.pk, receiving_centre_id=centre.pk),
        officer=p.dung if commune_b else p.binh,
        channel=channel,
        decision=decision,
        reason="Không đủ điều kiện" if decision != "accept" else "",
        applicant_user=p.an,
    )


def finish(p: Personas, dossier: Dossier, bao: User | None = None) -> None:
    """Run the four counted steps: the result is ready (the dossier is closed)."""
    if bao is None:
        actions.forward(dossier.pk, actor=p.binh)
        actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
        actions.forward(dossier.pk, actor=p.chi)
        actions.forward(dossier.pk, actor=p.hung, result_summary="Kết quả")
    else:
        actions.forward(dossier.pk, actor=p.dung)
        actions.forward(dossier.pk, actor=bao)
        actions.forward(dossier.pk, actor=bao)
        actions.forward(dossier.pk, actor=bao, result_summary="Kết quả")


def ask_supplement(p: Personas, dossier: Dossier, *, give: bool = True) -> None:
    """Bình (commune A's desk) asks for a supplement and, with `give`, receives it at once."""
    actions.request_supplement(dossier.pk, actor=p.binh, missing="Bản sao giấy tờ")
    if give:
        actions.receive_supplement(dossier.pk, actor=p.binh)
