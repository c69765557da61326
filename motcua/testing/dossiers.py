"""Builders for dossiers: real actions on a small realistic procedure, so that tests start
from states the system itself produces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.accounts.models import Role, UnitKind
from motcua.catalog import versions
from motcua.catalog.models import ProcedureVersion, Step
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Dossier
from motcua.testing.builders import make_procedure
from motcua.testing.personas import Personas

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Monday 16 March 2026, 09:00 in Hà Nội time: an ordinary working morning.
MONDAY_9AM = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VN)

PROCESS = [  # (name, role, unit kind, hours, counted) — like domain.md B2.4 example A
    ("Tiếp nhận, kiểm tra, chuyển xử lý", Role.RECEPTION, UnitKind.SERVICE_CENTRE, 4, True),
    ("Phân công xử lý", Role.HEAD_OF_OFFICE, UnitKind.COMMUNE, 4, True),
    ("Thẩm định, dự thảo kết quả", Role.SPECIALIST, UnitKind.COMMUNE, 12, True),
    ("Ký duyệt kết quả", Role.SIGNING_LEADER, UnitKind.COMMUNE, 4, True),
    ("Trả kết quả", Role.RECEPTION, UnitKind.SERVICE_CENTRE, 0, False),
]


def make_process_procedure(
    code: str = "1.000001", name: str = "Cấp giấy xác nhận"
) -> ProcedureVersion:
    """A 3-working-day procedure with a four-step process and an uncounted return step."""
    version = make_procedure(code, name, limit="3", publish=False, steps=("1",))
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


def submission(p: Personas, version: ProcedureVersion, **overrides: object) -> actions.Submission:
    fields: dict[str, object] = {
        "version_id": version.pk,
        "competent_unit_id": p.commune_a.pk,
        "receiving_centre_id": p.centre_a.pk,
        "applicant": actions.Applicant(
            name=p.an.full_name,
            identity_number=p.an.identity_number or "",
            phone=p.an.phone,
            address="12 Lê Lợi, phường A",
        ),
        "components": [
            actions.ReceivedComponent(
                name=c.name, copy_type=c.copy_type, count=c.count, component_id=c.pk
            )
            for c in version.components.all()
        ],
    }
    fields.update(overrides)
    return actions.Submission(**fields)  # type: ignore[arg-type]


def desk_dossier(
    p: Personas, version: ProcedureVersion, decision: str = "accept", reason: str = ""
) -> Dossier:
    """A direct dossier received by Bình at commune A's centre, for citizen An."""
    return actions.receive_at_desk(
        submission(p, version),
        officer=p.binh,
        channel=Channel.DIRECT,
        decision=decision,
        reason=reason,
        applicant_user=p.an,
    )


def online_dossier(p: Personas, version: ProcedureVersion, key: str = "k-1") -> Dossier:
    return actions.submit_online(submission(p, version), applicant_user=p.an, idempotency_key=key)
