"""The procedure catalogue as an Excel workbook (docs/catalog-format.md, "Excel workbook").

The workbook holds the same data as the JSON document, one sheet per kind of row, with
Vietnamese column labels: "Lĩnh vực", "Loại giấy tờ", "Thủ tục" (one row per version),
"Thành phần hồ sơ", "Phí lệ phí", "Trường hợp" and "Quy trình", whose rows name their
version by procedure code and version number and come in the order shown to citizens.
Choice cells hold the Vietnamese label; the key (`working_days`, `full`, …) is accepted
too. An import converts the workbook into the JSON document and runs the JSON import, so
the checks are the same; errors then name the sheet, the row as Excel numbers it and the
column.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from motcua.catalog.folding import fold
from motcua.catalog.interchange import (
    COMPONENT_KEYS,
    FEE_KEYS,
    FORMAT,
    FORMAT_VERSION,
    SPECS,
    STEP_KEYS,
    VARIANT_KEYS,
    VERSION_KEYS,
    CatalogImportError,
    ImportReport,
    RowError,
    Spec,
    export_catalog,
    import_document,
)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its Vietnamese name, the JSON list its rows go to and its columns."""

    name: str
    section: str
    columns: tuple[tuple[str, str], ...]  # (key, Vietnamese label)

    def label(self, key: str) -> str:
        return dict(self.columns).get(key, key)


PROCEDURE_CODE = ("code", "Mã thủ tục")
VERSION_NUMBER = ("number", "Số phiên bản")

VERSION_LABELS = {
    "number": "Số phiên bản",
    "status": "Trạng thái",
    "effective_from": "Hiệu lực từ ngày",
    "effective_to": "Hết hiệu lực từ ngày",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực (mã)",
    "authority_level": "Cấp thực hiện",
    "competent_unit_kind": "Loại cơ quan có thẩm quyền",
    "competent_authority": "Cơ quan có thẩm quyền quyết định",
    "implementing_agency": "Cơ quan thực hiện",
    "applicants": "Đối tượng thực hiện",
    "conditions": "Yêu cầu, điều kiện",
    "sequence": "Trình tự thực hiện",
    "manner": "Cách thức thực hiện",
    "legal_basis": "Căn cứ pháp lý",
    "publication_decision": "Quyết định công bố",
    "publication_date": "Ngày công bố",
    "time_limit_value": "Thời hạn giải quyết",
    "time_limit_unit": "Đơn vị thời hạn",
    "online_time_limit_value": "Thời hạn giải quyết trực tuyến",
    "online_mode": "Dịch vụ công trực tuyến",
    "legacy_level": "Mức độ (cũ, 1–4)",
    "postal_allowed": "Tiếp nhận qua bưu chính công ích",
    "non_boundary": "Không phụ thuộc địa giới hành chính",
    "result_name": "Kết quả thực hiện",
    "result_electronic": "Kết quả cấp bản điện tử",
    "result_document_type": "Loại giấy tờ của kết quả (mã)",
    "number_of_sets": "Số lượng bộ hồ sơ",
    "notes": "Ghi chú",
}
COMPONENT_LABELS = {
    "name": "Tên giấy tờ",
    "copy_type": "Loại bản",
    "count": "Số lượng",
    "required": "Bắt buộc",
    "sample_form": "Mẫu đơn, tờ khai (tệp)",
    "document_type": "Loại giấy tờ (mã)",
}
FEE_LABELS = {
    "kind": "Loại khoản thu",
    "name": "Tên khoản thu",
    "amount": "Mức thu (đồng)",
    "online_amount": "Mức thu trực tuyến (đồng)",
    "formula": "Cách tính",
    "collected": "Thời điểm thu",
    "exemptions": "Đối tượng miễn, giảm",
    "legal_basis": "Căn cứ",
}
VARIANT_LABELS = {
    "name": "Trường hợp",
    "time_limit_value": "Thời hạn",
    "time_limit_unit": "Đơn vị thời hạn",
    "online_time_limit_value": "Thời hạn trực tuyến",
}
STEP_LABELS = {
    "name": "Nội dung công việc",
    "role": "Vai trò thực hiện",
    "unit_kind": "Đơn vị thực hiện",
    "budget_hours": "Thời gian (giờ làm việc)",
    "online_budget_hours": "Thời gian trực tuyến (giờ làm việc)",
    "counted": "Tính vào thời hạn",
}


def _child_sheet(name: str, section: str, keys: Iterable[str], labels: dict[str, str]) -> Sheet:
    return Sheet(name, section, (PROCEDURE_CODE, VERSION_NUMBER, *((k, labels[k]) for k in keys)))


