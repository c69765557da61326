"""The official forms of TT 03/2025/TT-VPCP (Phụ lục I) as PDFs (domain.md A4, B1.3, B1.4).

- 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả — from the ACCEPTED event;
- 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — from a SUPPLEMENT_REQUESTED event;
- 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ — from the REFUSED event;
- 04 Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ — from the EXTENDED event;
- 05 Thông báo dừng giải quyết hồ sơ — from the STOPPED event;
- 06 Phiếu kiểm soát quá trình giải quyết hồ sơ — built from the events at render time;
- 07 Sổ theo dõi hồ sơ — for a unit's subtree and a period, as PDF and as a spreadsheet.

Rendering is a pure function of the rows: nothing here writes to the database. Every form
carries the dossier code and a QR code of the public tracking page (`qr_payload`). Times are
shown in Hà Nội time, "09 giờ 15 phút, ngày 25/11/2026".
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.db.models import Q
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.accounts.models import Unit, User
from motcua.catalog.models import CopyType, format_limit
from motcua.documents import links
from motcua.documents.pdf import (
    VN,
    FormPDF,
    Letterhead,
    Signature,
    format_date,
    format_time,
    letterhead_for,
    local,
    place_name,
)
from motcua.dossiers import deadlines
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
    Punctuality,
    ReturnChannel,
)

FORM_TITLES: dict[str, str] = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "07": "Sổ theo dõi hồ sơ",
}

# The event each form is issued from (06 and 07 are built from the whole history).
FORM_EVENTS: dict[str, str] = {
    "01": EventKind.ACCEPTED,
    "02": EventKind.SUPPLEMENT_REQUESTED,
    "03": EventKind.REFUSED,
    "04": EventKind.EXTENDED,
    "05": EventKind.STOPPED,
}

# The registry suffix of each form's number ("Số: …/TNHS"), as the templates print it.
NUMBER_SUFFIX = {"01": "TNHS", "02": "HDHS", "03": "TCHS", "04": "PXL", "05": "TB-DGQ", "06": ""}
BLANK_NUMBER = "……"

P = ParamSpec("P")
R = TypeVar("R")


def in_vietnamese(function: Callable[P, R]) -> Callable[P, R]:
    """Forms are Vietnamese legal text whatever the user's language: the labels taken from
    model choices (copy types, channels, time units) are read with Vietnamese active."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("vi"):
            return function(*args, **kwargs)

    return wrapper


APPLICANT = "Người nộp hồ sơ"


def form_filename(number: str, dossier: Dossier) -> str:
    """The download name: "mau-01-H56.14797-261125-0001.pdf"."""
    return f"mau-{number}-{_safe(dossier.code)}.pdf"


def tracking_book_filename(unit: Unit, start: dt.date, end: dt.date, extension: str) -> str:
    """ "so-theo-doi-H56.14797-20260101-20260331.xlsx"."""
    return f"so-theo-doi-{_safe(unit.code)}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"


def qr_payload(dossier: Dossier) -> str:
    """What every form's QR code holds: the public tracking page of the dossier."""
    return links.tracking_url(dossier)


