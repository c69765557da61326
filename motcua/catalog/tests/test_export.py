"""Exporting the catalogue: the JSON document in a fixed order, and the export command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from motcua.catalog.interchange import dumps, export_catalog, export_file, import_catalog, loads
from motcua.catalog.models import (
    Component,
    DocumentType,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
)
from motcua.catalog.tests.factories import catalog_document

pytestmark = pytest.mark.django_db


def _version(procedure: Procedure, field: Field, number: int) -> ProcedureVersion:
    return ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        name=f"Thủ tục {procedure.code} v{number}",
        field=field,
        authority_level="province",
        competent_unit_kind="department",
        time_limit_value=Decimal("2.50"),
        time_limit_unit="working_days",
        online_mode="none",
        result_name="Quyết định",
        effective_from=dt.date(2025, 1, number),
    )


def test_an_empty_database_exports_an_empty_catalogue() -> None:
    assert export_catalog() == {
        "format": "motcua-catalog",
        "format_version": 1,
        "fields": [],
        "document_types": [],
        "procedures": [],
    }


def test_rows_made_through_the_orm_export_in_code_number_and_position_order() -> None:
    land = Field.objects.create(code="DAT_DAI", name="Đất đai")
    Field.objects.create(code="CHUNG_THUC", name="Chứng thực")
    later = Procedure.objects.create(code="2.000001")
    earlier = Procedure.objects.create(code="1.000001", local_code="1.000001.H56")
    _version(later, land, 1)
    second = _version(earlier, land, 2)
    _version(earlier, land, 1)
    Step.objects.create(
        version=second,
        position=2,
        name="Ký",
        role="signing_leader",
        unit_kind="department",
        budget_hours=Decimal("4.00"),
    )
    Step.objects.create(
        version=second,
        position=1,
        name="Thẩm định",
        role="specialist",
        unit_kind="office",
        budget_hours=Decimal("16.00"),
        online_budget_hours=Decimal("12.50"),
    )
    Component.objects.create(version=second, position=1, name="Đơn", copy_type="original")
    doc = export_catalog()
    assert [f["code"] for f in doc["fields"]] == ["CHUNG_THUC", "DAT_DAI"]
    assert [p["code"] for p in doc["procedures"]] == ["1.000001", "2.000001"]
    versions = doc["procedures"][0]["versions"]
    assert [v["number"] for v in versions] == [1, 2]
    assert [s["name"] for s in versions[1]["steps"]] == ["Thẩm định", "Ký"]
    assert versions[1]["steps"][0]["budget_hours"] == "16"
    assert versions[1]["steps"][0]["online_budget_hours"] == "12.5"
    assert versions[1]["time_limit_value"] == "2.5"
    assert versions[1]["effective_from"] == "2025-01-02"
    assert versions[1]["publication_date"] is None
    assert versions[1]["status"] == "draft"
    assert versions[1]["components"] == [
        {
            "name": "Đơn",
            "copy_type": "original",
            "count": 1,
            "required": True,
            "sample_form": "",
            "document_type": None,
        }
    ]
    # Whatever the ORM made imports back unchanged into an empty database.
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    import_catalog(doc)
    assert export_catalog() == doc


def test_the_json_text_keeps_vietnamese_readable_and_parses_back() -> None:
    import_catalog(catalog_document())
    text = dumps(export_catalog())
    assert '"name": "Đăng ký khai sinh"' in text
    assert loads(text) == catalog_document()


def test_export_file_gives_content_type_and_a_dated_file_name() -> None:
    import_catalog(catalog_document())
    content, content_type, name = export_file("json")
    assert content_type == "application/json; charset=utf-8"
    assert name.startswith("danh-muc-thu-tuc-")
    assert name.endswith(".json")
    assert json.loads(content) == catalog_document()
    content, content_type, name = export_file("xlsx")
    assert content_type.endswith("spreadsheetml.sheet")
    assert name.endswith(".xlsx")
    assert load_workbook(io.BytesIO(content))["Thủ tục"]["A2"].value == "1.001193"


def test_the_export_command_prints_json_to_standard_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import_catalog(catalog_document())
    call_command("export_catalog", verbosity=0)
    captured = capsys.readouterr()
    assert json.loads(captured.out) == catalog_document()
    assert captured.err.strip() == "Đã xuất 2 thủ tục, 3 phiên bản (json)."


def test_the_export_command_writes_a_workbook_chosen_by_the_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_catalog(catalog_document())
    path = tmp_path / "danh-muc.xlsx"
    call_command("export_catalog", "-o", str(path), verbosity=0)
    assert capsys.readouterr().out.strip() == f"Đã xuất 2 thủ tục, 3 phiên bản (xlsx) ra {path}."
    assert load_workbook(path).sheetnames[2] == "Thủ tục"


def test_the_export_command_writes_json_to_a_file_with_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_catalog(catalog_document())
    path = tmp_path / "out.data"
    call_command("export_catalog", "--format", "json", "-o", str(path))
    assert json.loads(path.read_text(encoding="utf-8")) == catalog_document()
    assert "Thủ tục: 100%" in capsys.readouterr().err


def test_the_export_command_needs_a_file_for_a_workbook() -> None:
    with pytest.raises(CommandError, match="-o"):
        call_command("export_catalog", "--format", "xlsx", verbosity=0)


def test_document_types_are_exported_with_the_components_that_use_them() -> None:
    import_catalog(catalog_document())
    DocumentType.objects.create(code="a_unused", name="Chưa dùng")
    doc = export_catalog()
    assert [t["code"] for t in doc["document_types"]] == [
        "a_unused",
        "can_cuoc",
        "giay_chung_sinh",
        "giay_khai_sinh",
        "giay_xac_nhan_tthn",
    ]
    assert doc["document_types"][0] == {"code": "a_unused", "name": "Chưa dùng", "valid_days": None}
    assert doc["document_types"][4]["valid_days"] == 180
