"""Officer-facing pages. Access is decided by `motcua.accounts.access` and
`motcua.dossiers.access`; every change goes through `motcua.dossiers.actions`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.accounts import access
from motcua.accounts.models import Role, RoleAssignment, Unit, UnitKind, User
from motcua.backoffice import queues
from motcua.backoffice.forms import (
    ACTION_FORMS,
    ActionForm,
    ComponentFormSet,
    DeskForm,
    PeriodForm,
    ProcedureSearchForm,
    component_initial,
    components_by_id,
)
from motcua.backoffice.search import find_dossiers
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.search import Filters, current_versions
from motcua.catalog.search import search as search_procedures
from motcua.documents import forms as pdf_forms
from motcua.documents import issuing
from motcua.documents.models import DocumentKind
from motcua.dossiers import access as dossier_access
from motcua.dossiers import actions, events
from motcua.dossiers.errors import ActionRefused, StaleDossier
from motcua.dossiers.models import Dossier, DossierEvent, StepKind, StepStatus

PAGE_SIZE = 20
SWEEP_EVENTS = events.SWEEP_EVENTS

# The labels of `dossiers.access.RULES`, for translation.
ACTION_LABELS = {
    "accept": _("Tiếp nhận"),
    "refuse": _("Từ chối tiếp nhận"),
    "request_supplement": _("Yêu cầu bổ sung"),
    "receive_supplement": _("Nhận hồ sơ bổ sung"),
    "forward": _("Chuyển bước tiếp theo"),
    "assign": _("Phân công"),
    "send_back": _("Trả lại bước trước"),
    "consult": _("Lấy ý kiến cơ quan khác"),
    "answer_consultation": _("Trả lời ý kiến"),
    "request_payment": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "record_payment": _("Ghi nhận đã nộp"),
    "return_result": _("Trả kết quả"),
    "withdraw": _("Rút hồ sơ"),
    "stop": _("Dừng giải quyết"),
    "extend": _("Xin lỗi và gia hạn"),
}
DONE_MESSAGES = {
    "accept": _("Đã tiếp nhận hồ sơ %(code)s."),
    "refuse": _("Đã từ chối tiếp nhận hồ sơ %(code)s (mẫu 03)."),
    "request_supplement": _("Đã yêu cầu bổ sung hồ sơ %(code)s (mẫu 02); thời hạn tạm dừng."),
    "receive_supplement": _("Đã nhận hồ sơ bổ sung %(code)s; thời hạn được tính tiếp."),
    "forward": _("Đã chuyển hồ sơ %(code)s sang bước tiếp theo."),
    "assign": _("Đã phân công xử lý hồ sơ %(code)s."),
    "send_back": _("Đã trả lại hồ sơ %(code)s về bước trước."),
    "consult": _("Đã gửi lấy ý kiến về hồ sơ %(code)s."),
    "answer_consultation": _("Đã trả lời ý kiến về hồ sơ %(code)s."),
    "request_payment": _("Đã yêu cầu thực hiện nghĩa vụ tài chính cho hồ sơ %(code)s."),
    "record_payment": _("Đã ghi nhận nộp phí, lệ phí cho hồ sơ %(code)s."),
    "return_result": _("Đã trả kết quả hồ sơ %(code)s."),
    "withdraw": _("Đã ghi nhận rút hồ sơ %(code)s."),
    "stop": _("Đã dừng giải quyết hồ sơ %(code)s (mẫu 05)."),
    "extend": _("Đã gia hạn hồ sơ %(code)s (mẫu 04)."),
}


def _officer(request: HttpRequest) -> queues.Officer:
    """The officer behind the request; citizens and officers without roles get 404."""
    officer = queues.Officer(request.user)
    if not (request.user.is_superuser or officer.assignments):
        raise Http404
    return officer


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 -- @login_required ran before
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The officer's home: their queues with counts, their units and roles."""
    officer = _officer(request)
    return render(
        request,
        "backoffice/home.html",
        {
            "assignments": officer.assignments,
            "queue_counts": queues.counts_for(officer),
        },
    )


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's page: what it is, where it sits, the units below it and its officers."""
    _officer(request)
    unit = access.get_visible_unit(request.user, unit_id)
    today = timezone.localdate()
    period = PeriodForm(initial={"tu": today.replace(day=1), "den": today, "dinh_dang": "pdf"})
    return _unit_page(request, unit, period)