@in_vietnamese
def render_form(number: str, dossier: Dossier, *, event: DossierEvent | None = None) -> bytes:
    """The PDF of form `number` ("01".."06") for `dossier`.

    Forms 01–05 are issued from an event (the latest of its kind when `event` is None);
    form 06 is built from the history as it stands. Raises ValueError for an unknown form or
    a dossier that has no such event.
    """
    if number == "06":
        return _form_06(dossier)
    if number not in FORM_EVENTS:
        raise ValueError(f"Không có mẫu phiếu số {number}.")
    if event is None:
        event = (
            dossier.events.filter(kind=FORM_EVENTS[number])
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        if event is None:
            raise ValueError(f"Hồ sơ {dossier.code} chưa có sự kiện phát hành mẫu {number}.")
    elif event.dossier_id != dossier.pk or event.kind != FORM_EVENTS[number]:
        raise ValueError(f"Sự kiện này không phát hành mẫu {number} của hồ sơ {dossier.code}.")
    return _RENDERERS[number](dossier, event)


# -- shared pieces ---------------------------------------------------------------------------


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", text)


def _name(user: User | None) -> str:
    return user.get_full_name() if user is not None else ""


def _start(number: str, dossier: Dossier, issuer: Unit, at: dt.datetime) -> FormPDF:
    """A new form page with the national header of `issuer` dated `at`, and the title."""
    pdf = FormPDF(title=FORM_TITLES[number], author=issuer.name, code=dossier.code)
    suffix = NUMBER_SUFFIX[number]
    pdf.national_header(
        letterhead_for(issuer, f"{BLANK_NUMBER}/{suffix}" if suffix else ""),
        place=place_name(dossier.reception_point),
        day=local(at).date(),
    )
    pdf.title_block(FORM_TITLES[number])
    pdf.labelled("Mã hồ sơ", dossier.code, bold_value=True)
    return pdf


def _applicant_lines(pdf: FormPDF, dossier: Dossier, *, label: str = "Ông/Bà") -> None:
    pdf.labelled(label, dossier.applicant_name, bold_value=True)
    pdf.labelled("Số định danh cá nhân/tổ chức", dossier.applicant_identity_number)
    pdf.labelled("Địa chỉ", dossier.applicant_address)
    pdf.labelled("Số điện thoại", dossier.applicant_phone)
    pdf.labelled("Thư điện tử", dossier.applicant_email)
    if dossier.representative_name:
        pdf.paragraph("Trường hợp nộp hồ sơ theo ủy quyền:", style="I")
        pdf.labelled("Người ủy quyền (chủ hồ sơ)", dossier.applicant_name, indent=6)
        pdf.labelled("Người được ủy quyền nộp hồ sơ", dossier.representative_name, indent=6)
        pdf.labelled(
            "Số định danh người được ủy quyền", dossier.representative_identity_number, indent=6
        )


def _procedure(dossier: Dossier) -> str:
    version = dossier.procedure_version
    return f"{version.name} (mã {version.procedure.code})"


def _submitter(dossier: Dossier) -> str:
    return dossier.representative_name or dossier.applicant_name


def _finish(pdf: FormPDF, dossier: Dossier, *extra: str) -> bytes:
    pdf.qr_box(qr_payload(dossier), [f"Mã tra cứu: {dossier.lookup_secret}", *extra])
    return pdf.to_bytes()


def _due_at_acceptance(dossier: Dossier, event: DossierEvent) -> dt.datetime | None:
    """The appointment as first set: the one the ACCEPTED event recorded, else the dossier's
    original due time (kept when it is extended), else its due time."""
    recorded = event.data.get("due_at") if isinstance(event.data, dict) else None
    if isinstance(recorded, str):
        return dt.datetime.fromisoformat(recorded)
    return dossier.original_due_at or dossier.due_at


def tracking_entry(dossier: Dossier) -> tuple[int, int] | None:
    """(Quyển số, Số thứ tự) of the dossier in the tracking book of its reception point.

    The book is kept per reception point and per calendar year (Hà Nội time): the volume is
    the year of acceptance and the entry the dossier's rank among the dossiers that point
    accepted that year, by time of acceptance (then id). Acceptance times are written once,
    so the number never changes; refused dossiers are not entered.
    """
    if dossier.accepted_at is None:
        return None
    year = local(dossier.accepted_at).year
    first = dt.datetime(year, 1, 1, tzinfo=VN)
    following = dt.datetime(year + 1, 1, 1, tzinfo=VN)
    rank = (
        Dossier.objects.filter(
            reception_point_id=dossier.reception_point_id,
            accepted_at__gte=first,
            accepted_at__lt=following,
        )
        .filter(
            Q(accepted_at__lt=dossier.accepted_at)
            | Q(accepted_at=dossier.accepted_at, pk__lte=dossier.pk)
        )
        .count()
    )
    return year, rank


COPY_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("Bản chính", (CopyType.ORIGINAL,)),
    ("Bản sao có chứng thực", (CopyType.CERTIFIED_COPY,)),
    ("Bản sao", (CopyType.PHOTOCOPY, CopyType.COPY_WITH_ORIGINAL)),
    ("Bản điện tử", (CopyType.ELECTRONIC,)),
]


def _components_table(pdf: FormPDF, dossier: Dossier) -> None:
    rows: list[list[str]] = []
    for i, component in enumerate(dossier.components.all(), start=1):
        counts = [
            str(component.count) if component.copy_type in types else ""
            for _, types in COPY_COLUMNS
        ]
        rows.append([str(i), component.name, *counts])
    if not rows:
        rows.append(["", "(Không có thành phần hồ sơ)", "", "", "", ""])
    pdf.grid(
        ["STT", "Tên giấy tờ", *(label for label, _ in COPY_COLUMNS)],
        rows,
        widths=(12, 77, 18, 24, 16, 18),
        aligns=("C", "L", "C", "C", "C", "C"),
    )


