"""Sample declaration forms (mẫu đơn, tờ khai) of the demo catalogue, as Word documents.

`forms.json` beside this module describes each official form a component of the demo
catalogue refers to: its title, the instrument that issues it, the national motto header, the
addressee, the fields the real form asks for (grouped in sections, with tables where the form
has one), the applicant's commitment and the signature blocks. `generate_forms()` renders
every spec with python-docx and stores it through Django's default storage at the
`sample_form` path the catalogue names, so the public pages can offer it for download.

The rendering is deterministic (fixed document properties and zip timestamps), so a file
already in storage with the same bytes is left alone and a second run writes nothing. The
documents are reconstructions from the field lists of the official forms, not facsimiles; a
footer says so.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_PARAGRAPH_ALIGNMENT,
    WD_TAB_ALIGNMENT,
    WD_TAB_LEADER,
)
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

SPECS_FILE = Path(__file__).with_name("forms.json")
FONT = "Times New Roman"
TEXT_WIDTH = Cm(16.5)  # A4 less 2.5 cm left and 2 cm right margins
FIXED_TIME = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
ZIP_TIME = (2025, 7, 1, 0, 0, 0)
SIGNATURE_HINT = "(Ký, ghi rõ họ tên)"
FOOTER = (
    "Mẫu tham khảo do hệ thống motcua dựng lại theo các mục thông tin của mẫu chính thức; "
    "khi nộp hồ sơ có thể dùng mẫu này hoặc mẫu do cơ quan có thẩm quyền ban hành."
)


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: int


@dataclass(frozen=True)
class Section:
    heading: str
    fields: list[str]
    table: Table | None = None


@dataclass(frozen=True)
class FormSpec:
    path: str
    title: str
    legal_reference: str
    header: list[str]
    addressee: str
    sections: list[Section]
    commitment: str
    signers: list[str] = field(default_factory=lambda: ["Người yêu cầu"])


@dataclass
class FormsReport:
    """What `generate_forms()` did, counted in files."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _spec(raw: dict[str, Any]) -> FormSpec:
    sections = [
        Section(
            heading=s["heading"],
            fields=list(s["fields"]),
            table=Table(list(s["table"]["columns"]), int(s["table"]["rows"]))
            if s.get("table")
            else None,
        )
        for s in raw["sections"]
    ]
    spec = FormSpec(
        path=raw["path"],
        title=raw["title"],
        legal_reference=raw["legal_reference"],
        header=list(raw["header"]),
        addressee=raw["addressee"],
        sections=sections,
        commitment=raw["commitment"],
        signers=list(raw.get("signers") or ["Người yêu cầu"]),
    )
    if not spec.path.startswith("catalog/forms/") or not spec.path.endswith(".docx"):
        raise ValueError(f"{spec.path}: a sample form lives in catalog/forms/ as a .docx")
    if not any(s.fields or s.table for s in spec.sections):
        raise ValueError(f"{spec.path}: a form without fields")
    return spec


def load_specs(path: Path = SPECS_FILE) -> list[FormSpec]:
    """The form specs of `forms.json`, in file order."""
    with path.open(encoding="utf-8") as fh:
        return [_spec(raw) for raw in json.load(fh)]


def _paragraph(
    doc: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    space_after: float = 2,
) -> Paragraph:
    paragraph: Paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _dotted_field(doc: Any, label: str) -> None:
    """`label: ......` with a dotted leader to the right margin, as printed forms have."""
    paragraph = _paragraph(doc, f"{label}: ")
    paragraph.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    paragraph.add_run("\t")


def _no_borders(table: Any) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def render(spec: FormSpec) -> bytes:
    """The form as .docx bytes; the same spec always gives the same bytes."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)

    _paragraph(doc, spec.legal_reference, italic=True, size=10, align=WD_ALIGN_PARAGRAPH.RIGHT)
    national, motto = spec.header
    _paragraph(doc, national, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _paragraph(doc, motto, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _paragraph(doc, "—————————", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        "……………, ngày …… tháng …… năm ……",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        space_after=10,
    )
    _paragraph(doc, spec.title, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    _paragraph(doc, spec.addressee, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)

    for part in spec.sections:
        _paragraph(doc, part.heading, bold=True, space_after=4)
        for label in part.fields:
            _dotted_field(doc, label)
        if part.table is not None:
            table = doc.add_table(rows=part.table.rows + 1, cols=len(part.table.columns))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, title in zip(table.rows[0].cells, part.table.columns, strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(title)
                run.bold = True
                run.font.size = Pt(11)
            _paragraph(doc, space_after=4)

    _paragraph(doc, spec.commitment, italic=True, space_after=12)

    signatures = doc.add_table(rows=3, cols=len(spec.signers))
    _no_borders(signatures)
    for cell, signer in zip(signatures.rows[0].cells, spec.signers, strict=True):
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(signer)
        run.bold = True
    for cell in signatures.rows[1].cells:
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(SIGNATURE_HINT).italic = True
    for cell in signatures.rows[2].cells:
        cell.text = "\n\n\n"

    _paragraph(doc, space_after=12)
    _paragraph(doc, FOOTER, italic=True, size=9)

    props = doc.core_properties
    props.title = spec.title
    props.subject = spec.legal_reference
    props.author = "motcua"
    props.last_modified_by = "motcua"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _normalised_zip(raw.getvalue())


def _normalised_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps, so rendering is byte-for-byte stable."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _stored(storage: Storage, path: str) -> bytes | None:
    if not storage.exists(path):
        return None
    with storage.open(path, "rb") as fh:
        content: bytes = fh.read()
    return content


def generate_forms(
    specs: list[FormSpec] | None = None, *, storage: Storage | None = None
) -> FormsReport:
    """Render every spec and store it at its path; identical files already stored are kept."""
    storage = storage or default_storage
    report = FormsReport()
    for spec in load_specs() if specs is None else specs:
        content = render(spec)
        existing = _stored(storage, spec.path)
        if existing == content:
            report.unchanged += 1
            continue
        if existing is not None:
            storage.delete(spec.path)
        saved = storage.save(spec.path, ContentFile(content))
        if saved != spec.path:
            raise RuntimeError(f"Storage saved {spec.path} as {saved}")
        if existing is None:
            report.created += 1
        else:
            report.updated += 1
    return report
