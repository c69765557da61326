"""Online submission (nộp hồ sơ trực tuyến): a step-by-step form generated from the pinned
version of a procedure, kept as a server-side draft, submitted once, and its receipt.

Steps: 1 applicant (pre-filled from the account), 2 papers (upload, reuse from the
document store, or show at the desk), 3 result delivery and fees, then the review. Every
step saves what was typed; files are held for the draft as they are uploaded. A draft and
a receipt are their owner's only: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import Unit, User
from motcua.catalog.models import Fee, OnlineMode, Procedure, ProcedureVersion
from motcua.documents import issuing, links
from motcua.documents.uploads import CheckedUpload
from motcua.dossiers import access
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import ReturnChannel
from motcua.dossiers.status import DossierStatus
from motcua.portal import submission_drafts as drafts
from motcua.portal.models import SubmissionDraft
from motcua.portal.submission_forms import (
    PAYMENT_METHODS,
    ApplicantForm,
    ComponentForm,
    DeliveryForm,
    applicant_initial,
)

STEP_TITLES = {
    "nguoi-nop": gettext_lazy("Người nộp hồ sơ"),
    "giay-to": gettext_lazy("Thành phần hồ sơ"),
    "nhan-ket-qua": gettext_lazy("Nhận kết quả và phí, lệ phí"),
    "xem-lai": gettext_lazy("Xem lại và nộp"),
}
SLUGS = [slug for slug, _key in drafts.STEPS] + ["xem-lai"]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise Http404
    return user


def online_version(procedure: Procedure) -> ProcedureVersion | None:
    """The version in force, when it offers online submission."""
    version = procedure.current_version()
    if version is None or version.online_mode == OnlineMode.NONE:
        return None
    return version


# --- Start, list, delete -------------------------------------------------------------------


@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """The entry from the procedure's page: resume one of the citizen's drafts of this
    procedure, or start a new one (POST)."""
    procedure = get_object_or_404(Procedure, code=code)
    version = online_version(procedure)
    if version is None:
        raise Http404
    user = _user(request)
    if request.method == "POST":
        draft = drafts.start_draft(user, version)
        return redirect("submission_step", key=draft.key, step=SLUGS[0])
    mine = [d for d in drafts.drafts_of(user) if d.version.procedure_id == procedure.pk]
    return render(
        request,
        "portal/submit/start.html",
        {"procedure": procedure, "version": version, "drafts": mine},
    )


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/submit/drafts.html", {"drafts": drafts.drafts_of(_user(request))}
    )


@login_required
@require_POST
def delete(request: HttpRequest, key: UUID) -> HttpResponse:
    draft = drafts.get_draft(_user(request), key)
    drafts.delete_draft(draft)
    messages.success(request, _("Đã xóa hồ sơ nháp và các tệp đã tải lên cho hồ sơ đó."))
    return redirect("submission_drafts")


# --- Steps ---------------------------------------------------------------------------------


def _context(draft: SubmissionDraft, slug: str, **more: Any) -> dict[str, Any]:
    return {
        "draft": draft,
        "version": draft.version,
        "procedure": draft.version.procedure,
        "step": slug,
        "step_number": SLUGS.index(slug) + 1,
        "steps": [(s, STEP_TITLES[s]) for s in SLUGS],
        "title": STEP_TITLES[slug],
        **more,
    }


def _after(request: HttpRequest, draft: SubmissionDraft, slug: str) -> HttpResponseRedirect:
    """Where the buttons lead once the step is saved: back, the drafts list, or next."""
    go = request.POST.get("go", "next")
    index = SLUGS.index(slug)
    if go == "back" and index > 0:
        return redirect("submission_step", key=draft.key, step=SLUGS[index - 1])
    if go == "save":
        messages.success(request, _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục bất cứ lúc nào."))
        return redirect("submission_drafts")
    return redirect("submission_step", key=draft.key, step=SLUGS[index + 1])


def _raw(request: HttpRequest, form: Any) -> dict[str, str]:
    return {name: request.POST.get(form.add_prefix(name), "") for name in form.fields}


def _applicant_form(
    draft: SubmissionDraft, data: Any = None, *, units: list[Unit] | None = None
) -> ApplicantForm:
    units = units if units is not None else drafts.competent_units(draft.version)
    stored = draft.data.get("applicant")
    return ApplicantForm(
        data,
        version=draft.version,
        units=units,
        initial=stored or applicant_initial(draft.owner, draft.version, units),
    )


def _component_forms(
    draft: SubmissionDraft, data: Any = None, files: Any = None
) -> list[ComponentForm]:
    version = draft.version
    held = drafts.held_uploads(draft)
    stored = draft.data.get("components", {})
    allow_desk = drafts.desk_allowed(version)
    forms_ = []
    for component in version.components.select_related("document_type"):
        answer = stored.get(str(component.pk), {})
        items = (
            issuing.reusable_items(draft.owner, [component.document_type_id])
            if component.document_type_id
            else []
        )
        forms_.append(
            ComponentForm(
                data,
                files,
                component=component,
                items=items,
                held=held.get(component.pk),
                allow_desk=allow_desk,
                initial={
                    "choice": answer.get("choice")
                    or (drafts.UPLOAD if component.pk in held else ""),
                    "store_item": answer.get("store_item") or "",
                    "keep": bool(answer.get("keep")),
                },
            )
        )
    return forms_


def _fees(version: ProcedureVersion) -> list[Fee]:
    return list(version.fees.all())


def _delivery_form(draft: SubmissionDraft, data: Any = None) -> DeliveryForm:
    stored = draft.data.get("delivery")
    initial = stored or {
        "return_channel": ReturnChannel.DESK.value,
        "return_address": draft.data.get("applicant", {}).get("address") or draft.owner.address,
    }
    return DeliveryForm(data, version=draft.version, fees=_fees(draft.version), initial=initial)


@login_required
def step(request: HttpRequest, key: UUID, step: str) -> HttpResponse:
    draft = drafts.get_draft(_user(request), key)
    if step == "nguoi-nop":
        return _applicant_step(request, draft)
    if step == "giay-to":
        return _components_step(request, draft)
    if step == "nhan-ket-qua":
        return _delivery_step(request, draft)
    if step == "xem-lai":
        return _review(request, draft)
    raise Http404


def _applicant_step(request: HttpRequest, draft: SubmissionDraft) -> HttpResponse:
    slug = "nguoi-nop"
    if request.method == "POST":
        form = _applicant_form(draft, request.POST)
        drafts.save_step(draft, "applicant", _raw(request, form))
        if form.is_valid() or request.POST.get("go") in ("back", "save"):
            return _after(request, draft, slug)
    else:
        form = _applicant_form(draft)
    return render(request, "portal/submit/applicant.html", _context(draft, slug, form=form))


def _components_step(request: HttpRequest, draft: SubmissionDraft) -> HttpResponse:
    slug = "giay-to"
    if request.method == "POST":
        forms_ = _component_forms(draft, request.POST, request.FILES)
        valid = [form.is_valid() for form in forms_]
        # Every file that passed the checks is kept, even when another field is wrong:
        # nothing uploaded is lost.
        for form in forms_:
            checked = form.cleaned_data.get("file")
            if isinstance(checked, CheckedUpload):
                drafts.hold_upload(draft, form.component, checked)
        drafts.save_step(draft, "components", {str(f.component.pk): f.stored() for f in forms_})
        if all(valid) or request.POST.get("go") in ("back", "save"):
            for form in forms_:
                for error in form.errors.as_data().get("file", []):
                    if error.code == "upload_refused":
                        messages.warning(
                            request,
                            _("Tệp cho «%(name)s» không được lưu: %(error)s")
                            % {"name": form.component.name, "error": " ".join(error.messages)},
                        )
            return _after(request, draft, slug)
        held = drafts.held_uploads(draft)
        for form in forms_:
            form.held = held.get(form.component.pk)
            if form.held is not None:
                form.fields["file"].help_text = _(
                    "Đã tải lên «%(name)s». Chọn tệp khác nếu muốn thay."
                ) % {"name": form.held.document.filename}
        status = 200
    else:
        forms_ = _component_forms(draft)
        status = 200
    return render(
        request,
        "portal/submit/components.html",
        _context(draft, slug, forms=forms_, allow_desk=drafts.desk_allowed(draft.version)),
        status=status,
    )


def _delivery_step(request: HttpRequest, draft: SubmissionDraft) -> HttpResponse:
    slug = "nhan-ket-qua"
    if request.method == "POST":
        form = _delivery_form(draft, request.POST)
        drafts.save_step(draft, "delivery", _raw(request, form))
        if form.is_valid() or request.POST.get("go") in ("back", "save"):
            return _after(request, draft, slug)
    else:
        form = _delivery_form(draft)
    return render(
        request,
        "portal/submit/delivery.html",
        _context(draft, slug, form=form, fees=_fees(draft.version)),
    )


# --- Review and submit ---------------------------------------------------------------------


def _check(draft: SubmissionDraft) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Validate every step again from what the draft holds: the cleaned values to show,
    and the steps that still need attention (slug, title)."""
    units = drafts.competent_units(draft.version)
    applicant = _applicant_form(draft, draft.data.get("applicant") or {}, units=units)
    stored = draft.data.get("components", {})
    prefixed = {
        f"c{pk}-{name}": value
        for pk, answer in stored.items()
        for name, value in answer.items()
        if value
    }
    components = _component_forms(draft, prefixed, {})
    delivery = _delivery_form(draft, draft.data.get("delivery") or {})
    problems = []
    if not draft.data.get("applicant") or not applicant.is_valid():
        problems.append(("nguoi-nop", STEP_TITLES["nguoi-nop"]))
    if not all(form.is_valid() for form in components):
        problems.append(("giay-to", STEP_TITLES["giay-to"]))
    if not draft.data.get("delivery") or not delivery.is_valid():
        problems.append(("nhan-ket-qua", STEP_TITLES["nhan-ket-qua"]))
    return {"applicant": applicant, "components": components, "delivery": delivery}, problems


