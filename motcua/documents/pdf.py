"""A small layout layer on fpdf2 for the official forms (TT 03/2025/TT-VPCP, Phụ lục I).

Page A4 with the margins of Nghị định 30/2020/NĐ-CP (Phụ lục I: top and bottom 20 mm,
left 30 mm, right 15 mm), DejaVu Serif (vendored, subset to Vietnamese in `fonts/`), the
two-column national header, a title, labelled lines, tables, signature blocks, a QR code
box and a footer with the dossier code and the page number. Text is laid out with
`multi_cell`, `write` and `table` calls only: no HTML.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos

from motcua.accounts.models import Unit

# fpdf2 subsets the fonts again for each PDF; fontTools logs every step of it at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSerif"
BODY_SIZE = 12.5
LINE = 6.2  # mm per body line
QR_CAPTION = "Quét mã để tra cứu hồ sơ"

# Nghị định 30/2020/NĐ-CP, Phụ lục I, part II.1: page margins in mm.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15

_PLACE_PREFIXES = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd)?\s*(tỉnh|thành phố|tp\.?)\s+",
    re.IGNORECASE,
)


def nfc(text: str) -> str:
    """Precomposed letters: the font's Vietnamese glyphs, not a letter plus a loose mark."""
    return unicodedata.normalize("NFC", text)


def local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(VN)


def format_time(at: dt.datetime | None) -> str:
    """ "09 giờ 15 phút, ngày 25/11/2026" in Hà Nội time (blank dots when unknown)."""
    if at is None:
        return "…… giờ …… phút, ngày ……/……/………"
    at = local(at)
    return f"{at:%H} giờ {at:%M} phút, ngày {at:%d/%m/%Y}"


def format_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = local(day).date()
    return f"{day:%d/%m/%Y}"


def place_and_date(place: str, day: dt.date) -> str:
    """ "Thanh Hóa, ngày 25 tháng 11 năm 2026". NĐ 30/2020, Phụ lục I, II.5: a day below 10
    and the months 1 and 2 are written with a leading 0 ("ngày 05 tháng 3", "tháng 02")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def province_of(unit: Unit) -> Unit:
    """The root of the unit's tree (the province, after the 2025 two-tier reorganisation)."""
    ids = unit.ancestor_ids
    if not ids or ids[0] == unit.pk:
        return unit
    return Unit.objects.get(pk=ids[0])


def place_name(unit: Unit) -> str:
    """The place written before the date: the province's name without "UBND tỉnh" and the
    like ("UBND tỉnh Thanh Hóa" → "Thanh Hóa")."""
    root = province_of(unit)
    name = (root.short_name or root.name).strip()
    return _PLACE_PREFIXES.sub("", name).strip() or name


@dataclass(frozen=True)
class Letterhead:
    """The left column of the national header: the governing body (may be empty), the
    issuing unit, and the document number ("Số: …/TNHS")."""

    governing: str
    unit: str
    number: str


def letterhead_for(unit: Unit, number: str) -> Letterhead:
    """The unit under its parent, as the header of a document it issues names them."""
    parent = unit.parent
    return Letterhead(
        governing=parent.name if parent is not None else "", unit=unit.name, number=number
    )


@dataclass(frozen=True)
class Signature:
    """One signature block: the signer's capacity, the instruction line, and the name."""

    title: str
    name: str = ""
    note: str = "(Ký và ghi rõ họ tên)"


