"""A handful of demo dossiers in commune A (and one in commune B) so that every queue of the
back office has something in it on the first start. They are made with the real actions, by
the demo officers, at the time the demo is first started; a second run adds nothing."""

from __future__ import annotations

from motcua.accounts.models import Unit, User
from motcua.catalog.models import Procedure
from motcua.dossiers import access, actions
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.status import DossierStatus


def _submission(code: str, applicant: User, commune: Unit) -> actions.Submission:
    version = Procedure.objects.get(code=code).current_version()
    if version is None:
        raise LookupError(code)
    return actions.Submission(
        version_id=version.pk,
        competent_unit_id=commune.pk,
        receiving_centre_id=actions.service_centre_of(commune).pk,
        applicant=actions.Applicant(
            name=applicant.full_name,
            identity_number=applicant.identity_number or "",
            phone=applicant.phone,
            email=applicant.email,
            address=f"Số 12 Lê Lợi, {commune.short_name or commune.name}, tỉnh Thanh Hóa",
        ),
        components=[
            actions.ReceivedComponent(
                name=c.name, copy_type=c.copy_type, count=c.count, component_id=c.pk
            )
            for c in version.components.all()
            if c.required
        ],
    )


def seed_dossiers() -> int:
    """Create the demo dossiers unless there are dossiers already; returns how many."""
    if Dossier.objects.exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["an", "ha", "binh", "chi", "giang", "hung", "khanh", "dung"]
        )
    }
    a = Unit.objects.get(code="H56.14797")
    b = Unit.objects.get(code="H56.16522")
    an, ha, binh, chi = (users[n] for n in ("an", "ha", "binh", "chi"))

    def desk(code: str, who: User) -> Dossier:
        return actions.receive_at_desk(
            _submission(code, who, a), officer=binh, channel=Channel.DIRECT, applicant_user=who
        )

    officers = [users[n] for n in ("binh", "giang", "chi", "hung", "khanh")]

    def forward_until(dossier: Dossier, position: int, result: str = "") -> None:
        """Hand the dossier on, by whichever demo officer holds each step, until the step at
        `position` is active (or, with a result, until the result is ready)."""
        while True:
            dossier.refresh_from_db()
            step = access.active_step(dossier)
            if step is None or dossier.status == DossierStatus.RESULT_READY:
                return
            if not result and step.position >= position:
                return
            actor = next(u for u in officers if access.may(u, dossier, "forward"))
            actions.forward(
                dossier.pk,
                actor=actor,
                result_summary=result,
                assignee_id=chi.pk
                if step.role == "head_of_office" and step.position == 2
                else None,
            )

    # waiting for acceptance (online), in commune A and in commune B
    actions.submit_online(
        _submission("1.001193", an, a), applicant_user=an, idempotency_key="demo-1"
    )
    actions.submit_online(
        _submission("1.000656", ha, b), applicant_user=ha, idempotency_key="demo-2"
    )
    # at the head of office, to be assigned
    forward_until(desk("1.004873", ha), 2)
    # at the specialist Chi
    forward_until(desk("1.001022", an), 3)
    # waiting for a supplement asked by Chi
    waiting = desk("1.004859", ha)
    forward_until(waiting, 3)
    actions.request_supplement(
        waiting.pk, actor=chi, missing="Bản sao Giấy khai sinh có chứng thực"
    )
    # result ready at the desk, and one already returned
    forward_until(desk("2.000635", an), 0, result="Bản sao trích lục khai sinh (02 bản)")
    returned = desk("2.000908", ha)
    forward_until(returned, 0, result="Bản sao từ sổ gốc (01 bản)")
    actions.return_result(returned.pk, actor=binh)
    return 7