def _return_place(dossier: Dossier) -> str:
    channel = ReturnChannel(dossier.return_channel)
    if channel == ReturnChannel.POST:
        return f"{channel.label}: {dossier.return_address or dossier.applicant_address}"
    if channel == ReturnChannel.ONLINE:
        return f"{channel.label}, qua tài khoản trên Cổng Dịch vụ công"
    point = dossier.reception_point
    return f"{point.name}" + (f", {point.address}" if point.address else "")


def _legal_limit(dossier: Dossier) -> str:
    value, unit, online = deadlines.limit_of(
        dossier.procedure_version, dossier.variant, dossier.channel
    )
    return format_limit(value, unit) + (" (hồ sơ trực tuyến)" if online else "")


# -- 01–05 -----------------------------------------------------------------------------------


def _form_01(dossier: Dossier, event: DossierEvent) -> bytes:
    centre = dossier.receiving_centre
    pdf = _start("01", dossier, centre, event.at)
    pdf.paragraph(f"{centre.name} tiếp nhận hồ sơ của:")
    _applicant_lines(pdf, dossier)
    pdf.labelled("Nội dung yêu cầu giải quyết", dossier.request_summary)
    pdf.labelled("Thủ tục hành chính", _procedure(dossier))
    pdf.paragraph("1. Thành phần hồ sơ nộp gồm:", style="B")
    _components_table(pdf, dossier)
    sets = dossier.procedure_version.number_of_sets
    pdf.labelled("2. Số lượng hồ sơ", f"{sets:02d} bộ")
    pdf.labelled("3. Thời gian giải quyết hồ sơ theo quy định", _legal_limit(dossier))
    pdf.labelled("4. Thời gian nhận hồ sơ", format_time(dossier.accepted_at or event.at))
    pdf.labelled(
        "5. Thời gian trả kết quả giải quyết hồ sơ",
        format_time(_due_at_acceptance(dossier, event)),
        bold_value=True,
    )
    pdf.labelled("6. Đăng ký nhận kết quả tại", _return_place(dossier))
    entry = tracking_entry(dossier)
    volume, rank = (str(entry[0]), str(entry[1])) if entry else ("……", "……")
    pdf.paragraph(f"Vào Sổ theo dõi hồ sơ, Quyển số: {volume}, Số thứ tự: {rank}.", style="I")
    pdf.signatures(
        [
            Signature("Người nộp hồ sơ", _submitter(dossier)),
            Signature("Người tiếp nhận hồ sơ", _name(event.actor)),
        ]
    )
    return _finish(
        pdf,
        dossier,
        "Trường hợp có kết quả trước hẹn, cơ quan sẽ thông báo qua tin nhắn hoặc thư điện tử.",
    )


def _form_02(dossier: Dossier, event: DossierEvent) -> bytes:
    centre = dossier.receiving_centre
    pdf = _start("02", dossier, centre, event.at)
    _applicant_lines(pdf, dossier, label="Hồ sơ của")
    pdf.labelled("Nội dung yêu cầu giải quyết", dossier.request_summary)
    pdf.labelled("Thủ tục hành chính", _procedure(dossier))
    request_number = event.data.get("request_number") if isinstance(event.data, dict) else None
    if request_number:
        pdf.labelled("Lần yêu cầu bổ sung", str(request_number))
    pdf.labelled("Thời gian yêu cầu", format_time(event.at))
    pdf.paragraph("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:", style="B")
    pdf.bullet_lines([line.strip() for line in event.reason.splitlines() if line.strip()])
    contact = _name(event.actor)
    phone = (event.actor.phone if event.actor else "") or centre.phone
    pdf.paragraph(
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
        f"{contact or 'cán bộ tiếp nhận'}"
        + (f", số điện thoại {phone}" if phone else "")
        + " để được hướng dẫn."
    )
    pdf.paragraph(
        "Thời hạn giải quyết hồ sơ tạm dừng từ thời điểm yêu cầu cho đến khi nhận đủ hồ sơ "
        "bổ sung, hoàn thiện.",
        style="I",
    )
    pdf.signatures([Signature("Người hướng dẫn", contact)])
    return _finish(pdf, dossier)


