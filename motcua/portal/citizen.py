"""The citizen's own pages: their dossiers (list and detail, answering a supplement request
online, withdrawal, the way to rate the service), and their document store (kho dữ liệu).

Everything is filtered by the logged-in owner through `dossiers.access`; a dossier of
anyone else is a 404 on every page, GET or POST, exactly as one that does not exist.
Changes go through `dossiers.actions`; nothing here writes to a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.documents.models import DocumentKind, StoreItem
from motcua.documents.uploads import DossierFilesField
from motcua.dossiers import access, actions
from motcua.dossiers.actions.applicant import has_result
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Arrival, Dossier, DossierEvent, EventKind
from motcua.dossiers.status import DossierStatus as S
from motcua.feedback import queries as feedback_queries

PER_PAGE = 20

# The status as the applicant reads it: what is happening and whose turn it is.
PLAIN_STATUS: Mapping[S, Promise] = {
    S.SUBMITTED: _("Đã nộp trực tuyến, đang chờ cán bộ tiếp nhận"),
    S.ACCEPTED: _("Đã được tiếp nhận, sắp được giải quyết"),
    S.PROCESSING: _("Đang được giải quyết"),
    S.SUPPLEMENT_REQUESTED: _("Cần bạn bổ sung giấy tờ"),
    S.AWAITING_PAYMENT: _("Chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính"),
    S.RESULT_READY: _("Đã có kết quả, mời bạn nhận"),
    S.RETURNED: _("Đã trả kết quả"),
    S.REFUSED: _("Không được tiếp nhận"),
    S.WITHDRAWN: _("Bạn đã rút hồ sơ"),
    S.STOPPED: _("Cơ quan đã dừng giải quyết"),
}

# Statuses in which the applicant is expected to do something, with the badge saying what.
YOUR_TURN: Mapping[S, Promise] = {
    S.SUPPLEMENT_REQUESTED: _("Cần bổ sung"),
    S.AWAITING_PAYMENT: _("Cần nộp phí"),
    S.RESULT_READY: _("Kết quả đã sẵn sàng"),
}


# After the result is returned, until the applicant rates the service.
RATE_BADGE = _("Mời đánh giá")


def plain_status(dossier: Dossier) -> str:
    return str(PLAIN_STATUS[S(dossier.status)])


def expected_action(dossier: Dossier) -> str:
    """The badge of the list: what the applicant is expected to do now ("" for nothing)."""
    badge = YOUR_TURN.get(S(dossier.status))
    return str(badge) if badge is not None else ""


class SupplementAnswerForm(forms.Form):
    papers = DossierFilesField(label=_("Tệp giấy tờ bổ sung"))
    note = forms.CharField(
        label=_("Ghi chú cho cán bộ (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi lý do rút hồ sơ.")},
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # behind login_required


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """The applicant's dossiers, newest first, twenty a page."""
    dossiers = (
        access.dossiers_for_applicant(request.user)
        .select_related("procedure_version")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(dossiers, PER_PAGE).get_page(request.GET.get("trang"))
    shown = list(page.object_list)
    rated = feedback_queries.rated_dossier_ids(shown)
    rows = [
        {
            "dossier": d,
            "status": plain_status(d),
            "badge": expected_action(d)
            or (str(RATE_BADGE) if d.status == S.RETURNED and d.pk not in rated else ""),
        }
        for d in shown
    ]
    return render(request, "portal/my_dossiers.html", {"page": page, "rows": rows})


def _supplement_request(dossier: Dossier) -> DossierEvent | None:
    """The request the applicant must answer now (the latest one), with its form 02."""
    if dossier.status != S.SUPPLEMENT_REQUESTED:
        return None
    return (
        dossier.events.filter(kind=EventKind.SUPPLEMENT_REQUESTED)
        .prefetch_related("documents")
        .order_by("-at", "-pk")
        .first()
    )


def _detail(
    request: HttpRequest,
    dossier: Dossier,
    *,
    supplement_form: SupplementAnswerForm | None = None,
    withdrawal_form: WithdrawalForm | None = None,
    refused: str = "",
    refused_where: str = "",
    status: int = 200,
) -> HttpResponse:
    components = list(dossier.components.prefetch_related("files"))
    request_event = _supplement_request(dossier)
    can_withdraw = dossier.is_open and not has_result(dossier)
    context: dict[str, Any] = {
        "dossier": dossier,
        "plain_status": plain_status(dossier),
        "badge": expected_action(dossier),
        "components": components,
        "reused": sum(1 for c in components if c.arrival == Arrival.REUSED),
        "documents": list(
            dossier.documents.exclude(kind=DocumentKind.COMPONENT).order_by("created_at", "pk")
        ),
        "ledger": list(dossier.deadline_changes.filter(step__isnull=True).order_by("at", "pk")),
        "supplement_request": request_event,
        "request_forms": list(request_event.documents.all()) if request_event else [],
        "supplement_form": supplement_form
        if supplement_form is not None
        else (SupplementAnswerForm() if request_event else None),
        "can_withdraw": can_withdraw,
        "withdrawal_form": withdrawal_form
        if withdrawal_form is not None
        else (WithdrawalForm() if can_withdraw else None),
        "result_exists": has_result(dossier),
        "refused": refused,
        "refused_where": refused_where,
    }
    context.update(feedback_queries.rating_context(dossier))
    return render(request, "portal/my_dossier.html", context, status=status)


def _own_dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    """The applicant's dossier or 404; with what its pages show, loaded at once."""
    dossier = access.get_dossier_for_applicant(request.user, dossier_id)
    return (
        access.dossiers_for_applicant(request.user)
        .select_related("procedure_version", "competent_unit", "receiving_centre")
        .get(pk=dossier.pk)
    )


@login_required
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return _detail(request, _own_dossier(request, dossier_id))


@login_required
def answer_supplement(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Answer the supplement request with files (POST); the clock resumes at once."""
    dossier = _own_dossier(request, dossier_id)
    if request.method != "POST":
        return redirect("my_dossier", dossier_id=dossier.pk)
    form = SupplementAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, dossier, supplement_form=form, status=400)
    try:
        actions.answer_supplement_online(
            dossier.pk,
            applicant=_user(request),
            files=form.cleaned_data["papers"],
            note=form.cleaned_data["note"],
        )
    except ActionRefused as refused:
        dossier.refresh_from_db()
        return _detail(
            request,
            dossier,
            supplement_form=form,
            refused=refused.message,
            refused_where="supplement",
            status=400,
        )
    messages.success(
        request,
        gettext(
            "Đã gửi giấy tờ bổ sung cho hồ sơ %(code)s. Thời hạn giải quyết được tính tiếp "
            "và cộng thêm thời gian chờ bổ sung."
        )
        % {"code": dossier.code},
    )
    return redirect("my_dossier", dossier_id=dossier.pk)


@login_required
def withdraw(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Ask to withdraw the dossier (POST), refused once a result exists."""
    dossier = _own_dossier(request, dossier_id)
    if request.method != "POST":
        return redirect("my_dossier", dossier_id=dossier.pk)
    form = WithdrawalForm(request.POST)
    if not form.is_valid():
        return _detail(request, dossier, withdrawal_form=form, status=400)
    try:
        actions.withdraw_online(
            dossier.pk, applicant=_user(request), reason=form.cleaned_data["reason"]
        )
    except ActionRefused as refused:
        dossier.refresh_from_db()
        return _detail(
            request,
            dossier,
            withdrawal_form=form,
            refused=refused.message,
            refused_where="withdrawal",
            status=400,
        )
    messages.success(request, gettext("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("my_dossier", dossier_id=dossier.pk)


@login_required
def document_store(request: HttpRequest) -> HttpResponse:
    items = (
        StoreItem.objects.filter(owner_id=request.user.pk)
        .select_related("document_type", "document", "source_dossier")
        .order_by("-added_at")
    )
    return render(request, "portal/document_store.html", {"items": list(items)})
