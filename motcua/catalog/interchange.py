"""Import and export of the procedure catalogue as JSON (docs/catalog-format.md).

`export_catalog()` returns the whole catalogue as the JSON document of the format, in a
fixed order, so that two exports of the same data are equal. `import_catalog()` loads such a
document all-or-nothing: it checks everything, collects every problem with its location
and a reason in Vietnamese, and writes nothing unless there is none. The Excel workbook
(`motcua.catalog.workbook`) is converted to the same document and goes through the same
checks, its errors then naming the sheet and row.

Import against a database that already holds a catalogue: fields and document types are
upserted by code (a key their row leaves out, such as `valid_days`, keeps its value); a
version (procedure code, version number) that exists identically is skipped, one that
exists as a draft is replaced, and one that exists published or withdrawn but differs is
an error (a published version is never changed; publish a new one). Rows
are written as given (status, effective dates): the import never moves another version's
effective dates, it checks instead that the published versions of a procedure do not
overlap and that each passes `publication_problems()`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Literal, cast

from django.core.validators import MinValueValidator
from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from tqdm import tqdm

from motcua.catalog.models import (
    VERSION_CONTENT,
    Component,
    DocumentType,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
    Variant,
    VersionStatus,
)
from motcua.catalog.versions import publication_problems

FORMAT = "motcua-catalog"
FORMAT_VERSION = 1

FIELD_KEYS = ("code", "name")
DOCUMENT_TYPE_KEYS = ("code", "name", "valid_days")
PROCEDURE_KEYS = ("code", "local_code", "versions")
VERSION_KEYS = ("number", "status", "effective_from", "effective_to", *VERSION_CONTENT)
CHILD_LISTS = ("components", "fees", "variants", "steps")
COMPONENT_KEYS = ("name", "copy_type", "count", "required", "sample_form", "document_type")
FEE_KEYS = (
    "kind",
    "name",
    "amount",
    "online_amount",
    "formula",
    "collected",
    "exemptions",
    "legal_basis",
)
VARIANT_KEYS = ("name", "time_limit_value", "time_limit_unit", "online_time_limit_value")
STEP_KEYS = ("name", "role", "unit_kind", "budget_hours", "online_budget_hours", "counted")

_PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PATH_PART = re.compile(r"\[(\d+)\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Kind = Literal["text", "choice", "decimal", "date", "bool", "int", "ref"]


# --- Errors and the report -----------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in an imported catalogue: where it is and why, in Vietnamese.

    `path` locates the row in the JSON document (`procedures[3].versions[0].steps[2]`, ""
    for the document itself) and `key` the value in it. An error from a workbook also
    names the sheet, the row number as Excel shows it and the column.
    """

    path: str
    reason: str
    key: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def location(self) -> str:
        if self.sheet is not None:
            where = f"Trang '{self.sheet}'"
            if self.row is not None:
                where += f", dòng {self.row}"
            if self.column:
                where += f", cột '{self.column}'"
            return where
        return ".".join(part for part in (self.path, self.key) if part) or "(toàn tệp)"

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class CatalogImportError(Exception):
    """The import wrote nothing; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} lỗi: " + "; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass
class ImportReport:
    """What an import did. `created`, `skipped` and `replaced` count procedure versions."""

    created: int = 0
    skipped: int = 0
    replaced: int = 0
    procedures_created: int = 0
    fields_created: int = 0
    fields_updated: int = 0
    document_types_created: int = 0
    document_types_updated: int = 0
    ended: int = 0  # versions already in the database ended by a newer imported one

    def summary(self) -> str:
        ended = (
            f"; {self.ended} phiên bản cũ hết hiệu lực khi phiên bản mới có hiệu lực"
            if self.ended
            else ""
        )
        return (
            f"Nhập danh mục thủ tục: {self.created} phiên bản mới, "
            f"{self.replaced} thay thế bản dự thảo, {self.skipped} bỏ qua vì không đổi; "
            f"{self.procedures_created} thủ tục mới, "
            f"{self.fields_created} lĩnh vực mới ({self.fields_updated} cập nhật), "
            f"{self.document_types_created} loại giấy tờ mới "
            f"({self.document_types_updated} cập nhật){ended}."
        )


# --- What each key may hold, read from the models ------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What one key of a row may hold, derived from the model field it is stored in."""

    key: str
    kind: Kind
    required: bool
    nullable: bool
    blank: bool
    default: Any = None
    max_length: int | None = None
    choices: tuple[tuple[Any, Any], ...] = ()
    max_digits: int = 0
    decimal_places: int = 0
    min_value: int = 0
    max_value: int = 0
    ref: Literal["field", "document_type", ""] = ""

    def allowed(self) -> str:
        """The allowed choice values with their Vietnamese labels."""
        return ", ".join(f"{value} ({label})" for value, label in self.choices)