FIELDS = Sheet("Lĩnh vực", "fields", (("code", "Mã lĩnh vực"), ("name", "Tên lĩnh vực")))
DOCUMENT_TYPES = Sheet(
    "Loại giấy tờ",
    "document_types",
    (
        ("code", "Mã loại giấy tờ"),
        ("name", "Tên loại giấy tờ"),
        ("valid_days", "Thời hạn sử dụng (ngày)"),
    ),
)
VERSIONS = Sheet(
    "Thủ tục",
    "versions",
    (
        PROCEDURE_CODE,
        ("local_code", "Mã thủ tục địa phương"),
        *((k, VERSION_LABELS[k]) for k in VERSION_KEYS),
    ),
)
COMPONENTS = _child_sheet("Thành phần hồ sơ", "components", COMPONENT_KEYS, COMPONENT_LABELS)
FEES = _child_sheet("Phí lệ phí", "fees", FEE_KEYS, FEE_LABELS)
VARIANTS = _child_sheet("Trường hợp", "variants", VARIANT_KEYS, VARIANT_LABELS)
STEPS = _child_sheet("Quy trình", "steps", STEP_KEYS, STEP_LABELS)
CHILD_SHEETS = (COMPONENTS, FEES, VARIANTS, STEPS)
SHEETS = (FIELDS, DOCUMENT_TYPES, VERSIONS, *CHILD_SHEETS)
CHOICES_SHEET = "Giá trị hợp lệ"

_BOOL_TRUE = {"co", "x", "true", "dung", "1"}
_BOOL_FALSE = {"khong", "false", "sai", "0"}


def _spec(sheet: Sheet, key: str) -> Spec:
    if key == "code" and sheet.section not in ("fields", "document_types"):
        return SPECS["procedures"]["code"]
    if key == "local_code":
        return SPECS["procedures"]["local_code"]
    if key == "number":
        return SPECS["versions"]["number"]
    return SPECS[sheet.section][key]


# --- Export --------------------------------------------------------------------------------


def _cell_value(spec: Spec, value: Any) -> Any:
    """A JSON value of the format as the value written into a cell."""
    if value is None or value == "":
        return None
    if spec.kind == "choice":
        if isinstance(value, int):
            return value  # legacy_level: the number is its own label
        return next((str(label) for key, label in spec.choices if key == value), value)
    if spec.kind == "decimal":
        number = Decimal(value)
        # Whole numbers as integers; others as floats, which these few digits survive exactly.
        return int(number) if number == number.to_integral_value() else float(number)
    if spec.kind == "date":
        return dt.date.fromisoformat(value)
    return value