def _form_03(dossier: Dossier, event: DossierEvent) -> bytes:
    centre = dossier.receiving_centre
    pdf = _start("03", dossier, centre, event.at)
    pdf.paragraph(f"{centre.name} tiếp nhận hồ sơ của:")
    _applicant_lines(pdf, dossier)
    pdf.labelled("Nội dung yêu cầu giải quyết", dossier.request_summary)
    pdf.labelled("Thủ tục hành chính", _procedure(dossier))
    pdf.paragraph(
        f"Sau khi kiểm tra, đối chiếu thành phần hồ sơ, {centre.name} từ chối tiếp nhận, "
        "giải quyết hồ sơ này vì lý do sau:"
    )
    pdf.bullet_lines([line.strip() for line in event.reason.splitlines() if line.strip()])
    pdf.paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.")
    pdf.signatures(
        [
            Signature("Người nộp hồ sơ", _submitter(dossier)),
            Signature("Người từ chối", _name(event.actor)),
        ]
    )
    return _finish(pdf, dossier)


def _event_time(event: DossierEvent, key: str) -> dt.datetime | None:
    value = event.data.get(key) if isinstance(event.data, dict) else None
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else None


def _form_04(dossier: Dossier, event: DossierEvent) -> bytes:
    unit = dossier.competent_unit
    pdf = _start("04", dossier, unit, event.at)
    old_due = _event_time(event, "old_due_at") or dossier.original_due_at
    new_due = _event_time(event, "new_due_at") or dossier.due_at
    pdf.labelled("Kính gửi", dossier.applicant_name, bold_value=True)
    pdf.labelled("Số định danh cá nhân/tổ chức", dossier.applicant_identity_number)
    pdf.paragraph(
        f"Ngày {format_date(dossier.accepted_at)}, {unit.name} tiếp nhận giải quyết hồ sơ "
        f"của Ông/Bà đề nghị giải quyết thủ tục hành chính: {_procedure(dossier)}."
    )
    pdf.labelled("Thời gian hẹn trả kết quả", format_time(old_due))
    pdf.paragraph(
        f"Tuy nhiên, {unit.name} không thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời "
        "hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả vì lý do:"
    )
    pdf.bullet_lines([line.strip() for line in event.reason.splitlines() if line.strip()])
    pdf.paragraph(
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {unit.name} thành thật xin lỗi Ông/Bà "
        "và đề nghị gia hạn thời gian giải quyết hồ sơ; kết quả sẽ được trả vào:"
    )
    pdf.labelled("Thời gian hẹn trả kết quả mới", format_time(new_due), bold_value=True)
    pdf.paragraph("Rất mong nhận được sự thông cảm của Ông/Bà./.")
    pdf.signatures(
        [Signature("Thủ trưởng cơ quan", _name(event.actor), "(Ký, ghi rõ họ tên và đóng dấu)")]
    )
    return _finish(pdf, dossier)


def _form_05(dossier: Dossier, event: DossierEvent) -> bytes:
    unit = dossier.competent_unit
    pdf = _start("05", dossier, unit, event.at)
    pdf.labelled("Kính gửi", dossier.applicant_name, bold_value=True)
    pdf.labelled("Số định danh cá nhân/tổ chức", dossier.applicant_identity_number)
    pdf.labelled("Địa chỉ", dossier.applicant_address)
    pdf.paragraph(
        f"Ngày {format_date(dossier.accepted_at or dossier.submitted_at)}, {unit.name} tiếp "
        f"nhận giải quyết hồ sơ của Ông/Bà đề nghị giải quyết thủ tục hành chính: "
        f"{_procedure(dossier)}."
    )
    pdf.paragraph(
        f"{unit.name} thông báo dừng giải quyết hồ sơ nêu trên kể từ "
        f"{format_time(event.at)}, vì lý do:"
    )
    pdf.bullet_lines([line.strip() for line in event.reason.splitlines() if line.strip()])
    pdf.paragraph(
        "Hồ sơ, phí và lệ phí đã nộp (nếu có) được xử lý theo quy định. "
        "Xin thông báo để Ông/Bà được biết./."
    )
    pdf.signatures(
        [Signature("Thủ trưởng cơ quan", _name(event.actor), "(Ký, ghi rõ họ tên và đóng dấu)")]
    )
    return _finish(pdf, dossier)


# -- 06: the process control slip --------------------------------------------------------------


