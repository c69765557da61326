"""Who may see a dossier, and which actions each user may take on it now.

Officers see a dossier when it touches a unit they may see (receiving centre, reception
point, competent unit, or the unit of any of its steps — an agency consulted sees the
dossier it was asked about). Applicants see their own dossiers. Everyone else gets "not
found", exactly as for a dossier that does not exist.

`RULES` is the one table of who may do what: the statuses an action needs and the role it
needs at which unit. Pages show only the actions `allowed_actions` returns; actions check
the same table again under the row lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from motcua.accounts import access as unit_access
from motcua.accounts.access import AnyUser
from motcua.accounts.models import Role, Unit
from motcua.dossiers.models import Dossier, DossierStep, StepKind, StepStatus
from motcua.dossiers.status import DossierStatus as S

# --- Seeing --------------------------------------------------------------------------------


def dossiers_for_officer(user: AnyUser) -> QuerySet[Dossier]:
    """Every dossier the officer may see (none for citizens and visitors)."""
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    units = unit_access.visible_units(user)
    step_here = DossierStep.objects.filter(dossier=OuterRef("pk"), unit__in=units)
    return Dossier.objects.filter(
        Q(competent_unit__in=units)
        | Q(receiving_centre__in=units)
        | Q(reception_point__in=units)
        | Exists(step_here)
    )


def get_dossier_for_officer(user: AnyUser, dossier_id: int) -> Dossier:
    try:
        return dossiers_for_officer(user).get(pk=dossier_id)
    except (Dossier.DoesNotExist, ValueError):
        raise Http404 from None


def dossiers_for_applicant(user: AnyUser) -> QuerySet[Dossier]:
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant=user)


def get_dossier_for_applicant(user: AnyUser, dossier_id: int) -> Dossier:
    try:
        return dossiers_for_applicant(user).get(pk=dossier_id)
    except (Dossier.DoesNotExist, ValueError):
        raise Http404 from None


def can_see(user: AnyUser, dossier: Dossier) -> bool:
    return (
        dossiers_for_officer(user).filter(pk=dossier.pk).exists()
        or dossiers_for_applicant(user).filter(pk=dossier.pk).exists()
    )


# --- Acting --------------------------------------------------------------------------------


def active_step(dossier: Dossier) -> DossierStep | None:
    return (
        dossier.steps.filter(kind=StepKind.PROCESS, status=StepStatus.ACTIVE)
        .select_related("unit", "assignee")
        .first()
    )


def open_consultations(dossier: Dossier) -> list[DossierStep]:
    return list(
        dossier.steps.filter(kind=StepKind.CONSULTATION, status=StepStatus.ACTIVE).select_related(
            "unit"
        )
    )


def _reception(user: AnyUser, dossier: Dossier) -> bool:
    return any(
        unit_access.can_act(user, unit, Role.RECEPTION)
        for unit in (dossier.receiving_centre, dossier.reception_point)
    )


def _step_holder(user: AnyUser, dossier: Dossier) -> bool:
    """The user may work on the active step: its assignee, or — while nobody is assigned —
    anyone holding its role at its unit; a head of office of that unit always may."""
    step = active_step(dossier)
    if step is None:
        return False
    if unit_access.can_act(user, step.unit, Role.HEAD_OF_OFFICE) and step.role in (
        Role.HEAD_OF_OFFICE,
        Role.SPECIALIST,
    ):
        return True
    if step.assignee_id is not None:
        return step.assignee_id == user.pk
    return unit_access.can_act(user, step.unit, Role(step.role))


def _head_of_step_unit(user: AnyUser, dossier: Dossier) -> bool:
    step = active_step(dossier)
    return step is not None and unit_access.can_act(user, step.unit, Role.HEAD_OF_OFFICE)


def _consulted(user: AnyUser, dossier: Dossier) -> bool:
    return any(
        any(unit_access.can_act(user, step.unit, role) for role in Role if role != Role.AUDITOR)
        for step in open_consultations(dossier)
    )


def _leader(user: AnyUser, dossier: Dossier) -> bool:
    return unit_access.can_act(user, dossier.competent_unit, Role.SIGNING_LEADER)


def _reception_or_step(user: AnyUser, dossier: Dossier) -> bool:
    return _reception(user, dossier) or _step_holder(user, dossier)


def _applicant(user: AnyUser, dossier: Dossier) -> bool:
    return user.is_authenticated and dossier.applicant_id == user.pk


@dataclass(frozen=True)
class Rule:
    statuses: frozenset[S]
    who: Callable[[AnyUser, Dossier], bool]
    label: str


RULES: dict[str, Rule] = {
    "accept": Rule(frozenset({S.SUBMITTED}), _reception, "Tiếp nhận"),
    "refuse": Rule(frozenset({S.SUBMITTED}), _reception, "Từ chối tiếp nhận"),
    "request_supplement": Rule(
        frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING}),
        _reception_or_step,
        "Yêu cầu bổ sung",
    ),
    "receive_supplement": Rule(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        lambda user, dossier: _reception(user, dossier) or _applicant(user, dossier),
        "Nhận hồ sơ bổ sung",
    ),
    "forward": Rule(frozenset({S.ACCEPTED, S.PROCESSING}), _step_holder, "Chuyển bước tiếp theo"),
    "assign": Rule(frozenset({S.ACCEPTED, S.PROCESSING}), _head_of_step_unit, "Phân công"),
    "send_back": Rule(frozenset({S.PROCESSING}), _step_holder, "Trả lại bước trước"),
    "consult": Rule(frozenset({S.PROCESSING}), _step_holder, "Lấy ý kiến cơ quan khác"),
    "answer_consultation": Rule(frozenset({S.PROCESSING}), _consulted, "Trả lời ý kiến"),
    "request_payment": Rule(
        frozenset({S.PROCESSING, S.RESULT_READY}),
        _reception_or_step,
        "Yêu cầu thực hiện nghĩa vụ tài chính",
    ),
    "record_payment": Rule(frozenset({S.AWAITING_PAYMENT}), _reception, "Ghi nhận đã nộp"),
    "return_result": Rule(frozenset({S.RESULT_READY}), _reception, "Trả kết quả"),
    "withdraw": Rule(
        frozenset(
            {S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}
        ),
        lambda user, dossier: _reception(user, dossier) or _applicant(user, dossier),
        "Rút hồ sơ",
    ),
    "stop": Rule(
        frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}),
        _leader,
        "Dừng giải quyết",
    ),
    "extend": Rule(
        frozenset({S.ACCEPTED, S.PROCESSING}),
        _leader,
        "Xin lỗi và gia hạn",
    ),
}


def refusal(user: AnyUser, dossier: Dossier, action: str) -> str | None:
    """Why `user` may not take `action` on `dossier` now, in Vietnamese (None: they may)."""
    rule = RULES[action]
    if S(dossier.status) not in rule.statuses:
        return (
            f"Không thể «{rule.label.lower()}» khi hồ sơ đang ở trạng thái "
            f"«{dossier.get_status_display()}»."
        )
    if action == "withdraw" and dossier.result_ready_at is not None:
        return "Hồ sơ đã có kết quả, không thể rút."
    if action == "extend" and dossier.extended_at is not None:
        return "Hồ sơ đã được gia hạn một lần; không được gia hạn lần nữa."
    if not (user.is_authenticated and user.is_active and rule.who(user, dossier)):
        return f"Bạn không có quyền «{rule.label.lower()}» đối với hồ sơ này."
    return None


def may(user: AnyUser, dossier: Dossier, action: str) -> bool:
    """May `user` take `action` on `dossier` in its current status?"""
    return refusal(user, dossier, action) is None


def allowed_actions(user: AnyUser, dossier: Dossier) -> list[str]:
    """The actions this user may take on this dossier now, in the table's order."""
    return [name for name in RULES if may(user, dossier, name)]


def units_for_consultation(dossier: Dossier) -> QuerySet[Unit]:
    """Any active unit other than the one holding the dossier may be consulted."""
    return Unit.objects.filter(valid_to__isnull=True).exclude(pk=dossier.competent_unit_id)
