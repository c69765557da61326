"""Drafts of online submissions: start, save a step, hold an upload, delete, submit.

The portal's own records (`portal.models`); the dossier itself is created only by
`dossiers.actions.submit_online`, with the draft's key as the idempotency key, and adopts
the files held for the draft in its own transaction.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from motcua.accounts.models import Unit, User
from motcua.catalog.models import Component, CopyType, ProcedureVersion
from motcua.documents.models import Document, DocumentKind
from motcua.documents.uploads import CheckedUpload, save_upload
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Exemption
from motcua.portal.models import DraftUpload, SubmissionDraft

# Steps of the form, in order: (slug in the URL, key in the draft's data).
STEPS = (("nguoi-nop", "applicant"), ("giay-to", "components"), ("nhan-ket-qua", "delivery"))

# How a component is provided online.
UPLOAD, REUSE, AT_DESK, NOT_GIVEN = "upload", "reuse", "desk", "none"


def start_draft(owner: User, version: ProcedureVersion) -> SubmissionDraft:
    """A new draft pinned to `version`; its key is the future submission's idempotency key."""
    return SubmissionDraft.objects.create(owner=owner, version=version, data={})


def drafts_of(owner: User) -> list[SubmissionDraft]:
    return list(
        SubmissionDraft.objects.filter(owner=owner)
        .select_related("version__procedure")
        .order_by("-updated_at")
    )


def get_draft(owner: User, key: UUID) -> SubmissionDraft:
    """The owner's draft, or 404 — the same answer for someone else's draft and a missing one."""
    draft = (
        SubmissionDraft.objects.filter(owner=owner, key=key)
        .select_related("version__procedure")
        .first()
    )
    if draft is None:
        raise Http404
    return draft


def save_step(draft: SubmissionDraft, step: str, values: dict[str, Any]) -> None:
    """Keep what was typed in one step (as it was typed, valid or not)."""
    draft.data = {**draft.data, step: values}
    draft.updated_at = timezone.now()
    draft.save(update_fields=["data", "updated_at"])


def held_uploads(draft: SubmissionDraft) -> dict[int, DraftUpload]:
    """The files held for the draft, by catalogue component id."""
    return {u.component_id: u for u in draft.uploads.select_related("document")}


def _delete_files_on_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def hold_upload(draft: SubmissionDraft, component: Component, checked: CheckedUpload) -> None:
    """Store a checked file for a component of the draft (replacing the one held before).
    The file is a `Document` of the owner attached to no dossier."""
    previous = DraftUpload.objects.filter(draft=draft, component=component).first()
    document = save_upload(
        checked, kind=DocumentKind.COMPONENT, title=component.name, created_by=draft.owner
    )
    if previous is not None:
        old = previous.document
        previous.delete()
        if old.dossier_id is None:
            name = str(old.file.name)
            old.delete()
            _delete_files_on_commit([name])
    DraftUpload.objects.create(draft=draft, component=component, document=document)
    SubmissionDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now())


@transaction.atomic
def delete_draft(draft: SubmissionDraft) -> None:
    """Delete the draft and the files held for it (those no dossier adopted)."""
    documents = [u.document for u in draft.uploads.select_related("document")]
    draft.delete()
    names = []
    for document in documents:
        if document.dossier_id is None:
            names.append(str(document.file.name))
            document.delete()
    _delete_files_on_commit(names)


def competent_units(version: ProcedureVersion) -> list[Unit]:
    """The units that may decide the procedure (of its competent kind, not merged away)."""
    return list(
        Unit.objects.filter(kind=version.competent_unit_kind, valid_to__isnull=True).order_by(
            "name"
        )
    )


def desk_allowed(version: ProcedureVersion) -> bool:
    """A paper may be shown at the desk instead of uploaded only when the service is partly
    online (một phần); a full-process (toàn trình) service is done wholly online."""
    return version.online_mode == "partial"


def build_submission(draft: SubmissionDraft) -> actions.Submission:
    """The submission the draft describes (its steps already validated by the forms)."""
    data = draft.data
    applicant = data.get("applicant", {})
    delivery = data.get("delivery", {})
    answers = data.get("components", {})
    held = held_uploads(draft)
    version = draft.version
    unit = Unit.objects.get(pk=int(applicant["competent_unit"]))
    received = []
    for component in version.components.all():
        answer = answers.get(str(component.pk), {})
        choice = answer.get("choice") or (UPLOAD if component.pk in held else "")
        common = {"name": component.name, "count": component.count, "component_id": component.pk}
        if choice == UPLOAD and component.pk in held:
            received.append(
                actions.ReceivedComponent(
                    copy_type=CopyType.ELECTRONIC,
                    held_document_id=held[component.pk].document_id,
                    keep_in_store=bool(answer.get("keep")),
                    **common,  # type: ignore[arg-type]
                )
            )
        elif choice == REUSE and answer.get("store_item"):
            received.append(
                actions.ReceivedComponent(
                    copy_type=CopyType.ELECTRONIC,
                    store_item_id=int(answer["store_item"]),
                    **common,  # type: ignore[arg-type]
                )
            )
        elif choice == AT_DESK:
            received.append(
                actions.ReceivedComponent(
                    copy_type=component.copy_type,
                    exemption=Exemption.SHOWN,
                    **common,  # type: ignore[arg-type]
                )
            )
    declared = {
        key: str(value)
        for key, value in (
            ("date_of_birth", applicant.get("date_of_birth", "")),
            ("payment_method", delivery.get("payment_method", "")),
        )
        if value
    }
    return actions.Submission(
        version_id=version.pk,
        competent_unit_id=unit.pk,
        receiving_centre_id=actions.service_centre_of(unit).pk,
        variant_id=int(applicant["variant"]) if applicant.get("variant") else None,
        applicant=actions.Applicant(
            name=applicant.get("name", "").strip(),
            identity_number=applicant.get("identity_number", "").strip(),
            phone=applicant.get("phone", "").strip(),
            email=applicant.get("email", "").strip(),
            address=applicant.get("address", "").strip(),
            representative_name=applicant.get("representative_name", "").strip(),
            representative_identity_number=applicant.get(
                "representative_identity_number", ""
            ).strip(),
        ),
        components=received,
        request_summary=applicant.get("request_summary", "").strip(),
        return_channel=delivery.get("return_channel", "desk"),
        return_address=delivery.get("return_address", "").strip()
        if delivery.get("return_channel") == "post"
        else "",
        declared=declared,
    )


def submit(draft: SubmissionDraft) -> Dossier:
    """Submit the draft: one dossier per draft key however often this runs (a double click,
    a retry after a lost answer). The dossier adopts the held files in its transaction;
    the draft is then consumed. Raises `ActionRefused` with a Vietnamese message."""
    dossier = actions.submit_online(
        build_submission(draft), applicant_user=draft.owner, idempotency_key=str(draft.key)
    )
    consume(draft)
    return dossier


@transaction.atomic
def consume(draft: SubmissionDraft) -> None:
    """Forget a submitted draft. Its files now belong to the dossier and stay; should any be
    left unadopted (a component answered otherwise at the end), they are deleted."""
    delete_draft(draft)


def submitted_dossier(owner: User, key: UUID) -> Dossier | None:
    """The dossier a draft with this key became, if it was submitted."""
    return Dossier.objects.filter(applicant=owner, idempotency_key=str(key)).first()


def held_document(draft: SubmissionDraft, component_id: int) -> Document | None:
    upload = held_uploads(draft).get(component_id)
    return upload.document if upload else None