@dataclass(frozen=True)
class ControlRow:
    """One hand-over on the control slip: who gave, who received, when, how it went."""

    giver: str
    receiver: str
    at: dt.datetime
    result: str  # "Trước hạn" / "Đúng hạn" / "Quá hạn", or "" where no hop was timed
    notes: str


def _punctuality_label(value: object) -> str:
    return str(Punctuality(value).label) if value in Punctuality.values else ""


def _target(by_position: dict[int, DossierStep], position: object) -> DossierStep | None:
    """The process step a hand-over went to (`data["to_step"]` holds its position)."""
    return by_position.get(position) if isinstance(position, int) else None


def _holder(step: DossierStep | None, actor: User | None) -> str:
    parts = [step.unit.name if step is not None else "", _name(actor)]
    return " — ".join(p for p in parts if p)


@in_vietnamese
def control_slip_rows(dossier: Dossier) -> list[ControlRow]:
    """The hand-overs of the dossier, in order, from its history (form 06).

    Each hop closing a step is judged by the step's own due time (early / on time / late, by
    day, as recorded when the step closed); acceptance, supplement requests and the return
    to the applicant appear as hops too, so the slip reads from the desk back to the desk.
    """
    steps = {s.pk: s for s in dossier.steps.select_related("unit", "assignee")}
    by_position = {s.position: s for s in steps.values() if s.parent_id is None}
    centre = dossier.receiving_centre.name
    applicant = f"{APPLICANT}: {_submitter(dossier)}"
    rows: list[ControlRow] = []
    events = dossier.events.select_related("actor").order_by("at", "id")
    for event in events:
        step = steps.get(event.step_id) if event.step_id else None
        data = event.data if isinstance(event.data, dict) else {}
        actor = event.actor
        kind = event.kind
        if kind == EventKind.ACCEPTED:
            rows.append(
                ControlRow(applicant, f"{centre} — {_name(actor)}", event.at, "", "Tiếp nhận")
            )
        elif kind in (EventKind.FORWARDED, EventKind.APPROVED):
            target = _target(by_position, data.get("to_step"))
            receiver = (
                f"{target.unit.name} ({target.name})"
                if target is not None
                else str(data.get("to_unit") or "")
            )
            result = _punctuality_label(data.get("punctuality") or (step and step.punctuality))
            note = f"{step.name}" if step is not None else ""
            if event.reason:
                note = f"{note}: {event.reason}" if note else event.reason
            rows.append(ControlRow(_holder(step, actor), receiver, event.at, result, note))
        elif kind == EventKind.SENT_BACK:
            target = _target(by_position, data.get("to_step"))
            receiver = f"{target.unit.name} ({target.name})" if target is not None else ""
            rows.append(
                ControlRow(_holder(step, actor), receiver, event.at, "", f"Trả lại: {event.reason}")
            )
        elif kind == EventKind.CONSULTATION_OPENED:
            parent = steps.get(step.parent_id) if step and step.parent_id else None
            rows.append(
                ControlRow(
                    _holder(parent, actor),
                    str(data.get("unit") or ""),
                    event.at,
                    "",
                    f"Lấy ý kiến phối hợp: {event.reason}",
                )
            )
        elif kind == EventKind.CONSULTATION_ANSWERED:
            parent = steps.get(step.parent_id) if step and step.parent_id else None
            rows.append(
                ControlRow(
                    _holder(step, actor),
                    parent.unit.name if parent is not None else "",
                    event.at,
                    _punctuality_label(data.get("punctuality")),
                    f"Trả lời ý kiến phối hợp: {event.reason}",
                )
            )
        elif kind == EventKind.SUPPLEMENT_REQUESTED:
            rows.append(
                ControlRow(
                    _holder(step, actor) or _name(actor),
                    applicant,
                    event.at,
                    "",
                    f"Yêu cầu bổ sung, hoàn thiện hồ sơ (tạm dừng tính thời hạn): {event.reason}",
                )
            )
        elif kind == EventKind.SUPPLEMENT_RECEIVED:
            rows.append(
                ControlRow(
                    applicant,
                    f"{centre} — {_name(actor)}",
                    event.at,
                    "",
                    "Nhận hồ sơ bổ sung" + (f": {event.reason}" if event.reason else ""),
                )
            )
        elif kind == EventKind.EXTENDED:
            rows.append(
                ControlRow(
                    f"{dossier.competent_unit.name} — {_name(actor)}",
                    applicant,
                    event.at,
                    "",
                    "Xin lỗi và gia hạn đến "
                    f"{format_time(_event_time(event, 'new_due_at'))}: {event.reason}",
                )
            )
        elif kind == EventKind.RETURNED:
            result = ""
            if dossier.due_at is not None:
                done = local(event.at).date()
                due = local(dossier.due_at).date()
                result = _punctuality_label(
                    Punctuality.EARLY
                    if done < due
                    else Punctuality.ON_TIME
                    if done == due
                    else Punctuality.LATE
                )
            rows.append(
                ControlRow(
                    f"{centre} — {_name(actor)}",
                    applicant,
                    event.at,
                    result,
                    "Trả kết quả"
                    + (f": {dossier.result_summary}" if dossier.result_summary else ""),
                )
            )
        elif kind in (EventKind.STOPPED, EventKind.WITHDRAWN, EventKind.REFUSED):
            rows.append(
                ControlRow(
                    _name(actor),
                    applicant,
                    event.at,
                    "",
                    f"{EventKind(kind).label}: {event.reason}",
                )
            )
    return rows


