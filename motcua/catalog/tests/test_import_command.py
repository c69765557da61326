"""`manage.py import_catalog FILE`: a summary line, or every error and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from motcua.catalog.interchange import import_catalog
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.tests.factories import catalog_counts, catalog_document
from motcua.catalog.workbook import export_workbook

pytestmark = pytest.mark.django_db


def _json_file(tmp_path: Path, doc: dict[str, object]) -> Path:
    path = tmp_path / "danh-muc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_it_imports_a_json_file_and_prints_a_one_line_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_catalog", str(_json_file(tmp_path, catalog_document())), verbosity=0)
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Nhập danh mục thủ tục: 3 phiên bản mới, 0 thay thế bản dự thảo, 0 bỏ qua vì không đổi; "
        "2 thủ tục mới, 2 lĩnh vực mới (0 cập nhật), 4 loại giấy tờ mới (0 cập nhật)."
    ]
    assert ProcedureVersion.objects.count() == 3


def test_it_imports_an_excel_file_chosen_by_its_extension(tmp_path: Path) -> None:
    import_catalog(catalog_document())
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(export_workbook())
    ProcedureVersion.objects.all().delete()
    call_command("import_catalog", str(path), verbosity=0)
    assert ProcedureVersion.objects.count() == 3


def test_it_shows_a_progress_bar_at_normal_verbosity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_catalog", str(_json_file(tmp_path, catalog_document())))
    assert "Thủ tục: 100%" in capsys.readouterr().err


def test_errors_are_all_printed_and_the_exit_status_is_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_from_argv() closes the database connections when it ends, which on PostgreSQL
    # would end the test's own transaction; keep it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    doc = catalog_document()
    doc["procedures"][0]["code"] = "1.0011"
    doc["procedures"][1]["versions"][0]["steps"][1]["budget_hours"] = "abc"
    path = _json_file(tmp_path, doc)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_catalog", str(path), "-v", "0"]).execute()
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "procedures[0].code: Mã thủ tục '1.0011' không đúng dạng d.dddddd.",
        "procedures[1].versions[0].steps[1].budget_hours: Giá trị 'abc' không phải là số.",
        f"CommandError: Không nhập gì từ {path}: 2 lỗi.",
    ]
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert catalog_counts() == dict.fromkeys(catalog_counts(), 0)


def test_a_file_that_is_not_json_is_an_import_error(tmp_path: Path) -> None:
    path = tmp_path / "hong.json"
    path.write_text('{"format": "motcua-catalog",', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_catalog", str(path), verbosity=0)
    assert error.value.returncode == 2


def test_an_unknown_extension_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "danh-muc.csv"
    path.write_text("code,name\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_catalog", str(path), verbosity=0)
    assert error.value.returncode == 2
    assert capsys.readouterr().err.strip() == (
        "(toàn tệp): Không nhận ra định dạng của tệp 'danh-muc.csv' (cần đuôi .json hoặc .xlsx)."
    )


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_catalog", str(tmp_path / "khong-co.json"), verbosity=0)
