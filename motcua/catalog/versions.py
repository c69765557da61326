"""Publishing, withdrawing and comparing procedure versions.

A version is published only when everything a citizen needs is present and its internal
process adds up (domain.md A2): the counted step budgets equal the time limit in working
hours (at most the limit for calendar-day procedures, whose steps are still working hours),
and likewise the online budgets for the online time limit. Publishing version N from a date
ends the version in force before it on that date, so exactly one version is in force on
any day; dossiers keep the version they pinned.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    VERSION_CONTENT,
    Component,
    Fee,
    Procedure,
    ProcedureVersion,
    Step,
    TimeUnit,
    Variant,
    VersionStatus,
    format_limit,
)


class PublicationError(Exception):
    """A version cannot be published; `problems` lists every reason in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


REQUIRED_TEXT = {
    "name": "tên thủ tục",
    "result_name": "kết quả thực hiện",
    "applicants": "đối tượng thực hiện",
    "sequence": "trình tự thực hiện",
    "legal_basis": "căn cứ pháp lý",
    "publication_decision": "quyết định công bố",
}


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def publication_problems(version: ProcedureVersion) -> list[str]:
    """Everything that stops `version` from being published (empty when it may be)."""
    problems = [
        _("Thiếu %(field)s.") % {"field": label}
        for attr, label in REQUIRED_TEXT.items()
        if not str(getattr(version, attr) or "").strip()
    ]
    if version.publication_date is None:
        problems.append(_("Thiếu ngày công bố."))
    if version.effective_from is None:
        problems.append(_("Thiếu ngày có hiệu lực."))
    if version.time_limit_unit != TimeUnit.SAME_DAY and version.time_limit_value <= 0:
        problems.append(_("Thời hạn giải quyết phải lớn hơn 0."))
    components = list(version.components.all())
    if not components:
        problems.append(_("Chưa có thành phần hồ sơ."))
    steps = list(version.steps.all())
    counted = [s for s in steps if s.counted]
    if not counted:
        problems.append(_("Chưa có quy trình nội bộ (các bước xử lý)."))
    else:
        total = sum((s.budget_hours for s in counted), Decimal(0))
        limit = version.time_limit_hours
        calendar = version.time_limit_unit == TimeUnit.CALENDAR_DAYS
        if (total > limit) if calendar else (total != limit):
            problems.append(
                _(
                    "Tổng thời gian các bước (%(total)s giờ) phải %(rule)s thời hạn giải quyết "
                    "(%(limit)s giờ làm việc)."
                )
                % {
                    "total": _hours(total),
                    "limit": _hours(limit),
                    "rule": _("không vượt quá") if calendar else _("bằng"),
                }
            )
        online_limit = version.online_time_limit_hours
        online = [s.online_budget_hours for s in counted if s.online_budget_hours is not None]
        if online_limit is not None and online:
            if len(online) != len(counted):
                problems.append(_("Mỗi bước được tính phải có thời gian trực tuyến."))
            else:
                online_total = sum(online, Decimal(0))
                if (online_total > online_limit) if calendar else (online_total != online_limit):
                    problems.append(
                        _(
                            "Tổng thời gian trực tuyến các bước (%(total)s giờ) phải %(rule)s "
                            "thời hạn trực tuyến (%(limit)s giờ làm việc)."
                        )
                        % {
                            "total": _hours(online_total),
                            "limit": _hours(online_limit),
                            "rule": _("không vượt quá") if calendar else _("bằng"),
                        }
                    )
    if (
        version.online_time_limit_value is not None
        and version.online_time_limit_value > version.time_limit_value
    ):
        problems.append(_("Thời hạn trực tuyến không được dài hơn thời hạn giải quyết."))
    return problems


@transaction.atomic
def publish(version_id: int, *, effective_from: dt.date | None = None) -> ProcedureVersion:
    """Publish a draft version; the previous version in force ends the day it starts."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise PublicationError([_("Chỉ phiên bản dự thảo mới được công bố.")])
    if effective_from is not None:
        version.effective_from = effective_from
    problems = publication_problems(version)
    if problems:
        raise PublicationError(problems)
    start = version.effective_from
    if start is None:  # publication_problems() already refused this; keeps mypy informed
        raise PublicationError([_("Thiếu ngày có hiệu lực.")])
    earlier = ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id,
        status=VersionStatus.PUBLISHED,
        effective_from__lt=start,
    )
    earlier.filter(effective_to__isnull=True).update(effective_to=start)
    earlier.filter(effective_to__gt=start).update(effective_to=start)
    if ProcedureVersion.objects.filter(
        procedure_id=version.procedure_id,
        status=VersionStatus.PUBLISHED,
        effective_from__gte=start,
    ).exists():
        raise PublicationError([_("Đã có phiên bản công bố có hiệu lực từ ngày này trở về sau.")])
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status", "effective_from"])
    Procedure.objects.get(pk=version.procedure_id).refresh_search_text()
    return version


@transaction.atomic
def withdraw(version_id: int, *, on: dt.date) -> ProcedureVersion:
    """Withdraw (bãi bỏ) a published version from a date on; dossiers that pinned it keep it."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version_id)
    if version.status != VersionStatus.PUBLISHED:
        raise PublicationError([_("Chỉ phiên bản đã công bố mới có thể bãi bỏ.")])
    version.status = VersionStatus.WITHDRAWN
    if version.effective_to is None or version.effective_to > on:
        version.effective_to = on
    version.save(update_fields=["status", "effective_to"])
    Procedure.objects.get(pk=version.procedure_id).refresh_search_text()
    return version