def _spec(model: type[models.Model], key: str) -> Spec:
    f = model._meta.get_field(key)
    assert isinstance(f, models.Field)  # noqa: S101 -- every key names a concrete field
    has_default = f.has_default()
    default = f.get_default() if has_default else None
    common: dict[str, Any] = {
        "key": key,
        "nullable": f.null,
        "blank": f.blank,
        "required": not has_default and not f.null and not f.blank,
        "default": default if has_default else (None if f.null else ""),
    }
    if isinstance(f, models.ForeignKey):
        if f.related_model is Field:
            return Spec(kind="ref", ref="field", **common)
        return Spec(kind="ref", ref="document_type", **common)
    if f.choices:
        return Spec(kind="choice", choices=tuple(f.choices), **common)
    if isinstance(f, models.DecimalField):
        return Spec(
            kind="decimal",
            max_digits=f.max_digits or 0,
            decimal_places=f.decimal_places or 0,
            **common,
        )
    if isinstance(f, models.DateField):
        return Spec(kind="date", **common)
    if isinstance(f, models.BooleanField):
        return Spec(kind="bool", **common)
    minimum = max(
        (v.limit_value for v in f.validators if isinstance(v, MinValueValidator)), default=0
    )
    if isinstance(f, models.PositiveSmallIntegerField):
        return Spec(kind="int", min_value=minimum, max_value=32767, **common)
    if isinstance(f, models.PositiveIntegerField):
        return Spec(kind="int", min_value=minimum, max_value=2147483647, **common)
    return Spec(kind="text", max_length=f.max_length, **common)


def _specs(model: type[models.Model], keys: Iterable[str]) -> dict[str, Spec]:
    return {key: _spec(model, key) for key in keys}


SPECS: dict[str, dict[str, Spec]] = {
    "fields": _specs(Field, FIELD_KEYS),
    "document_types": _specs(DocumentType, DOCUMENT_TYPE_KEYS),
    "procedures": _specs(Procedure, ("code", "local_code")),
    "versions": _specs(ProcedureVersion, VERSION_KEYS),
    "components": _specs(Component, COMPONENT_KEYS),
    "fees": _specs(Fee, FEE_KEYS),
    "variants": _specs(Variant, VARIANT_KEYS),
    "steps": _specs(Step, STEP_KEYS),
}


