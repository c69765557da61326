"""Report form 06 laid out as the official form (Biểu số 06/VPCP/KSTT, TT 01/2020/TT-VPCP;
domain.md B1.7): its columns and their two-row heading, its lines (a level with its
subtotal, then its fields, then the total) and the rule each column counts by — shared by
the page (`form06_views`) and the two files made here, an Excel workbook (openpyxl) and a
landscape A4 PDF (fpdf2, `documents.pdf.FormPDF`).

Files are Vietnamese legal text whatever the user's language, as the other forms are
(`documents.forms.in_vietnamese`). Rendering is a pure function of the `Form06` built by
`form06.build_form06`: nothing here reads the database, except the units' names.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from fpdf import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.documents.forms import in_vietnamese
from motcua.documents.pdf import (
    VN,
    FormPDF,
    Letterhead,
    Signature,
    format_date,
    nfc,
    place_name,
)
from motcua.reports.form06 import Cells, Form06

FORM_NUMBER = "Biểu số 06/VPCP/KSTT"
LEGAL_BASIS = _("Ban hành kèm theo Thông tư số 01/2020/TT-VPCP")
TITLE = _(
    "Tình hình, kết quả giải quyết thủ tục hành chính tại cơ quan, đơn vị trực tiếp giải "
    "quyết thủ tục hành chính"
)
COUNT_UNIT = _("Đơn vị tính: số hồ sơ")

# The first heading row: columns 1 and 2 span both rows, the three groups span their
# columns; the second row names columns 3–13.
NUMBER_HEADING = _("STT")
LABEL_HEADING = _("Lĩnh vực, công việc giải quyết theo cấp")
GROUPS: tuple[tuple[Promise, tuple[int, ...]], ...] = (
    (_("Số hồ sơ nhận giải quyết"), (3, 4, 5, 6)),
    (_("Kết quả giải quyết"), (7, 8, 9, 10)),
    (_("Số hồ sơ đang giải quyết"), (11, 12, 13)),
)
COLUMNS: dict[int, Promise] = {
    3: _("Tổng số"),
    4: _("Trực tuyến"),
    5: _("Trực tiếp, dịch vụ bưu chính"),
    6: _("Từ kỳ trước chuyển qua"),
    7: _("Tổng số đã giải quyết"),
    8: _("Trước hạn"),
    9: _("Đúng hạn"),
    10: _("Quá hạn"),
    11: _("Tổng số đang giải quyết"),
    12: _("Trong hạn"),
    13: _("Quá hạn"),
}
# The rule each column counts by (docs/reports.md, "Report form 06").
DEFINITIONS: dict[int, Promise] = {
    3: _("Cột (3) = (4) + (5) + (6): mọi hồ sơ đơn vị phải giải quyết trong kỳ."),
    4: _(
        "Cột (4): hồ sơ nộp trực tuyến được tiếp nhận trong kỳ (tính từ lúc tiếp nhận; hồ sơ "
        "chưa được tiếp nhận hoặc bị từ chối tiếp nhận không được tính)."
    ),
    5: _("Cột (5): hồ sơ nộp trực tiếp hoặc qua dịch vụ bưu chính được tiếp nhận trong kỳ."),
    6: _(
        "Cột (6): hồ sơ từ kỳ trước chuyển qua — tiếp nhận trước ngày đầu kỳ và chưa kết "
        "thúc trước ngày đó."
    ),
    7: _(
        "Cột (7) = (8) + (9) + (10): hồ sơ kết thúc giải quyết trong kỳ (đã có kết quả, "
        "rút hồ sơ hoặc dừng giải quyết)."
    ),
    8: _("Cột (8): kết thúc vào một ngày trước ngày hẹn trả kết quả."),
    9: _(
        "Cột (9): kết thúc đúng ngày hẹn trả kết quả; mọi hồ sơ công dân rút cũng được tính "
        "ở cột này."
    ),
    10: _(
        "Cột (10): kết thúc sau ngày hẹn trả. Ngày hẹn là ngày hẹn khi tiếp nhận, lùi thêm "
        "thời gian chờ bổ sung hoặc nộp phí; gia hạn bằng phiếu xin lỗi không làm lùi ngày hẹn."
    ),
    11: _("Cột (11) = (3) - (7) = (12) + (13): hồ sơ chưa kết thúc ở cuối kỳ."),
    12: _(
        "Cột (12): chưa quá hạn ở cuối kỳ, kể cả hồ sơ đang chờ công dân bổ sung hoặc nộp phí "
        "(thời hạn tạm dừng)."
    ),
    13: _("Cột (13): đã quá ngày hẹn trả ở cuối kỳ mà chưa kết thúc."),
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
TOTAL_LABEL = _("Tổng cộng")


def column_name(column: int) -> str:
    """ "Số hồ sơ nhận giải quyết – Trực tuyến (cột 4)"."""
    group = next(str(label) for label, columns in GROUPS if column in columns)
    return f"{group} – {COLUMNS[column]} ({_('cột')} {column})"


@dataclass(frozen=True)
class Line:
    """One line of the form: a level (its subtotal), a field of that level, or the total.
    `level` and `field_id` say which dossiers the line counts (None: all)."""

    kind: str  # "level", "field" or "total"
    number: str  # "I", "1" or ""
    label: str
    level: str | None
    field_id: int | None
    cells: Cells

    def values(self) -> list[int]:
        return list(self.cells.as_columns().values())


def lines(form: Form06) -> Iterator[Line]:
    """The lines in the order of the form: each level (Roman number, its subtotal), its
    fields (1, 2, …), and the total last."""
    for roman, group in zip(ROMAN, form.groups, strict=False):
        yield Line("level", roman, group.label, group.level, None, group.subtotal)
        for n, row in enumerate(group.rows, start=1):
            yield Line("field", str(n), row.name, group.level, row.field_id, row.cells)
    yield Line("total", "", str(TOTAL_LABEL), None, None, form.total)


def period_text(form: Form06) -> str:
    return str(_("Từ ngày %(start)s đến ngày %(end)s")) % {
        "start": format_date(form.start),
        "end": format_date(form.end),
    }


def as_of_text(form: Form06) -> str:
    at = timezone.localtime(form.as_of, VN)
    return str(_("Số hồ sơ đang giải quyết (cột 11–13) tính đến %(time)s.")) % {
        "time": f"{at:%H:%M} {at:%d/%m/%Y}"
    }


def filename(form: Form06, extension: str) -> str:
    """ "bieu-06-H99.00001-20260316-20260320.xlsx"."""
    code = re.sub(r"[^A-Za-z0-9._-]", "_", form.unit.code or str(form.unit.pk))
    return f"bieu-06-{code}-{form.start:%Y%m%d}-{form.end:%Y%m%d}.{extension}"


# -- Excel ----------------------------------------------------------------------------------

SHEET_TITLE = "Biểu 06-VPCP-KSTT"
HEADING_ROW = 7  # the two heading rows, then the column numbers, then the lines
FIRST_LINE_ROW = HEADING_ROW + 3
WIDTHS = [6, 44, *([12] * 11)]


@in_vietnamese
def form06_xlsx(form: Form06) -> bytes:
    """The form as a workbook of one sheet: the title block, the two heading rows with
    merged cells as on the official form, the column numbers, one row per line (numbers
    as numbers, levels and total in bold), the definitions under it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 -- a new workbook always has a sheet
    sheet.title = SHEET_TITLE
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(13)

    def merged(row: int, first: int, last_col: int, text: str, **style: object) -> None:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last_col)
        cell = sheet.cell(row=row, column=first, value=text)
        for name, value in style.items():
            setattr(cell, name, value)

    merged(1, 1, 4, FORM_NUMBER, font=bold)
    merged(2, 1, 4, str(LEGAL_BASIS), font=Font(italic=True))
    merged(1, 9, 13, f"{_('Đơn vị báo cáo')}: {form.unit.name}", font=bold)
    parent = form.unit.parent
    if parent is not None:
        merged(2, 9, 13, f"{_('Đơn vị nhận báo cáo')}: {parent.name}")
    merged(3, 1, 13, str(TITLE).upper(), font=Font(bold=True, size=13), alignment=centre)
    sheet.row_dimensions[3].height = 36
    merged(4, 1, 13, period_text(form), font=Font(italic=True), alignment=centre)
    merged(5, 1, 9, as_of_text(form), font=Font(italic=True))
    merged(5, 10, 13, str(COUNT_UNIT), alignment=Alignment(horizontal="right"))

    top, second, numbers = HEADING_ROW, HEADING_ROW + 1, HEADING_ROW + 2
    for column, heading in ((1, NUMBER_HEADING), (2, LABEL_HEADING)):
        sheet.merge_cells(start_row=top, start_column=column, end_row=second, end_column=column)
        sheet.cell(row=top, column=column, value=str(heading))
    for group_label, columns in GROUPS:
        sheet.merge_cells(
            start_row=top, start_column=columns[0], end_row=top, end_column=columns[-1]
        )
        sheet.cell(row=top, column=columns[0], value=str(group_label))
    for column, column_label in COLUMNS.items():
        sheet.cell(row=second, column=column, value=str(column_label))
    for column in range(1, 14):
        sheet.cell(row=numbers, column=column, value=f"({column})")
    for row in sheet.iter_rows(min_row=top, max_row=numbers, max_col=13):
        for cell in row:
            cell.font = bold if cell.row != numbers else Font(italic=True)
            cell.alignment = centre
            cell.border = box
            cell.fill = PatternFill("solid", fgColor="EEEEEE")
    sheet.row_dimensions[second].height = 48

    row_number = FIRST_LINE_ROW
    for line in lines(form):
        sheet.cell(row=row_number, column=1, value=line.number).alignment = centre
        sheet.cell(row=row_number, column=2, value=line.label)
        for column, value in enumerate(line.values(), start=3):
            sheet.cell(row=row_number, column=column, value=value).number_format = "#,##0"
        for cell in sheet[row_number][:13]:
            cell.border = box
            if line.kind != "field":
                cell.font = bold
        row_number += 1

    row_number += 1
    sheet.cell(row=row_number, column=1, value=str(_("Cách tính"))).font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in range(3, 14):
        row_number += 1
        text = str(DEFINITIONS[column])
        merged(row_number, 1, 13, text, alignment=wrap)
        # Excel does not fit the height of merged cells: about 160 characters a line.
        sheet.row_dimensions[row_number].height = 15 * (1 + len(text) // 160)
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"C{FIRST_LINE_ROW}"
    sheet.print_title_rows = f"{top}:{numbers}"
    sheet.print_area = f"A1:{last}{row_number}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- PDF ------------------------------------------------------------------------------------

PDF_WIDTHS = (10, 70, *([172 / 11] * 11))  # 252 mm: A4 landscape within the margins


@in_vietnamese
def form06_pdf(form: Form06, *, today: dt.date | None = None) -> bytes:
    """The form on landscape A4 pages: the national header, the title, the table with its
    two heading rows repeated on each page, the definitions and the signatures."""
    unit = form.unit
    title = str(TITLE)
    pdf = FormPDF(title=f"{FORM_NUMBER} — {title}", author=unit.name, landscape=True)
    pdf.national_header(
        Letterhead(governing=unit.parent.name if unit.parent else "", unit=unit.name, number=""),
        place=place_name(unit),
        day=today or timezone.localtime(timezone.now(), VN).date(),
    )
    pdf.set_font("DejaVuSerif", "B", 10)
    pdf.cell(0, 5, nfc(f"{FORM_NUMBER} ({LEGAL_BASIS})"), align="R")
    pdf.ln(6)
    pdf.title_block(title, period_text(form))
    pdf.set_font("DejaVuSerif", "I", 9.5)
    pdf.cell(pdf.epw / 2, 5, nfc(as_of_text(form)))
    pdf.cell(pdf.epw / 2, 5, nfc(str(COUNT_UNIT)), align="R")
    pdf.ln(6)
    _pdf_table(pdf, form)
    pdf.set_font("DejaVuSerif", "B", 10)
    pdf.cell(0, 5, nfc(str(_("Cách tính"))))
    pdf.ln(5)
    pdf.set_font("DejaVuSerif", "", 9)
    for column in range(3, 14):
        pdf.multi_cell(0, 4.4, nfc(str(DEFINITIONS[column])), new_x="LMARGIN", new_y="NEXT")
    pdf.signatures(
        [
            Signature(str(_("Người lập biểu"))),
            Signature(str(_("Thủ trưởng đơn vị")), note=str(_("(Ký, ghi rõ họ tên, đóng dấu)"))),
        ],
        space=20,
    )
    return pdf.to_bytes()


def _pdf_table(pdf: FormPDF, form: Form06) -> None:
    pdf.set_font("DejaVuSerif", "", 8.5)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=PDF_WIDTHS,
        width=pdf.epw,
        line_height=4,
        text_align="CENTER",
        num_heading_rows=3,
        headings_style=bold,
        padding=(1, 0.8),
        v_align="MIDDLE",
    ) as table:
        top = table.row()
        top.cell(nfc(str(NUMBER_HEADING)), rowspan=2)
        top.cell(nfc(str(LABEL_HEADING)), rowspan=2)
        for text, columns in GROUPS:
            top.cell(nfc(str(text)), colspan=len(columns))
        second = table.row()
        for column in range(3, 14):
            second.cell(nfc(str(COLUMNS[column])))
        numbers = table.row()
        for column in range(1, 14):
            numbers.cell(f"({column})")
        for line in lines(form):
            style = bold if line.kind != "field" else None
            row = table.row(style=style)
            row.cell(line.number, align="C")
            row.cell(nfc(line.label), align="L")
            for value in line.values():
                row.cell(f"{value:,}".replace(",", "."), align="R")
    pdf.ln(2)
    pdf.set_font("DejaVuSerif", "", 12.5)