@dataclass(frozen=True)
class Change:
    """One difference between two versions: a field's label and its old and new text."""

    label: str
    old: str
    new: str


_COMPARED = VERSION_CONTENT


def _label(attr: str) -> str:
    field = ProcedureVersion._meta.get_field(attr)
    return str(getattr(field, "verbose_name", attr))


def _display(version: ProcedureVersion, attr: str) -> str:
    getter = getattr(version, f"get_{attr}_display", None)
    value = getter() if getter else getattr(version, attr)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return "" if value is None else str(value)


def _lines(version: ProcedureVersion) -> dict[str, list[str]]:
    return {
        str(_("Thành phần hồ sơ")): [
            f"{c.name} ({c.get_copy_type_display()}, {c.count}"
            f"{'' if c.required else ', ' + _('không bắt buộc')})"
            for c in version.components.all()
        ],
        str(_("Phí, lệ phí")): [
            f"{f.name}: {_fee_text(f)} — {f.get_collected_display()}" for f in version.fees.all()
        ],
        str(_("Trường hợp")): [
            f"{v.name}: {format_limit(v.time_limit_value, v.time_limit_unit)}"
            for v in version.variants.all()
        ],
        str(_("Quy trình nội bộ")): [
            f"{s.position}. {s.name} — {s.get_role_display()}, {_hours(s.budget_hours)} giờ"
            for s in version.steps.all()
        ],
    }


def _fee_text(fee: Fee) -> str:
    parts = []
    if fee.amount is not None:
        parts.append(f"{fee.amount:,.0f} đồng".replace(",", "."))
    if fee.online_amount is not None:
        parts.append(
            _("trực tuyến %(amount)s đồng")
            % {"amount": f"{fee.online_amount:,.0f}".replace(",", ".")}
        )
    if fee.formula:
        parts.append(fee.formula)
    if fee.exemptions:
        parts.append(_("miễn, giảm: %(who)s") % {"who": fee.exemptions})
    return "; ".join(parts) or "—"


def diff_versions(old: ProcedureVersion, new: ProcedureVersion) -> list[Change]:
    """A readable list of what changed from `old` to `new`, field by field and line by line."""
    changes = [
        Change(_label(attr), a, b)
        for attr in _COMPARED
        if (a := _display(old, attr)) != (b := _display(new, attr))
    ]
    old_lines, new_lines = _lines(old), _lines(new)
    for label, before in old_lines.items():
        after = new_lines[label]
        if before != after:
            removed = [line for line in before if line not in after]
            added = [line for line in after if line not in before]
            changes.append(Change(label, "\n".join(removed), "\n".join(added)))
    return changes


def unified_diff(old: ProcedureVersion, new: ProcedureVersion) -> str:
    """The same comparison as a unified diff, for the admin and for e-mail."""

    def text(v: ProcedureVersion) -> list[str]:
        lines = [f"{_label(a)}: {_display(v, a)}" for a in _COMPARED]
        for label, items in _lines(v).items():
            lines.append(f"{label}:")
            lines += [f"  {item}" for item in items]
        return lines

    return "\n".join(
        difflib.unified_diff(text(old), text(new), f"v{old.number}", f"v{new.number}", lineterm="")
    )


@transaction.atomic
def copy_to_draft(version_id: int) -> ProcedureVersion:
    """A new draft version with the same content, to be edited and published later."""
    source = ProcedureVersion.objects.get(pk=version_id)
    children: list[list[Component] | list[Fee] | list[Variant] | list[Step]] = [
        list(source.components.all()),
        list(source.fees.all()),
        list(source.variants.all()),
        list(source.steps.all()),
    ]
    last = (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure_id=source.procedure_id)
        .order_by("-number")
        .first()
    )
    draft = source
    draft.pk = None
    draft.number = (last.number if last else 0) + 1
    draft.status = VersionStatus.DRAFT
    draft.effective_from = None
    draft.effective_to = None
    draft.save()
    for rows in children:
        for row in rows:
            row.pk = None
            row.version = draft
            row.save()
    return draft
