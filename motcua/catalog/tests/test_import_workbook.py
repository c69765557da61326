"""Importing the catalogue from its Excel workbook: same checks, errors name sheet and row."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from motcua.catalog.demo import demo_catalog_data
from motcua.catalog.interchange import RowError, export_catalog, import_catalog
from motcua.catalog.models import DocumentType, Field, Procedure, ProcedureVersion, Step
from motcua.catalog.tests.factories import catalog_counts, catalog_document, import_errors
from motcua.catalog.workbook import export_workbook, import_workbook

pytestmark = pytest.mark.django_db


def _empty_catalogue() -> None:
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    DocumentType.objects.all().delete()


def _exported_workbook() -> bytes:
    """The factories' catalogue as a workbook, with the database left empty."""
    import_catalog(catalog_document())
    data = export_workbook()
    _empty_catalogue()
    return data


def _edited(data: bytes, edit: Callable[[Workbook], Any]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _set(ws: Worksheet, row: int, label: str, value: Any) -> None:
    headers = [cell.value for cell in ws[1]]
    ws.cell(row=row, column=headers.index(label) + 1).value = value


def _set_in(sheet: str, row: int, label: str, value: Any) -> Callable[[Workbook], None]:
    return lambda wb: _set(wb[sheet], row, label, value)


def _one(errors: list[RowError]) -> RowError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_the_workbook_has_vietnamese_sheets_and_column_labels() -> None:
    wb = load_workbook(io.BytesIO(_exported_workbook()))
    assert wb.sheetnames == [
        "Lĩnh vực",
        "Loại giấy tờ",
        "Thủ tục",
        "Thành phần hồ sơ",
        "Phí lệ phí",
        "Trường hợp",
        "Quy trình",
        "Giá trị hợp lệ",
    ]
    versions = [cell.value for cell in wb["Thủ tục"][1]]
    assert versions[:5] == [
        "Mã thủ tục",
        "Mã thủ tục địa phương",
        "Số phiên bản",
        "Trạng thái",
        "Hiệu lực từ ngày",
    ]
    steps = [cell.value for cell in wb["Quy trình"][1]]
    assert steps == [
        "Mã thủ tục",
        "Số phiên bản",
        "Nội dung công việc",
        "Vai trò thực hiện",
        "Đơn vị thực hiện",
        "Thời gian (giờ làm việc)",
        "Thời gian trực tuyến (giờ làm việc)",
        "Tính vào thời hạn",
    ]
    # One row per version, child rows in order, keyed by procedure code and version number.
    codes = [(r[0], r[2]) for r in wb["Thủ tục"].iter_rows(min_row=2, values_only=True)]
    assert codes == [("1.001193", 1), ("1.001193", 2), ("2.000815", 1)]
    step_rows = list(wb["Quy trình"].iter_rows(min_row=2, values_only=True))
    assert len(step_rows) == 12
    assert step_rows[0][:6] == (
        "1.001193",
        1,
        "Tiếp nhận, kiểm tra, chuyển xử lý",
        "Cán bộ tiếp nhận và trả kết quả",
        "Trung tâm phục vụ hành chính công",
        0.5,
    )


def test_export_then_import_into_an_empty_database_round_trips_exactly() -> None:
    import_catalog(catalog_document())
    before = export_catalog()
    first = export_workbook()
    _empty_catalogue()
    report = import_workbook(io.BytesIO(first))
    assert (report.created, report.skipped, report.replaced) == (3, 0, 0)
    assert export_catalog() == before
    assert export_catalog() == catalog_document()
    second = export_workbook()
    for name in load_workbook(io.BytesIO(first)).sheetnames:
        a = list(load_workbook(io.BytesIO(first))[name].iter_rows(values_only=True))
        b = list(load_workbook(io.BytesIO(second))[name].iter_rows(values_only=True))
        assert a == b, name


def test_importing_the_same_workbook_twice_skips_everything_the_second_time() -> None:
    data = _exported_workbook()
    import_workbook(data)
    counts = catalog_counts()
    report = import_workbook(data)
    assert (report.created, report.skipped, report.replaced) == (0, 3, 0)
    assert catalog_counts() == counts


def test_choice_cells_may_hold_the_key_instead_of_the_label() -> None:
    def edit(wb: Workbook) -> None:
        _set(wb["Thủ tục"], 4, "Đơn vị thời hạn", "working_days")
        _set(wb["Quy trình"], 10, "Vai trò thực hiện", "RECEPTION")
        _set(wb["Thủ tục"], 4, "Dịch vụ công trực tuyến", "một phần")

    import_workbook(_edited(_exported_workbook(), edit))
    version = ProcedureVersion.objects.get(procedure__code="2.000815")
    assert version.time_limit_unit == "working_days"
    assert version.online_mode == "partial"
    assert version.steps.get(position=1).role == "reception"


def test_a_workbook_with_one_broken_row_imports_nothing_and_names_the_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Quy trình", 7, "Thời gian (giờ làm việc)", "abc"))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Quy trình', dòng 7, cột 'Thời gian (giờ làm việc)': Giá trị 'abc' không phải là số."
    )
    assert (error.sheet, error.row) == ("Quy trình", 7)
    assert error.path == "procedures[0].versions[1].steps[1]"
    assert catalog_counts() == dict.fromkeys(catalog_counts(), 0)