# --- Values: JSON <-> Python ---------------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_json_value(value: Any) -> Any:
    """A Python value as the format writes it: decimals as strings, dates in ISO form."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Invalid(Exception):
    pass


def clean_value(spec: Spec, value: Any) -> Any:
    """The Python value of `value` for `spec`; raises `_Invalid` with the Vietnamese reason."""
    if value is None or (value == "" and spec.kind != "text"):
        if spec.nullable:
            return None
        if spec.blank and spec.kind in ("text", "choice"):
            return ""
        raise _Invalid("Không được để trống.")
    kind = spec.kind
    if kind in ("text", "ref"):
        if not isinstance(value, str):
            raise _Invalid(f"Giá trị '{_shown(value)}' phải là một chuỗi văn bản.")
        if kind == "text" and not spec.blank and not value.strip():
            raise _Invalid("Không được để trống.")
        if _CONTROL.search(value):
            # Neither PostgreSQL (NUL) nor an Excel cell can hold these characters.
            raise _Invalid("Có ký tự điều khiển không hợp lệ (chỉ được xuống dòng, tab).")
        if spec.max_length and len(value) > spec.max_length:
            raise _Invalid(f"Dài {len(value)} ký tự, quá giới hạn {spec.max_length} ký tự.")
        return value
    if kind == "choice":
        for choice, _label in spec.choices:
            if value == choice and type(value) is type(choice):
                return value
        raise _Invalid(
            f"Giá trị '{_shown(value)}' không hợp lệ; các giá trị được phép: {spec.allowed()}."
        )
    if kind == "decimal":
        return _clean_decimal(spec, value)
    if kind == "date":
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise _Invalid(
            f"Ngày '{_shown(value)}' không hợp lệ (cần dạng YYYY-MM-DD, ví dụ 2025-07-01)."
        )
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise _Invalid(f"Giá trị '{_shown(value)}' không phải là đúng/sai (true/false).")
    # int
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid(f"Giá trị '{_shown(value)}' không phải là số nguyên.")
    if value < spec.min_value or value > spec.max_value:
        raise _Invalid(f"Giá trị {value} phải từ {spec.min_value} đến {spec.max_value}.")
    return value


def _clean_decimal(spec: Spec, value: Any) -> Decimal:
    number: Decimal | None = None
    if (isinstance(value, str) and _DECIMAL.match(value)) or (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        number = Decimal(value)
    elif isinstance(value, float) and value == value and abs(value) != float("inf"):
        number = Decimal(repr(value))
    if number is None:
        raise _Invalid(f"Giá trị '{_shown(value)}' không phải là số.")
    if number < 0:
        raise _Invalid(f"Giá trị '{_shown(value)}' không được âm.")
    whole_digits = spec.max_digits - spec.decimal_places
    if number >= Decimal(10) ** whole_digits:
        raise _Invalid(
            f"Giá trị '{_shown(value)}' quá lớn (phần nguyên tối đa {whole_digits} chữ số)."
        )
    try:
        exact = number == number.quantize(Decimal(1).scaleb(-spec.decimal_places))
    except InvalidOperation:
        exact = False
    if not exact:
        raise _Invalid(
            f"Giá trị '{_shown(value)}' có quá {spec.decimal_places} chữ số thập phân."
            if spec.decimal_places
            else f"Giá trị '{_shown(value)}' phải là số nguyên (không có phần thập phân)."
        )
    return number


# --- Reading the document into plans -------------------------------------------------------


@dataclass
class _VersionPlan:
    path: str
    values: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]

    @property
    def number(self) -> int:
        return int(self.values["number"])

    def as_json(self) -> dict[str, Any]:
        return _version_json(self.values, self.children)


@dataclass
class _ProcedurePlan:
    path: str
    code: str
    local_code: str
    versions: list[_VersionPlan] = field(default_factory=list)


@dataclass
class _Plan:
    fields: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    document_types: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    procedures: list[_ProcedurePlan] = field(default_factory=list)


class _Reader:
    """Checks a catalogue document and turns its valid rows into plans, collecting errors."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        # Codes declared in the document, valid rows or not: a reference to a code whose
        # row is wrong is reported once, at that row.
        self.declared: dict[str, set[str]] = {"fields": set(), "document_types": set()}

    def error(self, path: str, reason: str, key: str | None = None) -> None:
        self.errors.append(RowError(path=path, reason=reason, key=key))

    def items(self, container: dict[str, Any], key: str, path: str) -> list[Any]:
        value = container.get(key, [])
        if not isinstance(value, list):
            self.error(path, "Phải là một danh sách.", key)
            return []
        return value

    def row(
        self, obj: Any, section: str, path: str, extra: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """The cleaned values of one row object, or None when any of them is wrong."""
        if not isinstance(obj, dict):
            self.error(path, "Phải là một đối tượng JSON {…}.")
            return None
        specs = SPECS[section]
        ok = True
        for key in obj:
            if key not in specs and key not in extra:
                self.error(path, f"Khóa '{key}' không có trong định dạng.", key)
                ok = False
        values: dict[str, Any] = {}
        for key, spec in specs.items():
            if key not in obj:
                if spec.required:
                    self.error(path, f"Thiếu khóa bắt buộc '{key}'.", key)
                    ok = False
                else:
                    values[key] = spec.default
                continue
            try:
                values[key] = clean_value(spec, obj[key])
            except _Invalid as invalid:
                self.error(path, str(invalid), key)
                ok = False
        return values if ok else None

    def read(self, data: Any) -> _Plan:
        plan = _Plan()
        if not isinstance(data, dict):
            self.error("", "Tệp phải là một đối tượng JSON {…}.")
            return plan
        if data.get("format") != FORMAT:
            self.error("", f'Không phải tệp danh mục thủ tục (cần "format": "{FORMAT}").', "format")
            return plan
        if data.get("format_version") != FORMAT_VERSION:
            self.error(
                "",
                f"Phiên bản định dạng '{_shown(data.get('format_version'))}' không được hỗ trợ "
                f"(chỉ hỗ trợ {FORMAT_VERSION}).",
                "format_version",
            )
            return plan
        known = {"format", "format_version", "fields", "document_types", "procedures"}
        for key in data:
            if key not in known:
                self.error("", f"Khóa '{key}' không có trong định dạng.", key)
        if "procedures" not in data:
            self.error("", "Thiếu khóa bắt buộc 'procedures'.", "procedures")
        for section, label, target in (
            ("fields", "Mã lĩnh vực", plan.fields),
            ("document_types", "Mã loại giấy tờ", plan.document_types),
        ):
            seen: set[str] = set()
            for i, obj in enumerate(self.items(data, section, "")):
                path = f"{section}[{i}]"
                if isinstance(obj, dict) and isinstance(obj.get("code"), str):
                    self.declared[section].add(obj["code"])
                values = self.row(obj, section, path)
                if values is None:
                    continue
                if values["code"] in seen:
                    self.error(path, f"{label} '{values['code']}' xuất hiện hai lần.", "code")
                    continue
                seen.add(values["code"])
                # Only the keys the row gives: a key left out keeps the database's value.
                target.append((path, {k: v for k, v in values.items() if k in obj}))
        self.declared["fields"] |= set(Field.objects.values_list("code", flat=True))
        self.declared["document_types"] |= set(DocumentType.objects.values_list("code", flat=True))
        seen_codes: set[str] = set()
        for i, obj in enumerate(self.items(data, "procedures", "")):
            procedure = self.procedure(obj, f"procedures[{i}]", seen_codes)
            if procedure is not None:
                plan.procedures.append(procedure)
        return plan

    def procedure(self, obj: Any, path: str, seen: set[str]) -> _ProcedurePlan | None:
        values = self.row(obj, "procedures", path, extra=("versions",))
        if values is None:
            # Still read the versions, so that their errors are reported too.
            if isinstance(obj, dict):
                self.versions(obj, path, str(obj.get("code", "")))
            return None
        code = values["code"]
        ok = True
        if not _PROCEDURE_CODE.match(code):
            self.error(path, f"Mã thủ tục '{code}' không đúng dạng d.dddddd.", "code")
            ok = False
        elif code in seen:
            self.error(path, f"Mã thủ tục '{code}' xuất hiện hai lần.", "code")
            ok = False
        seen.add(code)
        if "versions" not in obj:
            self.error(path, "Thiếu khóa bắt buộc 'versions'.", "versions")
            ok = False
        versions = self.versions(obj, path, code)
        if not ok:
            return None
        return _ProcedurePlan(path, code, values["local_code"], versions)

    def versions(self, obj: dict[str, Any], path: str, code: str) -> list[_VersionPlan]:
        plans: list[_VersionPlan] = []
        numbers: set[int] = set()
        for j, version_obj in enumerate(self.items(obj, "versions", path)):
            vpath = f"{path}.versions[{j}]"
            values = self.row(version_obj, "versions", vpath, extra=CHILD_LISTS)
            children: dict[str, list[dict[str, Any]]] = {}
            ok = values is not None
            if values is not None and values["field"] not in self.declared["fields"]:
                self.error(
                    vpath,
                    f"Lĩnh vực '{values['field']}' không có trong danh sách lĩnh vực.",
                    "field",
                )
                ok = False
            result_type = values["result_document_type"] if values is not None else None
            if result_type is not None and result_type not in self.declared["document_types"]:
                self.error(
                    vpath,
                    f"Loại giấy tờ '{result_type}' không có trong danh sách loại giấy tờ.",
                    "result_document_type",
                )
                ok = False
            for child in CHILD_LISTS:
                rows = []
                if isinstance(version_obj, dict):
                    for k, child_obj in enumerate(self.items(version_obj, child, vpath)):
                        cpath = f"{vpath}.{child}[{k}]"
                        child_values = self.row(child_obj, child, cpath)
                        if child_values is None:
                            ok = False
                            continue
                        type_code = child_values.get("document_type")
                        if (
                            type_code is not None
                            and type_code not in self.declared["document_types"]
                        ):
                            self.error(
                                cpath,
                                f"Loại giấy tờ '{type_code}' không có trong danh sách "
                                "loại giấy tờ.",
                                "document_type",
                            )
                            ok = False
                        rows.append(child_values)
                children[child] = rows
            if values is None or not ok:
                continue
            if values["number"] in numbers:
                self.error(
                    vpath,
                    f"Số phiên bản {values['number']} của thủ tục {code} xuất hiện hai lần.",
                    "number",
                )
                continue
            numbers.add(values["number"])
            start, end = values["effective_from"], values["effective_to"]
            if start is not None and end is not None and end <= start:
                self.error(
                    vpath,
                    f"Ngày hết hiệu lực ({end.isoformat()}) phải sau ngày có hiệu lực "
                    f"({start.isoformat()}).",
                    "effective_to",
                )
                continue
            plans.append(_VersionPlan(vpath, values, children))
        return plans


# --- Writing -------------------------------------------------------------------------------

_CHILD_MODELS: dict[str, type[Component | Fee | Variant | Step]] = {
    "components": Component,
    "fees": Fee,
    "variants": Variant,
    "steps": Step,
}
_CHILD_KEYS = {
    "components": COMPONENT_KEYS,
    "fees": FEE_KEYS,
    "variants": VARIANT_KEYS,
    "steps": STEP_KEYS,
}


def _version_json(
    values: dict[str, Any], children: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    out = {key: to_json_value(values[key]) for key in VERSION_KEYS}
    for child, keys in _CHILD_KEYS.items():
        out[child] = [{key: to_json_value(row[key]) for key in keys} for row in children[child]]
    return out


def _child_values(obj: models.Model, keys: Iterable[str]) -> dict[str, Any]:
    values = {}
    for key in keys:
        if isinstance(obj, Component) and key == "document_type":
            values[key] = obj.document_type.code if obj.document_type is not None else None
        elif isinstance(obj, Component) and key == "sample_form":
            values[key] = obj.sample_form.name or ""
        else:
            values[key] = getattr(obj, key)
    return values


def _version_values(version: ProcedureVersion) -> dict[str, Any]:
    refs = ("field", "result_document_type")
    values = {key: getattr(version, key) for key in VERSION_KEYS if key not in refs}
    values["field"] = version.field.code
    result_type = version.result_document_type
    values["result_document_type"] = result_type.code if result_type is not None else None
    return values


def _version_children(version: ProcedureVersion) -> dict[str, list[dict[str, Any]]]:
    return {
        child: [_child_values(row, _CHILD_KEYS[child]) for row in getattr(version, child).all()]
        for child in CHILD_LISTS
    }


def _versions_queryset() -> models.QuerySet[ProcedureVersion]:
    return (
        ProcedureVersion.objects.select_related("field", "result_document_type")
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "components",
                Component.objects.select_related("document_type").order_by("position", "pk"),
            ),
            Prefetch("fees", Fee.objects.order_by("position", "pk")),
            Prefetch("variants", Variant.objects.order_by("position", "pk")),
            Prefetch("steps", Step.objects.order_by("position", "pk")),
        )
    )