class FormPDF(FPDF):
    """An A4 page set up for Vietnamese administrative documents."""

    def __init__(
        self,
        *,
        title: str,
        author: str,
        code: str = "",
        landscape: bool = False,
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.code = code
        for style, file in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf")):
            self.add_font(FAMILY, style, str(FONTS / file))
        self.add_font(FAMILY, "I", str(FONTS / "DejaVuSerif-Italic.ttf"))
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        self.set_title(nfc(title))
        self.set_author(nfc(author))
        self.set_subject(nfc(f"{title} — {code}" if code else title))
        self.set_creator("motcua")
        self.set_lang("vi-VN")
        self.set_font(FAMILY, "", BODY_SIZE)
        self.add_page()

    # fpdf2 calls this on every page.
    def footer(self) -> None:
        self.set_y(-MARGIN_BOTTOM + 6)
        self.set_font(FAMILY, "I", 9)
        left = f"Mã hồ sơ: {self.code}" if self.code else ""
        width = self.epw / 2
        self.cell(width, 5, nfc(left), align="L")
        self.cell(width, 5, f"Trang {self.page_no()}/{{nb}}", align="R")
        self.set_font(FAMILY, "", BODY_SIZE)

    # -- blocks ---------------------------------------------------------------------------

    def national_header(self, letterhead: Letterhead, *, place: str, day: dt.date) -> None:
        """The two columns: issuing body and number on the left; the national name, motto
        and place and date on the right (NĐ 30/2020, Phụ lục I, items 1–5)."""
        top = self.get_y()
        left_w = self.epw * 0.40
        right_w = self.epw - left_w
        x0 = self.l_margin
        # Left column.
        self.set_xy(x0, top)
        if letterhead.governing:
            self.set_font(FAMILY, "", 11.5)
            self._centred(left_w, 5.2, letterhead.governing.upper())
        self.set_font(FAMILY, "B", 11.5)
        self._centred(left_w, 5.2, letterhead.unit.upper())
        self._rule(x0 + left_w * 0.35, left_w * 0.3)
        self.ln(1.5)
        if letterhead.number:
            self.set_x(x0)
            self.set_font(FAMILY, "", 12)
            self._centred(left_w, 6, f"Số: {letterhead.number}")
        left_bottom = self.get_y()
        # Right column.
        self.set_xy(x0 + left_w, top)
        self.set_font(FAMILY, "B", 11)
        self._centred(right_w, 5.2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x=x0 + left_w)
        self.set_font(FAMILY, "B", 12)
        self._centred(right_w, 5.8, "Độc lập - Tự do - Hạnh phúc", x=x0 + left_w)
        motto_w = self.get_string_width("Độc lập - Tự do - Hạnh phúc")
        self._rule(x0 + left_w + (right_w - motto_w) / 2, motto_w)
        self.ln(1.5)
        self.set_font(FAMILY, "I", 12)
        self._centred(right_w, 6, place_and_date(place, day), x=x0 + left_w)
        self.set_y(max(left_bottom, self.get_y()) + 4)
        self.set_font(FAMILY, "", BODY_SIZE)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FAMILY, "B", 14)
        self.multi_cell(0, 7, nfc(title.upper()), align="C", new_x=XPos.LMARGIN)
        if subtitle:
            self.set_font(FAMILY, "I", BODY_SIZE)
            self.multi_cell(0, LINE, nfc(subtitle), align="C", new_x=XPos.LMARGIN)
        self.ln(3)
        self.set_font(FAMILY, "", BODY_SIZE)

    def paragraph(self, text: str, *, style: str = "", align: str = "J", indent: float = 0) -> None:
        self.set_font(FAMILY, style, BODY_SIZE)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, LINE, nfc(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_font(FAMILY, "", BODY_SIZE)

    def labelled(
        self, label: str, value: str, *, indent: float = 0, bold_value: bool = False
    ) -> None:
        """ "Label: value" with the label in bold, wrapping under the whole width."""
        self.set_x(self.l_margin + indent)
        self.set_font(FAMILY, "B", BODY_SIZE)
        self.write(LINE, nfc(f"{label}: "))
        self.set_font(FAMILY, "B" if bold_value else "", BODY_SIZE)
        self.write(LINE, nfc(value or "…………………………"))
        self.ln(LINE)
        self.set_font(FAMILY, "", BODY_SIZE)

    def bullet_lines(self, lines: Sequence[str], *, indent: float = 6) -> None:
        for line in lines:
            self.paragraph(f"– {line}", indent=indent)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        aligns: Sequence[str] | None = None,
        size: float = 11,
    ) -> None:
        """A bordered table with a bold heading row (repeated on each page)."""
        self.set_font(FAMILY, "", size)
        aligns = aligns or ["L"] * len(headings)
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            line_height=size * 0.45,
            text_align="LEFT",
            headings_style=FontFace(emphasis="BOLD"),
            padding=(1, 1.2),
            v_align="TOP",
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(nfc(text), align="C", v_align="M")
            for values in rows:
                row = table.row()
                for text, align in zip(values, aligns, strict=True):
                    row.cell(nfc(text), align=align)
        self.ln(2)
        self.set_font(FAMILY, "", BODY_SIZE)

    def signatures(self, blocks: Sequence[Signature], *, space: float = 24) -> None:
        """Signature blocks side by side: capacity in bold caps, the instruction in italics,
        room to sign, then the name in bold."""
        self.ln(4)
        if self.get_y() + space + 24 > self.h - self.b_margin:
            self.add_page()
        top = self.get_y()
        # One signer signs on the right half, as on every Vietnamese document.
        width = self.epw / max(len(blocks), 2)
        offset = self.epw / 2 if len(blocks) == 1 else 0
        bottom = top
        for i, block in enumerate(blocks):
            x = self.l_margin + offset + i * width
            self.set_xy(x, top)
            self.set_font(FAMILY, "B", 12)
            self._centred(width, 5.8, block.title.upper(), x=x)
            self.set_font(FAMILY, "I", 11)
            self._centred(width, 5.2, block.note, x=x)
            self.set_xy(x, self.get_y() + space)
            self.set_font(FAMILY, "B", 12)
            self._centred(width, 5.8, block.name, x=x)
            bottom = max(bottom, self.get_y())
        self.set_xy(self.l_margin, bottom + 3)
        self.set_font(FAMILY, "", BODY_SIZE)

    def qr_box(self, url: str, lines: Sequence[str] = (), *, size: float = 26) -> None:
        """A framed box: the QR code of `url` on the left; the caption, the URL as text (so
        it can be typed) and any extra lines on the right."""
        self.ln(2)
        pad = 2.5
        if self.get_y() + size + 2 * pad > self.h - self.b_margin:
            self.add_page()
        top = self.get_y()
        x0 = self.l_margin
        self.image(qr_png(url), x=x0 + pad, y=top + pad, w=size, h=size, alt_text=QR_CAPTION)
        text_x = x0 + size + 2 * pad + 2
        text_w = self.epw - (text_x - x0) - pad
        self.set_xy(text_x, top + pad)
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(text_w, 5.2, QR_CAPTION, align="L", new_x=XPos.LEFT)
        self.set_font(FAMILY, "", 9.5)
        self.multi_cell(text_w, 4.6, url, align="L", new_x=XPos.LEFT, wrapmode=WrapMode.CHAR)
        self.set_font(FAMILY, "", 10.5)
        for line in lines:
            self.multi_cell(text_w, 5, nfc(line), align="L", new_x=XPos.LEFT)
        bottom = max(self.get_y(), top + size + pad) + pad
        self.rect(x0, top, self.epw, bottom - top)
        self.set_xy(self.l_margin, bottom + 2)
        self.set_font(FAMILY, "", BODY_SIZE)

    def to_bytes(self) -> bytes:
        return bytes(self.output())

    # -- helpers --------------------------------------------------------------------------

    def _centred(self, width: float, height: float, text: str, *, x: float | None = None) -> None:
        self.set_x(self.l_margin if x is None else x)
        self.multi_cell(width, height, nfc(text), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)

    def _rule(self, x: float, width: float) -> None:
        y = self.get_y() + 0.6
        self.set_line_width(0.3)
        self.line(x, y, x + width, y)
        self.set_y(y)


def qr_png(payload: str, **options: Any) -> io.BytesIO:
    """The QR code of `payload` as a PNG (error correction M, no quiet zone: the box has
    its own margin)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        buffer, kind="png", scale=options.get("scale", 6), border=options.get("border", 1)
    )
    buffer.seek(0)
    return buffer