def _form_06(dossier: Dossier) -> bytes:
    centre = dossier.receiving_centre
    pdf = _start("06", dossier, centre, timezone.now())
    pdf.labelled("Cơ quan giải quyết hồ sơ", dossier.competent_unit.name)
    partners = sorted(
        {s.unit.name for s in dossier.steps.filter(parent__isnull=False).select_related("unit")}
    )
    pdf.labelled("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(partners) or "Không")
    pdf.labelled("Người nộp hồ sơ", dossier.applicant_name)
    pdf.labelled("Thủ tục hành chính", _procedure(dossier))
    pdf.labelled("Thời gian nhận hồ sơ", format_time(dossier.accepted_at))
    pdf.labelled(
        "Thời gian hẹn trả kết quả", format_time(dossier.original_due_at or dossier.due_at)
    )
    if dossier.extended_at is not None and dossier.due_at != dossier.original_due_at:
        pdf.labelled("Thời gian hẹn trả sau gia hạn", format_time(dossier.due_at))
    rows = control_slip_rows(dossier)
    pdf.grid(
        [
            "Tên cơ quan, đơn vị, người giao và nhận",
            "Thời gian giao, nhận hồ sơ",
            "Kết quả giải quyết hồ sơ (trước hạn / đúng hạn / quá hạn)",
            "Ghi chú",
        ],
        [
            [
                f"1. Giao: {row.giver}\n2. Nhận: {row.receiver}",
                format_time(row.at),
                row.result,
                row.notes,
            ]
            for row in rows
        ]
        or [["(Chưa có lần giao, nhận nào)", "", "", ""]],
        widths=(62, 34, 29, 40),
        aligns=("L", "C", "C", "L"),
        size=10,
    )
    pdf.paragraph("Phiếu do hệ thống ghi nhận tự động theo từng lần giao, nhận hồ sơ.", style="I")
    return _finish(pdf, dossier)


_RENDERERS: dict[str, Callable[[Dossier, DossierEvent], bytes]] = {
    "01": _form_01,
    "02": _form_02,
    "03": _form_03,
    "04": _form_04,
    "05": _form_05,
}


# -- 07: the tracking book -----------------------------------------------------------------


@dataclass(frozen=True)
class TrackingBookRow:
    """One line of the tracking book (Mẫu 07 TT 03/2025; columns of Mẫu 06 TT 01/2018)."""

    number: int
    code: str
    procedure: str
    applicant: str
    address_phone: str
    lead_unit: str
    received_at: dt.datetime
    appointment: dt.datetime | None
    extended_to: dt.datetime | None
    returned_at: dt.datetime | None
    returned_how: str


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=VN),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VN),
    )


