"""A handful of demo dossiers in commune A (and one in commune B) so that every queue of the
back office has something in it on the first start. They are made with the real actions, by
the demo officers, at the time the demo is first started; a second run adds nothing."""

from __future__ import annotations

from dataclasses import replace

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import RoleAssignment, Unit, User
from motcua.catalog.models import Procedure
from motcua.documents import pki
from motcua.documents.models import StoreItem
from motcua.documents.pdf import FormPDF
from motcua.dossiers import access, actions
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.status import DossierStatus


def seed_certificates() -> int:
    """The demo certification authority and a signing certificate for every officer who
    has none (keys encrypted under the deployment's secret key); returns how many."""
    authority = pki.create_demo_authority()
    created = 0
    officers = User.objects.filter(
        pk__in=RoleAssignment.objects.current().values("user_id")
    ).order_by("username")
    for officer in officers:
        if pki.usable_certificate(officer) is None:
            pki.issue_demo_certificate(officer, authority)
            created += 1
    return created


def demo_scan(name: str) -> SimpleUploadedFile:
    """A one-page PDF standing for the scan of a paper received at the desk."""
    pdf = FormPDF(title=f"Bản số hóa: {name}", author="motcua (dữ liệu mẫu)")
    pdf.title_block("Bản số hóa minh họa", subtitle="Dữ liệu mẫu của hệ thống motcua")
    pdf.paragraph(name)
    return SimpleUploadedFile("ban-so-hoa.pdf", pdf.to_bytes(), content_type="application/pdf")


def _submission(
    code: str, applicant: User, commune: Unit, *, scanned: bool = False
) -> actions.Submission:
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
                name=c.name,
                copy_type=c.copy_type,
                count=c.count,
                component_id=c.pk,
                upload=demo_scan(c.name) if scanned else None,
                keep_in_store=scanned,
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
            _submission(code, who, a, scanned=True),
            officer=binh,
            channel=Channel.DIRECT,
            applicant_user=who,
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
    # An's marriage status certificate, issued electronically and signed by the leader,
    # goes into An's store; An's marriage registration then reuses it instead of paper.
    status = desk("1.004873", an)
    forward_until(status, 0, result="Giấy xác nhận tình trạng hôn nhân: hiện chưa kết hôn")
    actions.return_result(status.pk, actor=binh)
    stored = StoreItem.objects.get(source_dossier=status, document_type__code="giay_xac_nhan_tthn")
    marriage = _submission("1.000894", an, a, scanned=True)
    version = Procedure.objects.get(code="1.000894").current_version()
    if version is None:
        raise LookupError("1.000894")
    reuse = version.components.get(document_type__code="giay_xac_nhan_tthn")
    components = [
        *marriage.components,
        actions.ReceivedComponent(
            name=reuse.name,
            copy_type=reuse.copy_type,
            component_id=reuse.pk,
            store_item_id=stored.pk,
        ),
    ]
    actions.receive_at_desk(
        replace(marriage, components=components),
        officer=binh,
        channel=Channel.DIRECT,
        applicant_user=an,
    )
    return 9