class _Writer:
    def __init__(self, errors: list[RowError], report: ImportReport) -> None:
        self.errors = errors
        self.report = report
        self.touched: set[int] = set()

    def upsert(
        self, model: type[Field] | type[DocumentType], rows: list[tuple[str, dict[str, Any]]]
    ) -> tuple[int, int]:
        created = updated = 0
        existing = {
            obj.code: obj for obj in model.objects.filter(code__in=[v["code"] for _p, v in rows])
        }
        for _path, values in rows:
            obj = existing.get(values["code"])
            if obj is None:
                model.objects.create(**values)
                created += 1
                continue
            changed = [key for key, value in values.items() if getattr(obj, key) != value]
            if changed:
                for key in changed:
                    setattr(obj, key, values[key])
                obj.save(update_fields=changed)
                updated += 1
                if isinstance(obj, Field):
                    self.touched.update(
                        Procedure.objects.filter(versions__field=obj).values_list("pk", flat=True)
                    )
        return created, updated

    def procedure(
        self, plan: _ProcedurePlan, fields: dict[str, Field], types: dict[str, DocumentType]
    ) -> None:
        procedure = Procedure.objects.filter(code=plan.code).first()
        existing: dict[int, ProcedureVersion] = {}
        if procedure is None:
            procedure = Procedure.objects.create(code=plan.code, local_code=plan.local_code)
            self.report.procedures_created += 1
            self.touched.add(procedure.pk)
        else:
            if procedure.local_code != plan.local_code:
                procedure.local_code = plan.local_code
                procedure.save(update_fields=["local_code"])
                self.touched.add(procedure.pk)
            existing = {v.number: v for v in _versions_queryset().filter(procedure=procedure)}
        written: list[_VersionPlan] = []
        for version_plan in plan.versions:
            current = existing.get(version_plan.number)
            if current is not None:
                if _version_json(_version_values(current), _version_children(current)) == (
                    version_plan.as_json()
                ):
                    self.report.skipped += 1
                    continue
                if current.status != VersionStatus.DRAFT:
                    self.errors.append(
                        RowError(
                            version_plan.path,
                            f"Phiên bản {version_plan.number} của thủ tục {plan.code} đã có "
                            f"trong cơ sở dữ liệu ở trạng thái '{current.get_status_display()}' "
                            "và khác với dữ liệu nhập; không thể ghi đè phiên bản đã công bố "
                            "hoặc đã bãi bỏ (hãy nhập thành phiên bản mới).",
                        )
                    )
                    continue
            if self.version(procedure, version_plan, current, fields, types):
                written.append(version_plan)
                if current is None:
                    self.report.created += 1
                else:
                    self.report.replaced += 1
        if written:
            self.touched.add(procedure.pk)
            self.end_earlier(procedure, plan, written)
            self.check_periods(procedure, plan)

    def end_earlier(
        self, procedure: Procedure, plan: _ProcedurePlan, written: list[_VersionPlan]
    ) -> None:
        """What `publish()` does, for the versions in the database that the file leaves out.

        A published version imported from date D ends, on D, the published version in force
        before it, as publishing it by hand would. Versions the file holds are kept exactly
        as written; if they overlap, `check_periods` reports it.
        """
        in_file = [v.number for v in plan.versions]
        starts = sorted(
            v.values["effective_from"]
            for v in written
            if v.values["status"] == VersionStatus.PUBLISHED and v.values["effective_from"]
        )
        for start in starts:
            self.report.ended += (
                ProcedureVersion.objects.filter(
                    procedure=procedure,
                    status=VersionStatus.PUBLISHED,
                    effective_from__lt=start,
                )
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=start))
                .exclude(number__in=in_file)
                .update(effective_to=start)
            )

    def version(
        self,
        procedure: Procedure,
        plan: _VersionPlan,
        current: ProcedureVersion | None,
        fields: dict[str, Field],
        types: dict[str, DocumentType],
    ) -> bool:
        values = dict(plan.values)
        result_type = values["result_document_type"]
        if (
            values["field"] not in fields
            or (result_type and result_type not in types)
            or any(
                row["document_type"] and row["document_type"] not in types
                for row in plan.children["components"]
            )
        ):
            return False  # it names a row that has errors of its own, reported there
        values["field"] = fields[values["field"]]
        values["result_document_type"] = types[result_type] if result_type else None
        try:
            with transaction.atomic():
                if current is None:
                    version = ProcedureVersion.objects.create(procedure=procedure, **values)
                else:
                    version = current
                    for key, value in values.items():
                        setattr(version, key, value)
                    version.save(update_fields=list(values))
                    for child in CHILD_LISTS:
                        getattr(version, child).all().delete()
                for child, model in _CHILD_MODELS.items():
                    rows = []
                    for position, row in enumerate(plan.children[child], start=1):
                        row_values = dict(row)
                        if child == "components":
                            code = row_values.pop("document_type")
                            row_values["document_type"] = types[code] if code else None
                        rows.append(model(version=version, position=position, **row_values))
                    cast("models.Manager[Any]", model._default_manager).bulk_create(rows)
        except DatabaseError as exc:
            self.errors.append(RowError(plan.path, f"Cơ sở dữ liệu từ chối phiên bản này: {exc}"))
            return False
        if version.status == VersionStatus.PUBLISHED:
            for problem in publication_problems(version):
                self.errors.append(
                    RowError(plan.path, f"Phiên bản đã công bố không đạt điều kiện: {problem}")
                )
        return True

    def check_periods(self, procedure: Procedure, plan: _ProcedurePlan) -> None:
        """No two published versions of a procedure may be in force on the same day."""
        published = list(
            ProcedureVersion.objects.filter(
                procedure=procedure,
                status=VersionStatus.PUBLISHED,
                effective_from__isnull=False,
            ).order_by("effective_from", "number")
        )
        paths = {v.number: v.path for v in plan.versions}
        for earlier, later in itertools.pairwise(published):
            if earlier.effective_to is None or (
                later.effective_from is not None and earlier.effective_to > later.effective_from
            ):
                assert later.effective_from is not None  # noqa: S101 -- filtered above
                self.errors.append(
                    RowError(
                        paths.get(later.number) or paths.get(earlier.number) or plan.path,
                        f"Phiên bản {earlier.number} và phiên bản {later.number} của thủ tục "
                        f"{procedure.code} cùng có hiệu lực vào ngày "
                        f"{later.effective_from.isoformat()}; hãy đặt ngày hết hiệu lực cho "
                        f"phiên bản {earlier.number}.",
                    )
                )