def test_a_bad_procedure_code_names_its_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Thủ tục", 4, "Mã thủ tục", "2.0008"))
    errors = import_errors(lambda: import_workbook(data))
    assert [str(e) for e in errors] == [
        "Trang 'Thủ tục', dòng 4, cột 'Mã thủ tục': Mã thủ tục '2.0008' không đúng dạng d.dddddd."
    ] + [
        f"Trang '{sheet}', dòng {row}: Không có phiên bản 1 của thủ tục 2.000815 "
        "trong trang 'Thủ tục'."
        for sheet, row in [
            ("Thành phần hồ sơ", 6),
            ("Thành phần hồ sơ", 7),
            ("Phí lệ phí", 4),
            ("Phí lệ phí", 5),
            ("Trường hợp", 3),
            ("Quy trình", 10),
            ("Quy trình", 11),
            ("Quy trình", 12),
            ("Quy trình", 13),
        ]
    ]


def test_an_unknown_field_names_its_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Thủ tục", 3, "Lĩnh vực (mã)", "XYZ"))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Thủ tục', dòng 3, cột 'Lĩnh vực (mã)': "
        "Lĩnh vực 'XYZ' không có trong danh sách lĩnh vực."
    )


def test_an_unknown_document_type_names_its_row() -> None:
    data = _edited(
        _exported_workbook(), _set_in("Thành phần hồ sơ", 7, "Loại giấy tờ (mã)", "ho_chieu")
    )
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Thành phần hồ sơ', dòng 7, cột 'Loại giấy tờ (mã)': "
        "Loại giấy tờ 'ho_chieu' không có trong danh sách loại giấy tờ."
    )


def test_a_date_typed_as_text_names_its_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Thủ tục", 2, "Ngày công bố", "20/12/2023"))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Thủ tục', dòng 2, cột 'Ngày công bố': "
        "Ngày '20/12/2023' không hợp lệ (cần dạng YYYY-MM-DD, ví dụ 2025-07-01)."
    )


def test_an_unknown_choice_lists_the_allowed_values() -> None:
    data = _edited(_exported_workbook(), _set_in("Phí lệ phí", 5, "Thời điểm thu", "Hàng tháng"))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert error.location == "Trang 'Phí lệ phí', dòng 5, cột 'Thời điểm thu'"
    assert error.reason == (
        "Giá trị 'Hàng tháng' không hợp lệ; các giá trị được phép: at_intake (Khi nộp hồ sơ), "
        "at_supplement (Khi bổ sung hồ sơ), at_return (Khi nhận kết quả)."
    )


def test_an_empty_required_cell_names_its_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Trường hợp", 2, "Thời hạn", None))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == "Trang 'Trường hợp', dòng 2, cột 'Thời hạn': Không được để trống."


def test_a_missing_required_column_is_reported_on_the_header_row() -> None:
    def edit(wb: Workbook) -> None:
        wb["Quy trình"].delete_cols(4)  # Vai trò thực hiện

    errors = import_errors(lambda: import_workbook(_edited(_exported_workbook(), edit)))
    assert "Trang 'Quy trình', dòng 1: Thiếu cột 'Vai trò thực hiện'." in map(str, errors)