def _summary(draft: SubmissionDraft, forms_: dict[str, Any]) -> dict[str, Any]:
    """What the review page lists, read from the validated forms."""
    applicant = forms_["applicant"]
    a = applicant.cleaned_data if applicant.is_bound and applicant.is_valid() else {}
    unit = Unit.objects.filter(pk=a["competent_unit"]).first() if a else None
    variant = draft.version.variants.filter(pk=a["variant"]).first() if a.get("variant") else None
    papers = []
    for form in forms_["components"]:
        data = form.cleaned_data if form.is_valid() else {}
        choice = data.get("choice") or ""
        how = ""
        if choice == drafts.UPLOAD and form.held is not None:
            how = _("Tải lên: %(name)s") % {"name": form.held.document.filename}
            if data.get("keep"):
                how += " " + _("(lưu vào kho dữ liệu khi hồ sơ được tiếp nhận)")
        elif choice == drafts.REUSE:
            item = next((i for i in form.items if i.pk == data.get("store_item")), None)
            how = _("Lấy từ kho dữ liệu: %(title)s") % {"title": item.title if item else "—"}
        elif choice == drafts.AT_DESK:
            how = _("Sẽ xuất trình bản chính tại bộ phận một cửa")
        elif choice == drafts.NOT_GIVEN:
            how = _("Không nộp")
        papers.append({"component": form.component, "how": how or _("Chưa chọn")})
    delivery = forms_["delivery"]
    d = delivery.cleaned_data if delivery.is_valid() else {}
    channel = dict(delivery.fields["return_channel"].choices).get(d.get("return_channel"), "")
    payment = dict(PAYMENT_METHODS).get(d.get("payment_method", ""), "")
    return {
        "a": a,
        "unit": unit,
        "variant": variant,
        "papers": papers,
        "channel": channel,
        "return_address": d.get("return_address", "")
        if d.get("return_channel") == ReturnChannel.POST
        else "",
        "payment": payment,
    }