@in_vietnamese
def tracking_book_rows(unit: Unit, start: dt.date, end: dt.date) -> list[TrackingBookRow]:
    """The dossiers accepted from `start` to `end` (inclusive, Hà Nội days) whose reception
    point or receiving centre is `unit` or below it, in order of acceptance."""
    since, until = _period(start, end)
    dossiers = (
        Dossier.objects.filter(accepted_at__gte=since, accepted_at__lt=until)
        .filter(
            Q(reception_point__path__startswith=unit.path)
            | Q(receiving_centre__path__startswith=unit.path)
        )
        .select_related("procedure_version", "competent_unit")
        .order_by("accepted_at", "pk")
    )
    rows = []
    for number, d in enumerate(dossiers, start=1):
        assert d.accepted_at is not None  # noqa: S101 -- filtered on accepted_at above
        applicant = d.applicant_name
        if d.representative_name:
            applicant += f" (người nộp: {d.representative_name})"
        how = str(ReturnChannel(d.returned_via).label) if d.returned_via else ""
        if d.postal_tracking_number:
            how += f", số hiệu bưu gửi {d.postal_tracking_number}"
        extended = d.due_at if d.extended_at is not None and d.due_at != d.original_due_at else None
        rows.append(
            TrackingBookRow(
                number=number,
                code=d.code,
                procedure=d.procedure_version.name,
                applicant=applicant,
                address_phone=", ".join(p for p in (d.applicant_address, d.applicant_phone) if p),
                lead_unit=d.competent_unit.name,
                received_at=d.accepted_at,
                appointment=d.original_due_at or d.due_at,
                extended_to=extended,
                returned_at=d.returned_at,
                returned_how=how,
            )
        )
    return rows


def _short(at: dt.datetime | None) -> str:
    return f"{local(at):%d/%m/%Y}\n{local(at):%H:%M}" if at is not None else ""


BOOK_HEADINGS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tổ chức, cá nhân nộp hồ sơ",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Trả kết quả",
    "Phương thức nhận kết quả",
    "Ký nhận",
]


@in_vietnamese
def tracking_book_pdf(unit: Unit, start: dt.date, end: dt.date) -> bytes:
    """The tracking book (form 07) of `unit`'s subtree for the period, landscape A4."""
    rows = tracking_book_rows(unit, start, end)
    title = FORM_TITLES["07"]
    pdf = FormPDF(title=title, author=unit.name, landscape=True)
    pdf.national_header(
        Letterhead(governing=unit.parent.name if unit.parent else "", unit=unit.name, number=""),
        place=place_name(unit),
        day=timezone.localtime(timezone.now(), VN).date(),
    )
    pdf.title_block(title, f"Từ ngày {format_date(start)} đến ngày {format_date(end)}")
    pdf.grid(
        BOOK_HEADINGS,
        [
            [
                str(r.number),
                r.code,
                r.procedure,
                r.applicant,
                r.address_phone,
                r.lead_unit,
                _short(r.received_at),
                _short(r.appointment)
                + (f"\n(gia hạn đến {_short(r.extended_to)})" if r.extended_to else ""),
                _short(r.returned_at),
                r.returned_how,
                "",
            ]
            for r in rows
        ]
        or [["", "(Không có hồ sơ trong kỳ)", "", "", "", "", "", "", "", "", ""]],
        widths=(10, 31, 36, 26, 30, 24, 20, 20, 20, 21, 14),
        aligns=("C", "L", "L", "L", "L", "L", "C", "C", "C", "L", "C"),
        size=8.5,
    )
    pdf.paragraph(f"Tổng số hồ sơ: {len(rows)}.", style="B")
    return pdf.to_bytes()


XLSX_HEADINGS = [*BOOK_HEADINGS[:8], "Hẹn trả sau gia hạn", *BOOK_HEADINGS[8:]]
XLSX_WIDTHS = [6, 28, 45, 28, 34, 28, 17, 17, 17, 17, 26, 12]
XLSX_DATE_FORMAT = "dd/mm/yyyy hh:mm"


def _excel_time(at: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the Hà Nội wall time, naive."""
    return local(at).replace(tzinfo=None) if at is not None else None


@in_vietnamese
def tracking_book_xlsx(unit: Unit, start: dt.date, end: dt.date) -> bytes:
    """The tracking book as a spreadsheet: one heading row in bold, then one row per dossier,
    times as real Excel dates (Hà Nội time)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 -- a new workbook always has a sheet
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.append(XLSX_HEADINGS)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for r in tracking_book_rows(unit, start, end):
        sheet.append(
            [
                r.number,
                r.code,
                r.procedure,
                r.applicant,
                r.address_phone,
                r.lead_unit,
                _excel_time(r.received_at),
                _excel_time(r.appointment),
                _excel_time(r.extended_to),
                _excel_time(r.returned_at),
                r.returned_how,
                "",
            ]
        )
        for column in (7, 8, 9, 10):
            sheet.cell(row=sheet.max_row, column=column).number_format = XLSX_DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