def _unit_page(
    request: HttpRequest, unit: Unit, period: PeriodForm, status: int = 200
) -> HttpResponse:
    ancestors = access.visible_units(request.user).filter(pk__in=unit.ancestor_ids)
    staff = (
        RoleAssignment.objects.current()
        .filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    return render(
        request,
        "backoffice/unit_detail.html",
        {
            "unit": unit,
            "breadcrumbs": sorted(ancestors, key=lambda u: len(u.path)),
            "children": unit.children.order_by("kind", "name"),
            "staff": staff,
            "my_roles": sorted(access.roles_at(request.user, unit)),
            "period": period,
        },
        status=status,
    )


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def tracking_book(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The tracking book (form 07) of a unit and the units below it, for a period, as PDF
    or Excel."""
    _officer(request)
    unit = access.get_visible_unit(request.user, unit_id)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _unit_page(request, unit, form, status=400)
    start, end = form.cleaned_data["tu"], form.cleaned_data["den"]
    name = f"so-theo-doi-{unit.code or unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}"
    if form.cleaned_data["dinh_dang"] == "xlsx":
        return _attachment(
            pdf_forms.tracking_book_xlsx(unit, start, end),
            f"{name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return _attachment(
        pdf_forms.tracking_book_pdf(unit, start, end), f"{name}.pdf", "application/pdf"
    )


# --- Work queues ---------------------------------------------------------------------------


@login_required
def queue_list(request: HttpRequest) -> HttpResponse:
    """The officer's queues with counts, and the chosen queue's dossiers by due time."""
    officer = _officer(request)
    counts = queues.counts_for(officer)
    chosen = None
    key = request.GET.get("hang")
    if key:
        chosen = next((c for c in counts if c.queue.key == key), None)
        if chosen is None:
            raise Http404
    elif counts:
        chosen = next((c for c in counts if c.count), counts[0])
    page = None
    rows: list[queues.Row] = []
    if chosen is not None:
        items: QuerySet[Any] = chosen.queue.rows(officer)
        if items.model is Dossier:
            items = queues.dossier_rows(items)
        paginator = Paginator(items, PAGE_SIZE)
        paginator.count = chosen.count  # counted once already, for the tabs
        page = paginator.get_page(request.GET.get("trang"))
        rows = queues.rows_of(list(page.object_list), chosen.queue)
    return render(
        request,
        "backoffice/queues.html",
        {"counts": counts, "chosen": chosen, "page": page, "rows": rows},
    )


# --- Dossier page and actions --------------------------------------------------------------


def dossier_version(dossier: Dossier) -> str:
    """What the officer saw (the domain's `dossier_version`), as the forms carry it."""
    return str(events.dossier_version(dossier))


def _latest_event(dossier: Dossier) -> DossierEvent | None:
    return (
        dossier.events.exclude(kind__in=SWEEP_EVENTS).select_related("actor").order_by("-id")
    ).first()


def _action_form(
    name: str, dossier: Dossier, user: User, version: str, data: Any = None, files: Any = None
) -> ActionForm:
    return ACTION_FORMS[name](
        data, files, dossier=dossier, user=user, prefix=name, initial={"version": version}
    )


def _dossier_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: ActionForm | None = None,
    refused: str = "",
    stale: DossierEvent | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    version = dossier_version(dossier)
    allowed = dossier_access.allowed_actions(user, dossier)
    action_forms = []
    for name in allowed:
        form = (
            bound
            if bound is not None and bound.prefix == name and not stale
            else _action_form(name, dossier, user, version)
        )
        action_forms.append({"name": name, "label": ACTION_LABELS[name], "form": form})
    steps = list(
        dossier.steps.select_related("unit", "assignee", "completed_by").order_by("position", "pk")
    )
    process = [s for s in steps if s.kind == StepKind.PROCESS]
    consultations = [s for s in steps if s.kind == StepKind.CONSULTATION]
    events = list(dossier.events.select_related("actor", "step__unit").order_by("at", "pk"))
    ledger = list(dossier.deadline_changes.select_related("step__unit").order_by("at", "pk"))
    version_obj = dossier.procedure_version
    return render(
        request,
        "backoffice/dossier_detail.html",
        {
            "dossier": dossier,
            "version": version_obj,
            "components": list(dossier.components.prefetch_related("files")),
            "documents": list(
                dossier.documents.exclude(kind=DocumentKind.COMPONENT).select_related("signed_by")
            ),
            "process": process,
            "consultations": consultations,
            "events": events,
            "ledger": ledger,
            "payments": list(dossier.payments.all()),
            "notifications": list(dossier.notifications.select_related("event")),
            "action_forms": action_forms,
            "refused": refused,
            "refused_action": ACTION_LABELS.get(bound.prefix or "", "") if bound else "",
            "stale": stale,
            "active": next((s for s in process if s.status == StepStatus.ACTIVE), None),
        },
        status=status,
    )


def _get_dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    _officer(request)
    dossier = dossier_access.get_dossier_for_officer(request.user, dossier_id)
    return (
        Dossier.objects.select_related(
            "procedure_version",
            "procedure_version__procedure",
            "variant",
            "reception_point",
            "receiving_centre",
            "competent_unit",
            "applicant",
        )
    ).get(pk=dossier.pk)


@login_required
def control_slip(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The process control slip (form 06) as it stands now, built from the events."""
    dossier = _get_dossier(request, dossier_id)
    return _attachment(
        pdf_forms.render_form("06", dossier),
        pdf_forms.form_filename("06", dossier),
        "application/pdf",
    )


@login_required
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Everything about one dossier, and only the actions this officer may take now."""
    return _dossier_page(request, _get_dossier(request, dossier_id))


def _run(name: str, dossier_id: int, actor: User, data: dict[str, Any], seen: int) -> Dossier:
    """Call the action `name` with the form's cleaned data; `seen` is the dossier version the
    form was rendered at, checked again by the action under its row lock."""
    inputs = dict(data)
    for field in ("assignee", "unit"):  # model choices → the ids the actions take
        if field in inputs:
            chosen = inputs.pop(field)
            inputs[f"{field}_id"] = chosen.pk if chosen is not None else None
    return actions.perform(name, dossier_id, actor=actor, expected_version=seen, **inputs)


@login_required
@require_POST
def dossier_action(request: HttpRequest, dossier_id: int, action: str) -> HttpResponse:
    """Take one action on the dossier (POST/redirect/GET). A form rendered before someone
    else acted is not used: the officer sees what happened instead."""
    if action not in ACTION_FORMS:
        raise Http404
    dossier = _get_dossier(request, dossier_id)
    user = _user(request)
    posted = request.POST.get(f"{action}-version", "")
    if posted != dossier_version(dossier):
        return _dossier_page(request, dossier, stale=_latest_event(dossier), status=409)
    form = _action_form(action, dossier, user, posted, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _dossier_page(request, dossier, bound=form, status=400)
    try:
        done = _run(action, dossier.pk, user, form.cleaned_data, int(posted))
    except ActionRefused as refusal:
        dossier = _get_dossier(request, dossier_id)
        if isinstance(refusal, StaleDossier) or dossier_version(dossier) != posted:
            # Another officer acted between our check and our action, and the action saw
            # it under its row lock: say what happened rather than why it was refused.
            return _dossier_page(request, dossier, stale=_latest_event(dossier), status=409)
        return _dossier_page(request, dossier, bound=form, refused=refusal.message, status=400)
    messages.success(request, DONE_MESSAGES[action] % {"code": done.code})
    return redirect("backoffice:dossier_detail", dossier_id=done.pk)


# --- Reception desk ------------------------------------------------------------------------


def _reception_centres(officer: queues.Officer) -> QuerySet[Unit]:
    """Where this officer receives dossiers: the service centres and reception points under
    their reception roles (or the units they hold the role at, when there are none)."""
    scope = officer.units([Role.RECEPTION]).filter(valid_to__isnull=True)
    centres = scope.filter(kind__in=[UnitKind.SERVICE_CENTRE, UnitKind.RECEPTION_POINT])
    if centres.exists():
        return centres.order_by("path")
    held = [a.unit_id for a in officer.assignments if a.role == Role.RECEPTION]
    return Unit.objects.filter(pk__in=held).order_by("path")


def _competent_units(version: ProcedureVersion) -> QuerySet[Unit]:
    units = Unit.objects.filter(kind=version.competent_unit_kind, valid_to__isnull=True)
    if not units.exists():
        units = Unit.objects.filter(valid_to__isnull=True).exclude(
            kind__in=[UnitKind.SERVICE_CENTRE, UnitKind.RECEPTION_POINT]
        )
    return units.order_by("path")


def _default_competent(centres: QuerySet[Unit], competent: QuerySet[Unit]) -> Unit | None:
    first = centres.first()
    if first is None:
        return competent.first()
    nearest = competent.filter(pk__in=first.ancestor_ids).order_by("-path").first()
    return nearest or competent.first()


def _desk_version(value: Any) -> ProcedureVersion | None:
    try:
        return current_versions().get(pk=int(value))
    except (ProcedureVersion.DoesNotExist, TypeError, ValueError):
        return None


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """Receive a direct or postal dossier: choose the procedure, then the applicant, the
    papers received and the decision (accept, refuse, ask for supplements)."""
    officer = _officer(request)
    if Role.RECEPTION not in officer.roles:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    version = _desk_version(source.get("version") or request.GET.get("thu-tuc"))
    if version is None:
        search_form = ProcedureSearchForm(request.GET or None)
        query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
        found = search_procedures(Filters(q=query))[:PAGE_SIZE] if query else []
        return render(
            request,
            "backoffice/desk_choose.html",
            {"search_form": search_form, "found": found, "query": query},
        )
    centres = _reception_centres(officer)
    competent = _competent_units(version)
    components = components_by_id(version)
    if request.method != "POST":
        form = DeskForm(
            initial={
                "version": version.pk,
                "receiving_centre": centres.first(),
                "competent_unit": _default_competent(centres, competent),
                "request_summary": "",
            },
            centres=centres,
            competent_units=competent,
        )
        formset = ComponentFormSet(initial=component_initial(version), prefix="tp")
        return _desk_page(request, version, form, formset, components)

    decision = request.POST.get("decision", "")
    data = request.POST.copy()
    form = DeskForm(data, centres=centres, competent_units=competent)
    formset = ComponentFormSet(data, request.FILES, initial=component_initial(version), prefix="tp")
    person = _applicant_account(data)
    _offer_reuse(formset, components, person)
    if decision == "lookup":
        return _lookup(request, version, data, centres, competent, formset, components)
    if decision not in ("accept", "refuse", "supplement"):
        raise Http404
    valid = form.is_valid() & formset.is_valid()
    form.check_decision(decision)
    received = []
    if formset.is_valid():
        for row in formset.cleaned_data:
            component = components.get(row.get("component") or 0)
            if component is None:
                continue
            if row["received"] or row.get("reuse"):
                received.append(
                    actions.ReceivedComponent(
                        name=component.name,
                        copy_type=row["copy_type"],
                        count=row["count"],
                        component_id=component.pk,
                        upload=row.get("scan"),
                        store_item_id=row.get("reuse"),
                        exemption=row.get("exemption") or "",
                        keep_in_store=bool(row.get("keep")),
                    )
                )
            elif decision == "accept" and component.required:
                form.add_error(
                    None,
                    _t("Chưa nhận «%(name)s» (bắt buộc): không thể tiếp nhận; hãy yêu cầu bổ sung.")
                    % {"name": component.name},
                )
    if not valid or form.errors:
        _files_not_kept(request, form)
        return _desk_page(request, version, form, formset, components, status=400)
    d = form.cleaned_data
    identity = d["identity_number"]
    submission = actions.Submission(
        version_id=version.pk,
        competent_unit_id=d["competent_unit"].pk,
        receiving_centre_id=d["receiving_centre"].pk,
        reception_point_id=d["receiving_centre"].pk,
        applicant=actions.Applicant(
            name=d["name"].strip(),
            identity_number=identity,
            phone=d["phone"],
            email=d["email"],
            address=d["address"],
            representative_name=d["representative_name"],
            representative_identity_number=d["representative_identity_number"],
        ),
        components=received,
        request_summary=d["request_summary"],
        return_channel=d["return_channel"],
        return_address=d["return_address"],
    )
    try:
        dossier = actions.receive_at_desk(
            submission,
            officer=_user(request),
            channel=d["channel"],
            decision=decision,
            reason=d["refuse_reason"] if decision == "refuse" else d["missing"],
            applicant_user=person,
        )
    except ActionRefused as refusal:
        form.add_error(None, refusal.message)
        _files_not_kept(request, form)
        return _desk_page(request, version, form, formset, components, status=400)
    done = {
        "accept": _("Đã tiếp nhận hồ sơ %(code)s (mẫu 01)."),
        "refuse": _("Đã từ chối tiếp nhận hồ sơ %(code)s (mẫu 03)."),
        "supplement": _("Đã yêu cầu bổ sung hồ sơ %(code)s (mẫu 02)."),
    }[decision]
    messages.success(request, done % {"code": dossier.code})
    return HttpResponseRedirect(reverse("backoffice:dossier_detail", args=[dossier.pk]))


def _files_not_kept(request: HttpRequest, form: DeskForm) -> None:
    if request.FILES:
        form.add_error(
            None,
            _t(
                "Các tệp số hóa đã chọn chưa được lưu vì hồ sơ chưa được ghi nhận; "
                "hãy chọn lại tệp sau khi sửa."
            ),
        )


def _applicant_account(data: Any) -> User | None:
    number = (data.get("identity_number") or "").strip()
    return User.objects.filter(identity_number=number).first() if number else None


def _offer_reuse(formset: Any, components: dict[int, Any], person: User | None) -> None:
    """Each paper the applicant's store already holds (valid, of the component's type) is
    offered for reuse on that component's row."""
    types = {c.document_type_id for c in components.values() if c.document_type_id}
    items = issuing.reusable_items(person, types)
    for sub in formset.forms:
        initial_id = sub.initial.get("component") or sub["component"].value()
        try:
            component = components.get(int(initial_id))
        except (TypeError, ValueError):
            component = None
        wanted = component.document_type_id if component is not None else None
        sub.offer([item for item in items if wanted and item.document_type_id == wanted])


def _lookup(
    request: HttpRequest,
    version: ProcedureVersion,
    data: Any,
    centres: QuerySet[Unit],
    competent: QuerySet[Unit],
    formset: Any,
    components: dict[int, Any],
) -> HttpResponse:
    """Find the applicant by identity number and fill in what the account knows, keeping
    everything else the officer typed."""
    number = (data.get("identity_number") or "").strip()
    person = User.objects.filter(identity_number=number).first() if number else None
    if person is not None:
        data["name"] = data.get("name") or person.get_full_name()
        data["phone"] = data.get("phone") or person.phone
        data["email"] = data.get("email") or person.email
    form = DeskForm(data, centres=centres, competent_units=competent)
    form.is_valid()
    form.check_decision("lookup")
    _files_not_kept(request, form)  # a look-up records nothing, so no chosen file is kept
    found = (
        _t("Đã tìm thấy người nộp: %(name)s.") % {"name": person.get_full_name()} if person else ""
    )
    return _desk_page(request, version, form, formset, components, looked_up=number, found=found)


def _desk_page(
    request: HttpRequest,
    version: ProcedureVersion,
    form: DeskForm,
    formset: Any,
    components: dict[int, Any],
    status: int = 200,
    looked_up: str = "",
    found: str = "",
) -> HttpResponse:
    rows = []
    for sub in formset.forms:
        initial_id = sub.initial.get("component") or sub["component"].value()
        try:
            component = components.get(int(initial_id))
        except (TypeError, ValueError):
            component = None
        rows.append({"form": sub, "component": component})
    return render(
        request,
        "backoffice/desk.html",
        {
            "version": version,
            "form": form,
            "formset": formset,
            "rows": rows,
            "looked_up": looked_up,
            "found": found,
        },
        status=status,
    )


# --- Search --------------------------------------------------------------------------------


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find a dossier by code, applicant name or identity number, among those the officer
    may see."""
    _officer(request)
    query = (request.GET.get("q") or "").strip()[:100]
    page = None
    if query:
        found = find_dossiers(dossier_access.dossiers_for_officer(request.user), query)
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "backoffice/search.html", {"query": query, "page": page})