def _write_sheet(wb: Workbook, sheet: Sheet, rows: list[dict[str, Any]]) -> Worksheet:
    ws: Worksheet = wb.create_sheet(sheet.name)
    ws.append([label for _key, label in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    specs = [(key, _spec(sheet, key)) for key, _label in sheet.columns]
    for row in rows:
        ws.append([_cell_value(spec, row.get(key)) for key, spec in specs])
    for index, (key, spec) in enumerate(specs, start=1):
        letter = get_column_letter(index)
        width = 14 if spec.kind != "text" or (spec.max_length or 1000) <= 60 else 40
        ws.column_dimensions[letter].width = max(width, min(len(sheet.label(key)) + 2, 40))
        if spec.kind in ("text", "ref"):
            # Text stays text: a code like 1.001190 must not become the number 1.00119,
            # and a text starting with "=" must not become a formula.
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell, Cell) and isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.number_format = "@"
        if spec.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    return ws


def _write_choices(wb: Workbook, sheets: dict[str, Worksheet]) -> None:
    """A sheet listing each choice column's values, and drop-down lists that use it."""
    ws = wb.create_sheet(CHOICES_SHEET)
    ws.append(["Trang", "Cột", "Nhãn (ghi trong ô)", "Mã (cũng được chấp nhận)"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for width, letter in zip((18, 36, 40, 24), "ABCD", strict=True):
        ws.column_dimensions[letter].width = width
    for sheet in SHEETS:
        for index, (key, label) in enumerate(sheet.columns, start=1):
            spec = _spec(sheet, key)
            if spec.kind != "choice":
                continue
            first = ws.max_row + 1
            for value, choice_label in spec.choices:
                ws.append([sheet.name, label, str(choice_label), value])
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1=f"'{CHOICES_SHEET}'!$C${first}:$C${ws.max_row}",
                allow_blank=True,
                showErrorMessage=False,
            )
            sheets[sheet.name].add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1048576")


def export_workbook(*, progress: bool = False) -> bytes:
    """The whole catalogue as an .xlsx workbook, in the order of `export_catalog()`."""
    with translation.override("vi"):
        doc = export_catalog(progress=progress)
        rows: dict[str, list[dict[str, Any]]] = {sheet.name: [] for sheet in SHEETS}
        rows[FIELDS.name] = doc["fields"]
        rows[DOCUMENT_TYPES.name] = doc["document_types"]
        for procedure in doc["procedures"]:
            code = procedure["code"]
            for version in procedure["versions"]:
                rows[VERSIONS.name].append(
                    {"code": code, "local_code": procedure["local_code"], **version}
                )
                for sheet in CHILD_SHEETS:
                    rows[sheet.name] += [
                        {"code": code, "number": version["number"], **child}
                        for child in version[sheet.section]
                    ]
        wb = Workbook()
        if wb.active is not None:
            wb.remove(wb.active)
        written = {sheet.name: _write_sheet(wb, sheet, rows[sheet.name]) for sheet in SHEETS}
        _write_choices(wb, written)
        wb.properties.title = "Danh mục thủ tục hành chính"
        wb.properties.subject = f"{FORMAT} {FORMAT_VERSION}"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


# --- Import --------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def choice_lookup(spec: Spec) -> dict[str, Any]:
    """Each choice's key, found by its folded label or its folded key."""
    lookup = {fold(str(label)): key for key, label in spec.choices}
    lookup.update({fold(str(key)): key for key, _label in spec.choices})
    return lookup


def _from_cell(spec: Spec, value: Any, choices: dict[str, Any]) -> Any:
    """A cell's value as the JSON document would hold it (what is left wrong, the JSON
    checks report). `choices` is `choice_lookup(spec)` for a choice column."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip() and spec.kind != "text":
        return None
    kind = spec.kind
    if kind in ("text", "ref"):
        return _text(value)
    if kind == "choice":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value  # an integer choice (legacy level); the JSON check rules on it
        return choices.get(fold(value), value) if isinstance(value, str) else _text(value)
    if kind == "decimal":
        return value.strip() if isinstance(value, str) else value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return _text(value).strip() if isinstance(_text(value), str) else value
    if kind == "bool":
        if isinstance(value, str):
            folded = fold(value)
            if folded in _BOOL_TRUE:
                return True
            if folded in _BOOL_FALSE:
                return False
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        return value
    # int
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


@dataclass
class _Located:
    sheet: Sheet
    row: int


class _WorkbookReader:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.where: dict[str, _Located] = {}

    def error(self, sheet: Sheet | str, row: int | None, reason: str, column: str = "") -> None:
        name = sheet.name if isinstance(sheet, Sheet) else sheet
        self.errors.append(RowError("", reason, sheet=name, row=row, column=column or None))

    def rows(self, wb: Any, sheet: Sheet) -> Iterable[tuple[int, dict[str, Any]]]:
        """The non-empty rows of a sheet as (row number, {key: JSON value})."""
        if sheet.name not in wb.sheetnames:
            if sheet is VERSIONS:
                self.error(sheet, None, f"Thiếu trang '{sheet.name}'.")
            return
        ws = wb[sheet.name]
        header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        by_label = {fold(label): key for key, label in sheet.columns}
        by_label.update({key: key for key, _label in sheet.columns})
        columns: dict[int, str] = {}
        for index, title in enumerate(header):
            if title is None or not str(title).strip():
                continue
            key = by_label.get(fold(str(title))) or by_label.get(str(title).strip())
            if key is None:
                self.error(sheet, 1, f"Cột '{title}' không có trong định dạng.")
            elif key in columns.values():
                self.error(sheet, 1, f"Cột '{title}' xuất hiện hai lần.")
            else:
                columns[index] = key
        missing = [
            label
            for key, label in sheet.columns
            if key not in columns.values() and (_spec(sheet, key).required or key == "code")
        ]
        for label in missing:
            self.error(sheet, 1, f"Thiếu cột '{label}'.")
        if missing:
            return
        readers = [
            (index, key, spec, choice_lookup(spec))
            for index, key in columns.items()
            for spec in [_spec(sheet, key)]
        ]
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield (
                number,
                {
                    key: _from_cell(spec, values[index], choices) if index < len(values) else None
                    for index, key, spec, choices in readers
                },
            )

    def read(self, wb: Any) -> dict[str, Any]:
        for name in wb.sheetnames:
            if name not in {sheet.name for sheet in SHEETS} and name != CHOICES_SHEET:
                self.error(name, None, f"Trang '{name}' không có trong định dạng.")
        doc: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "fields": [],
            "document_types": [],
            "procedures": [],
        }
        for sheet in (FIELDS, DOCUMENT_TYPES):
            for number, row in self.rows(wb, sheet):
                self.where[f"{sheet.section}[{len(doc[sheet.section])}]"] = _Located(sheet, number)
                doc[sheet.section].append(row)
        procedures: dict[str, tuple[int, dict[str, Any], int]] = {}
        versions: dict[tuple[str, Any], str] = {}
        for number, row in self.rows(wb, VERSIONS):
            code = row.pop("code")
            local_code = row.pop("local_code", "")
            if code is None:
                self.error(VERSIONS, number, "Thiếu mã thủ tục.", PROCEDURE_CODE[1])
                continue
            if code not in procedures:
                index = len(doc["procedures"])
                procedure = {"code": code, "local_code": local_code, "versions": []}
                doc["procedures"].append(procedure)
                procedures[code] = (index, procedure, number)
                self.where[f"procedures[{index}]"] = _Located(VERSIONS, number)
            index, procedure, first_row = procedures[code]
            if (local_code or "") != (procedure["local_code"] or ""):
                self.error(
                    VERSIONS,
                    number,
                    f"Mã thủ tục địa phương '{local_code or ''}' khác với dòng {first_row} "
                    f"('{procedure['local_code'] or ''}') của cùng thủ tục {code}.",
                    VERSIONS.label("local_code"),
                )
            path = f"procedures[{index}].versions[{len(procedure['versions'])}]"
            self.where[path] = _Located(VERSIONS, number)
            versions.setdefault((code, row.get("number")), path)
            procedure["versions"].append(row)
        for sheet in CHILD_SHEETS:
            for number, row in self.rows(wb, sheet):
                code, version_number = row.pop("code"), row.pop("number")
                version_path = versions.get((code, version_number))
                if version_path is None:
                    self.error(
                        sheet,
                        number,
                        f"Không có phiên bản {version_number} của thủ tục {code} "
                        f"trong trang '{VERSIONS.name}'.",
                    )
                    continue
                version = _at(doc, version_path)
                children = version.setdefault(sheet.section, [])
                child_path = f"{version_path}.{sheet.section}[{len(children)}]"
                self.where[child_path] = _Located(sheet, number)
                children.append(row)
        return doc

    def locate(self, errors: list[RowError]) -> list[RowError]:
        located = [self._locate(error) for error in errors]
        order = {sheet.name: i for i, sheet in enumerate(SHEETS)}
        return sorted(
            located,
            key=lambda e: (-1 if e.sheet is None else order.get(e.sheet, 99), e.row or 0),
        )

    def _locate(self, error: RowError) -> RowError:
        if error.sheet is not None:
            return error
        path = error.path
        while path and path not in self.where:
            path = path.rsplit(".", 1)[0] if "." in path else ""
        where = self.where.get(path)
        if where is None:
            return error
        column = where.sheet.label(error.key) if error.key else None
        return replace(error, sheet=where.sheet.name, row=where.row, column=column)


def _at(doc: dict[str, Any], path: str) -> dict[str, Any]:
    node: Any = doc
    for part in path.split("."):
        name, _bracket, index = part.partition("[")
        node = node[name][int(index.rstrip("]"))]
    assert isinstance(node, dict)  # noqa: S101 -- paths come from the reader itself
    return node


def read_workbook(file: IO[bytes] | bytes | str) -> tuple[dict[str, Any], _WorkbookReader]:
    """The JSON document a workbook holds, and the reader that knows where each row was."""
    source: Any = io.BytesIO(file) if isinstance(file, bytes) else file
    invalid = CatalogImportError([RowError("", "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")])
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, or a part openpyxl cannot parse
        raise invalid from exc
    reader = _WorkbookReader()
    try:
        return reader.read(wb), reader
    except CatalogImportError:
        raise
    except Exception as exc:  # a sheet's XML that openpyxl cannot parse
        raise invalid from exc
    finally:
        wb.close()


def import_workbook(file: IO[bytes] | bytes | str, *, progress: bool = False) -> ImportReport:
    """Import a catalogue workbook, all or nothing, like `import_catalog()`; errors name
    the sheet, row and column."""
    with translation.override("vi"):
        doc, reader = read_workbook(file)
        return import_document(
            doc, progress=progress, locate=reader.locate, errors=list(reader.errors)
        )