def test_an_unknown_column_and_an_unknown_sheet_are_reported() -> None:
    def edit(wb: Workbook) -> None:
        wb["Lĩnh vực"]["C1"] = "Mô tả"
        wb.create_sheet("Ghi chú của tôi")

    errors = import_errors(lambda: import_workbook(_edited(_exported_workbook(), edit)))
    assert [str(e) for e in errors] == [
        "Trang 'Lĩnh vực', dòng 1: Cột 'Mô tả' không có trong định dạng.",
        "Trang 'Ghi chú của tôi': Trang 'Ghi chú của tôi' không có trong định dạng.",
    ]


def test_a_duplicate_version_row_names_the_second_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Thủ tục", 3, "Số phiên bản", 1))
    errors = import_errors(lambda: import_workbook(data))
    assert str(errors[0]) == (
        "Trang 'Thủ tục', dòng 3, cột 'Số phiên bản': "
        "Số phiên bản 1 của thủ tục 1.001193 xuất hiện hai lần."
    )


def test_a_published_version_whose_budgets_miss_the_limit_names_its_version_row() -> None:
    data = _edited(_exported_workbook(), _set_in("Quy trình", 11, "Thời gian (giờ làm việc)", 9))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Thủ tục', dòng 4: Phiên bản đã công bố không đạt điều kiện: Tổng thời gian "
        "các bước (15 giờ) phải bằng thời hạn giải quyết (16 giờ làm việc)."
    )


def test_a_differing_published_version_in_the_database_is_a_conflict() -> None:
    data = _exported_workbook()
    import_workbook(data)
    counts = catalog_counts()
    changed = _edited(data, _set_in("Phí lệ phí", 4, "Mức thu (đồng)", 3000))
    error = _one(import_errors(lambda: import_workbook(changed)))
    assert error.location == "Trang 'Thủ tục', dòng 4"
    assert error.reason.startswith(
        "Phiên bản 1 của thủ tục 2.000815 đã có trong cơ sở dữ liệu ở trạng thái 'Đã công bố'"
    )
    assert catalog_counts() == counts


def test_versions_of_one_procedure_must_share_its_local_code() -> None:
    data = _edited(_exported_workbook(), _set_in("Thủ tục", 3, "Mã thủ tục địa phương", "X"))
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Thủ tục', dòng 3, cột 'Mã thủ tục địa phương': Mã thủ tục địa phương 'X' "
        "khác với dòng 2 ('1.001193.H56') của cùng thủ tục 1.001193."
    )


def test_cells_typed_by_hand_are_read_as_their_values() -> None:
    def edit(wb: Workbook) -> None:
        _set(wb["Thủ tục"], 4, "Thời hạn giải quyết", "2")
        _set(wb["Thủ tục"], 4, "Hiệu lực từ ngày", "2025-07-01")
        _set(wb["Thủ tục"], 4, "Tiếp nhận qua bưu chính công ích", "Không")
        _set(wb["Thủ tục"], 4, "Số lượng bộ hồ sơ", 1.0)
        _set(wb["Quy trình"], 12, "Thời gian (giờ làm việc)", "4")

    import_workbook(_edited(_exported_workbook(), edit))
    assert export_catalog() == catalog_document()
    assert Step.objects.get(version__procedure__code="2.000815", position=3).budget_hours == (
        Decimal(4)
    )


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    error = _one(import_errors(lambda: import_workbook(b"not a zip file")))
    assert error.reason.startswith("Tệp không phải bảng tính Excel (.xlsx) hợp lệ")