def _path_key(path: str) -> tuple[int, ...]:
    section = {"fields": 1, "document_types": 2, "procedures": 3}.get(path.split("[", 1)[0], 0)
    return (section, *(int(n) for n in _PATH_PART.findall(path)))


Locator = Callable[[list[RowError]], list[RowError]]


def import_catalog(data: dict[str, Any], *, progress: bool = False) -> ImportReport:
    """Load a catalogue document, all or nothing; raises `CatalogImportError` listing every
    problem (nothing is then written)."""
    return import_document(data, progress=progress)


def import_document(
    data: Any,
    *,
    progress: bool = False,
    locate: Locator | None = None,
    errors: list[RowError] | None = None,
) -> ImportReport:
    """`import_catalog`, for a document read from another file: `locate` turns JSON paths
    into that file's locations and `errors` are those found while reading it."""
    with translation.override("vi"):
        reader = _Reader()
        plan = reader.read(data)
        errors = [*(errors or []), *reader.errors]
        if errors and not plan.procedures and not plan.fields and not plan.document_types:
            raise CatalogImportError(_located(errors, locate))
        report = ImportReport()
        with transaction.atomic():
            writer = _Writer(errors, report)
            report.fields_created, report.fields_updated = writer.upsert(Field, plan.fields)
            report.document_types_created, report.document_types_updated = writer.upsert(
                DocumentType, plan.document_types
            )
            fields = {f.code: f for f in Field.objects.all()}
            types = {t.code: t for t in DocumentType.objects.all()}
            for procedure in tqdm(
                plan.procedures, desc="Thủ tục", unit=" tt", disable=not progress
            ):
                writer.procedure(procedure, fields, types)
            if errors:
                # Raising inside the atomic block rolls back everything written above.
                raise CatalogImportError(_located(errors, locate))
            for procedure_obj in Procedure.objects.filter(pk__in=writer.touched):
                procedure_obj.refresh_search_text()
        return report