def _review(
    request: HttpRequest, draft: SubmissionDraft, refusal: str = "", status: int = 200
) -> HttpResponse:
    forms_, problems = _check(draft)
    return render(
        request,
        "portal/submit/review.html",
        _context(
            draft,
            "xem-lai",
            problems=problems,
            refusal=refusal,
            fees=_fees(draft.version),
            **_summary(draft, forms_),
        ),
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, key: UUID) -> HttpResponse:
    """Submit the draft. Posting again (a double click, a retry, the back button) finds the
    dossier the key already made and shows its receipt: never a second dossier."""
    user = _user(request)
    draft = SubmissionDraft.objects.filter(owner=user, key=key).select_related("version").first()
    if draft is None:
        done = drafts.submitted_dossier(user, key)
        if done is None:
            raise Http404
        return redirect("submission_receipt", dossier_id=done.pk)
    done = drafts.submitted_dossier(user, key)
    if done is None:
        _forms, problems = _check(draft)
        if problems:
            return _review(request, draft, status=400)
        try:
            done = drafts.submit(draft)
        except ActionRefused as refused:
            done = drafts.submitted_dossier(user, key)  # made by a request that raced us
            if done is None:
                return _review(request, draft, refusal=refused.message, status=400)
    else:
        drafts.consume(draft)
    return redirect("submission_receipt", dossier_id=done.pk)


# --- Receipt -------------------------------------------------------------------------------


@login_required
def receipt(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The receipt of an online dossier: its code, the lookup secret and a QR code of the
    public tracking page. The applicant's only (404 for anyone else)."""
    dossier = access.get_dossier_for_applicant(request.user, dossier_id)
    url = links.tracking_url(dossier)
    qr = segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2)
    return render(
        request,
        "portal/submit/receipt.html",
        {
            "dossier": dossier,
            "tracking_url": url,
            "qr_svg": mark_safe(qr),  # noqa: S308 — segno's own SVG of our URL
            "waiting": dossier.status == DossierStatus.SUBMITTED,
            "components": list(dossier.components.all()),
        },
    )
