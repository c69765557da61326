"""What the dossier actions call to produce documents: the forms each transition issues
(signed by the officer who took it), the result, the citizen's store, the digitisation
flags. Everything here runs inside the action's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from motcua.accounts.models import User
from motcua.documents import forms, results, signing, uploads
from motcua.documents.files import store_bytes
from motcua.documents.models import Document, DocumentKind, StoreItem, StoreSource
from motcua.documents.pdf import place_name
from motcua.documents.uploads import CheckedUpload, check_upload
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import (
    Arrival,
    Digitisation,
    Dossier,
    DossierComponent,
    DossierEvent,
    EventKind,
)

PDF = "application/pdf"
Upload = UploadedFile[Any] | CheckedUpload  # a raw upload, or one a form field already checked
# Forms stored when the event that issues them is recorded ("06" is stored on return, the
# final control slip; at any other time it is rendered from the events on request).
ISSUED_FORMS = ("01", "02", "03", "04", "05", "06")


def store_signed_pdf(pdf: bytes, *, officer: User | None, reason: str, **fields: Any) -> Document:
    """Sign `pdf` with the officer's certificate when they have one, and store it. Without
    a certificate the document is stored unsigned (and shown as such)."""
    dossier = fields.get("dossier")
    location = place_name(dossier.receiving_centre) if isinstance(dossier, Dossier) else ""
    signed = (
        signing.get_signer().sign(pdf, officer=officer, reason=reason, location=location)
        if officer is not None
        else None
    )
    return store_bytes(
        signed.data if signed else pdf,
        content_type=PDF,
        created_by=officer,
        signed_by=officer if signed else None,
        signed_at=signed.signed_at if signed else None,
        signer_subject=signed.subject if signed else "",
        **fields,
    )


def issue_form(event: DossierEvent) -> Document | None:
    """Render, sign and store the form `event` issues (called by `record_event`)."""
    if event.form not in ISSUED_FORMS:
        return None
    dossier = event.dossier
    pdf = forms.render_form(event.form, dossier, event=event)
    title = forms.FORM_TITLES[event.form]
    return store_signed_pdf(
        pdf,
        officer=event.actor,
        reason=title,
        dossier=dossier,
        kind=DocumentKind.FORM,
        form=event.form,
        event=event,
        title=title,
        filename=forms.form_filename(event.form, dossier),
    )


def issue_result(
    dossier: Dossier, event: DossierEvent, *, uploaded: Upload | None
) -> Document | None:
    """The result document: the file the finishing officer attached (a PDF of the result),
    or — when the procedure issues results electronically and none was attached — the
    electronic result rendered from what was recorded. It is signed by the leader who
    approved the dossier (the latest approval), or by the finishing officer when no leader
    step came before (a process that ends with the registry step still carries the
    leader's signature)."""
    version = dossier.procedure_version
    approval = (
        dossier.events.filter(kind=EventKind.APPROVED, actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    signer = approval.actor if approval is not None else event.actor
    if uploaded is not None:
        checked = uploaded if isinstance(uploaded, CheckedUpload) else check_upload(uploaded)
        if checked.content_type != PDF:
            raise ActionRefused("Văn bản kết quả phải là tệp PDF để ký số.")
        pdf = checked.content
    elif version.result_electronic:
        pdf = results.render_result(dossier, event)
    else:
        return None
    document = store_signed_pdf(
        pdf,
        officer=signer,
        reason=f"Ký số kết quả: {version.result_name}"[:200],
        dossier=dossier,
        kind=DocumentKind.RESULT,
        event=event,
        title=version.result_name,
        filename=f"ket-qua-{dossier.code}.pdf",
    )
    if document.signed_at is not None:
        dossier.result_electronic = True
        dossier.save(update_fields=["result_electronic", "updated_at"])
    return document


def _valid_until(item_type: object, day: dt.date) -> dt.date | None:
    days = getattr(item_type, "valid_days", None)
    return day + dt.timedelta(days=days) if days else None


def keep_results(dossier: Dossier) -> list[StoreItem]:
    """On return: every signed electronic result goes into the applicant's store."""
    if dossier.applicant_id is None:
        return []
    version = dossier.procedure_version
    kind = getattr(version, "result_document_type", None)
    today = timezone.localdate()
    kept = []
    for document in dossier.documents.filter(kind=DocumentKind.RESULT, signed_at__isnull=False):
        title = version.result_name
        if dossier.result_number:
            title = f"{title} (số {dossier.result_number})"
        kept.append(
            StoreItem.objects.create(
                owner_id=dossier.applicant_id,
                document_type=kind,
                title=title,
                document=document,
                source=StoreSource.RESULT,
                source_dossier=dossier,
                valid_until=_valid_until(kind, today),
            )
        )
    return kept


def keep_components(dossier: Dossier) -> list[StoreItem]:
    """On acceptance: the digitised components the applicant agreed to keep go into their
    store, typed by the catalogue component they answer."""
    if dossier.applicant_id is None:
        return []
    today = timezone.localdate()
    kept = []
    for component in dossier.components.filter(keep_in_store=True).select_related(
        "component__document_type"
    ):
        kind = component.component.document_type if component.component else None
        for document in component.files.filter(reused_from__isnull=True):
            if StoreItem.objects.filter(document=document).exists():
                continue
            kept.append(
                StoreItem.objects.create(
                    owner_id=dossier.applicant_id,
                    document_type=kind,
                    title=component.name,
                    document=document,
                    source=StoreSource.COMPONENT,
                    source_dossier=dossier,
                    valid_until=_valid_until(kind, today),
                )
            )
    return kept


def reusable_items(owner: User | None, document_type_ids: Iterable[int]) -> list[StoreItem]:
    """The owner's valid stored papers of the given types, newest first."""
    ids = [i for i in document_type_ids if i]
    if owner is None or not ids:
        return []
    today = timezone.localdate()
    items = StoreItem.objects.filter(owner=owner, document_type_id__in=ids).select_related(
        "document_type", "document"
    )
    return [item for item in items.order_by("-added_at") if item.valid_on(today)]


def reuse(component: DossierComponent, item: StoreItem, *, actor: User | None) -> Document:
    """Attach a stored paper to a component instead of asking for it: the same file, a new
    row pointing back at the store item, the component flagged as reused."""
    dossier = component.dossier
    wanted = component.component.document_type_id if component.component else None
    if item.owner_id != dossier.applicant_id or dossier.applicant_id is None:
        raise ActionRefused("Giấy tờ trong kho dữ liệu không thuộc người nộp hồ sơ.")
    if wanted is None or item.document_type_id != wanted:
        raise ActionRefused(f"«{item.title}» không phải loại giấy tờ «{component.name}» cần.")
    if not item.valid_on(timezone.localdate()):
        raise ActionRefused(f"«{item.title}» đã hết thời hạn sử dụng.")
    source = item.document
    document = Document.objects.create(
        dossier=dossier,
        kind=DocumentKind.COMPONENT,
        component=component,
        reused_from=item,
        title=component.name,
        file=source.file.name,
        filename=source.filename,
        content_type=source.content_type,
        size=source.size,
        sha256=source.sha256,
        created_by=actor,
        signed_by=source.signed_by,
        signed_at=source.signed_at,
        signer_subject=source.signer_subject,
    )
    component.arrival = Arrival.REUSED
    component.save(update_fields=["arrival"])
    return document


def attach_scan(
    component: DossierComponent, upload: Upload, *, actor: User | None, arrival: str
) -> Document:
    """A scanned or uploaded file for a component (checked by content, stored with its
    SHA-256)."""
    document = uploads.save_upload(
        upload,
        dossier=component.dossier,
        kind=DocumentKind.COMPONENT,
        component=component,
        title=component.name,
        created_by=actor,
    )
    component.arrival = arrival
    component.save(update_fields=["arrival"])
    return document


DIGITAL = (Arrival.SCANNED, Arrival.UPLOADED, Arrival.REUSED)


def update_digitisation(dossier: Dossier) -> str:
    """Full when every component is digital or exempt from scanning (TT 03/2025 Art. 5),
    partial when some are, none otherwise."""
    arrivals = list(dossier.components.values_list("arrival", flat=True))
    digital = sum(1 for a in arrivals if a in DIGITAL)
    exempt = sum(1 for a in arrivals if a == Arrival.EXEMPT)
    if digital and digital + exempt == len(arrivals):
        level = Digitisation.FULL
    elif digital:
        level = Digitisation.PARTIAL
    else:
        level = Digitisation.NONE
    if dossier.digitisation != level:
        dossier.digitisation = level
        dossier.save(update_fields=["digitisation", "updated_at"])
    return level