def _located(errors: list[RowError], locate: Locator | None) -> list[RowError]:
    ordered = sorted(errors, key=lambda e: _path_key(e.path))
    return locate(ordered) if locate else ordered


# --- Export --------------------------------------------------------------------------------


def export_catalog(*, progress: bool = False) -> dict[str, Any]:
    """The whole catalogue as the JSON document of docs/catalog-format.md.

    Fields, document types and procedures are ordered by code, versions by number and the
    rows of a version by position, so the same data always exports the same document.
    """
    procedures = Procedure.objects.order_by("code").prefetch_related(
        Prefetch("versions", _versions_queryset())
    )
    out_procedures = []
    for procedure in tqdm(procedures, desc="Thủ tục", unit=" tt", disable=not progress):
        out_procedures.append(
            {
                "code": procedure.code,
                "local_code": procedure.local_code,
                "versions": [
                    _version_json(_version_values(v), _version_children(v))
                    for v in procedure.versions.all()
                ],
            }
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "fields": [{"code": f.code, "name": f.name} for f in Field.objects.order_by("code")],
        "document_types": [
            {"code": t.code, "name": t.name, "valid_days": t.valid_days}
            for t in DocumentType.objects.order_by("code")
        ],
        "procedures": out_procedures,
    }


def dumps(data: dict[str, Any]) -> str:
    """The document as JSON text (UTF-8 Vietnamese kept readable, two-space indent)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def loads(text: str | bytes) -> Any:
    """Parse JSON text; a syntax error becomes a `CatalogImportError` naming line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogImportError(
            [
                RowError(
                    "",
                    f"Tệp không phải JSON hợp lệ: {exc.msg} (dòng {exc.lineno}, cột {exc.colno}).",
                )
            ]
        ) from exc
    except UnicodeDecodeError as exc:
        raise CatalogImportError([RowError("", "Tệp không phải văn bản UTF-8.")]) from exc