def test_texts_that_look_like_formulas_or_numbers_stay_text_and_round_trip() -> None:
    doc = catalog_document()
    version = doc["procedures"][1]["versions"][0]
    version["notes"] = "=SUM(A1:A3) không phải công thức"
    version["conditions"] = "Dòng 1\r\nDòng 2\t(tab)  "
    version["publication_decision"] = "0123"
    version["legacy_level"] = 3
    import_catalog(doc)
    data = export_workbook()
    ws = load_workbook(io.BytesIO(data))["Thủ tục"]
    headers = [cell.value for cell in ws[1]]
    assert ws.cell(row=4, column=headers.index("Mức độ (cũ, 1–4)") + 1).value == 3
    assert ws.cell(row=4, column=headers.index("Ghi chú") + 1).data_type == "s"
    _empty_catalogue()
    import_workbook(data)
    assert export_catalog() == doc


def test_empty_rows_are_skipped_and_row_numbers_stay_those_excel_shows() -> None:
    def edit(wb: Workbook) -> None:
        wb["Quy trình"].insert_rows(4, amount=2)  # rows 4 and 5 are now empty
        _set(wb["Quy trình"], 9, "Thời gian (giờ làm việc)", "abc")  # was row 7

    error = _one(import_errors(lambda: import_workbook(_edited(_exported_workbook(), edit))))
    assert error.location == "Trang 'Quy trình', dòng 9, cột 'Thời gian (giờ làm việc)'"
    assert error.path == "procedures[0].versions[1].steps[1]"


def test_the_demo_catalogue_exported_to_excel_reimports_into_an_empty_db_unchanged() -> None:
    import_catalog(demo_catalog_data())
    before = export_catalog()
    data = export_workbook()
    _empty_catalogue()
    assert catalog_counts() == dict.fromkeys(catalog_counts(), 0)
    report = import_workbook(data)
    assert report.created == sum(len(p["versions"]) for p in before["procedures"])
    assert export_catalog() == before
    assert before == demo_catalog_data()


def test_the_validity_and_result_type_have_their_own_columns() -> None:
    wb = load_workbook(io.BytesIO(_exported_workbook()))
    types = wb["Loại giấy tờ"]
    assert [cell.value for cell in types[1]] == [
        "Mã loại giấy tờ",
        "Tên loại giấy tờ",
        "Thời hạn sử dụng (ngày)",
    ]
    assert [row[2].value for row in types.iter_rows(min_row=2)] == [None, None, None, 180]
    versions = wb["Thủ tục"]
    headers = [cell.value for cell in versions[1]]
    column = headers.index("Loại giấy tờ của kết quả (mã)")
    assert headers[column - 1] == "Kết quả cấp bản điện tử"
    assert [row[column].value for row in versions.iter_rows(min_row=2)] == [
        None,
        "giay_khai_sinh",
        None,
    ]


def test_an_unknown_result_document_type_names_its_row() -> None:
    data = _edited(
        _exported_workbook(), _set_in("Thủ tục", 4, "Loại giấy tờ của kết quả (mã)", "ho_chieu")
    )
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Thủ tục', dòng 4, cột 'Loại giấy tờ của kết quả (mã)': "
        "Loại giấy tờ 'ho_chieu' không có trong danh sách loại giấy tờ."
    )


def test_a_validity_that_is_not_a_number_of_days_names_its_row() -> None:
    data = _edited(
        _exported_workbook(), _set_in("Loại giấy tờ", 3, "Thời hạn sử dụng (ngày)", "6 tháng")
    )
    error = _one(import_errors(lambda: import_workbook(data)))
    assert str(error) == (
        "Trang 'Loại giấy tờ', dòng 3, cột 'Thời hạn sử dụng (ngày)': "
        "Giá trị '6 tháng' không phải là số nguyên."
    )


def test_a_validity_typed_as_text_digits_is_read_as_a_number() -> None:
    data = _edited(
        _exported_workbook(), _set_in("Loại giấy tờ", 2, "Thời hạn sử dụng (ngày)", " 90 ")
    )
    import_workbook(data)
    assert DocumentType.objects.get(code="can_cuoc").valid_days == 90


def test_a_workbook_without_the_validity_column_keeps_the_validity_in_the_database() -> None:
    data = _exported_workbook()
    import_catalog(catalog_document())

    def edit(wb: Workbook) -> None:
        wb["Loại giấy tờ"].delete_cols(3)

    report = import_workbook(_edited(data, edit))
    assert report.document_types_updated == 0
    assert DocumentType.objects.get(code="giay_xac_nhan_tthn").valid_days == 180