# --- Helpers for views and commands --------------------------------------------------------

FileFormat = Literal["json", "xlsx"]


def format_of(filename: str) -> FileFormat | None:
    """The interchange format a file name implies by its extension, if any."""
    name = filename.lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith(".xlsx"):
        return "xlsx"
    return None


def import_file(file: IO[bytes], filename: str, *, progress: bool = False) -> ImportReport:
    """Import an uploaded or opened file, JSON or Excel by its name's extension."""
    fmt = format_of(filename)
    if fmt == "json":
        return import_catalog(loads(file.read()), progress=progress)
    if fmt == "xlsx":
        from motcua.catalog.workbook import (
            import_workbook,
        )  # imported here: workbook imports this module

        return import_workbook(file, progress=progress)
    raise CatalogImportError(
        [
            RowError(
                "",
                f"Không nhận ra định dạng của tệp '{filename}' (cần đuôi .json hoặc .xlsx).",
            )
        ]
    )


def export_file(fmt: FileFormat, *, progress: bool = False) -> tuple[bytes, str, str]:
    """The catalogue as (content, content type, file name to suggest) for a download."""
    today = timezone.localdate().isoformat()
    if fmt == "xlsx":
        from motcua.catalog.workbook import (
            export_workbook,
        )  # imported here: workbook imports this module

        return (
            export_workbook(progress=progress),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"danh-muc-thu-tuc-{today}.xlsx",
        )
    return (
        dumps(export_catalog(progress=progress)).encode(),
        "application/json; charset=utf-8",
        f"danh-muc-thu-tuc-{today}.json",
    )


__all__ = [
    "CatalogImportError",
    "ImportReport",
    "RowError",
    "export_catalog",
    "import_catalog",
]
