"""Importing the catalogue from its JSON document: all or nothing, every error located."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from motcua.catalog.interchange import RowError, export_catalog, import_catalog
from motcua.catalog.models import (
    Component,
    DocumentType,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
    VersionStatus,
)
from motcua.catalog.tests.factories import catalog_counts, catalog_document, import_errors

pytestmark = pytest.mark.django_db


def _one(errors: list[RowError]) -> RowError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_a_valid_catalogue_imports_every_procedure_version_and_row() -> None:
    report = import_catalog(catalog_document())
    assert (report.created, report.skipped, report.replaced) == (3, 0, 0)
    assert report.procedures_created == 2
    assert (report.fields_created, report.document_types_created) == (2, 4)
    assert catalog_counts() == {
        "Field": 2,
        "DocumentType": 4,
        "Procedure": 2,
        "ProcedureVersion": 3,
        "Component": 6,
        "Fee": 4,
        "Variant": 2,
        "Step": 12,
    }
    v2 = ProcedureVersion.objects.get(procedure__code="1.001193", number=2)
    assert v2.status == VersionStatus.PUBLISHED
    assert v2.effective_from == dt.date(2025, 7, 1)
    assert v2.effective_to is None
    assert v2.field.code == "HO_TICH"
    steps = list(v2.steps.order_by("position"))
    assert [s.position for s in steps] == [1, 2, 3, 4]
    assert steps[0].budget_hours == Decimal("0.5")
    assert not steps[3].counted
    assert v2.result_document_type == DocumentType.objects.get(code="giay_khai_sinh")
    assert DocumentType.objects.get(code="giay_xac_nhan_tthn").valid_days == 180
    assert DocumentType.objects.get(code="can_cuoc").valid_days is None
    birth_paper = Component.objects.get(version=v2, position=2)
    assert birth_paper.document_type == DocumentType.objects.get(code="giay_chung_sinh")
    first_form = Component.objects.get(version=v2, position=1)
    assert first_form.sample_form.name == "catalog/forms/1.001193-to-khai.docx"
    assert report.summary().startswith("Nhập danh mục thủ tục: 3 phiên bản mới")


def test_the_rows_as_given_are_kept_publish_does_not_move_effective_dates() -> None:
    import_catalog(catalog_document())
    v1 = ProcedureVersion.objects.get(procedure__code="1.001193", number=1)
    assert v1.status == VersionStatus.PUBLISHED
    assert v1.effective_to == dt.date(2025, 7, 1)


@time_machine.travel(dt.datetime(2025, 8, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_search_text_of_each_imported_procedure_is_refreshed() -> None:
    import_catalog(catalog_document())
    birth = Procedure.objects.get(code="1.001193")
    assert "dang ky khai sinh" in birth.search_text
    assert "ho tich" in birth.search_text


def test_importing_twice_skips_every_version_the_second_time() -> None:
    import_catalog(catalog_document())
    before = export_catalog()
    counts = catalog_counts()
    report = import_catalog(catalog_document())
    assert (report.created, report.skipped, report.replaced) == (0, 3, 0)
    assert report.procedures_created == report.fields_created == 0
    assert report.fields_updated == report.document_types_updated == 0
    assert catalog_counts() == counts
    assert export_catalog() == before


def test_a_procedure_code_in_the_wrong_format_is_reported_and_nothing_is_written() -> None:
    doc = catalog_document()
    doc["procedures"][1]["code"] = "1.0011"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Mã thủ tục '1.0011' không đúng dạng d.dddddd."
    assert error.location == "procedures[1].code"
    assert catalog_counts()["Procedure"] == 0


def test_a_version_naming_an_unknown_field_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["field"] = "XYZ"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Lĩnh vực 'XYZ' không có trong danh sách lĩnh vực."
    assert error.path == "procedures[0].versions[1]"
    assert error.key == "field"
    assert Field.objects.count() == 0


def test_a_component_naming_an_unknown_document_type_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["components"][1]["document_type"] = "ho_chieu"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Loại giấy tờ 'ho_chieu' không có trong danh sách loại giấy tờ."
    assert error.location == "procedures[1].versions[0].components[1].document_type"


def test_a_value_that_is_not_a_number_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][0]["steps"][2]["budget_hours"] = "abc"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Giá trị 'abc' không phải là số."
    assert error.location == "procedures[0].versions[0].steps[2].budget_hours"


def test_a_decimal_with_too_many_places_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["time_limit_value"] = "1.125"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Giá trị '1.125' có quá 2 chữ số thập phân."
    assert error.location == "procedures[1].versions[0].time_limit_value"


def test_a_decimal_written_with_a_comma_is_not_a_number() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["fees"][0]["amount"] = "2.000,5"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Giá trị '2.000,5' không phải là số."


def test_a_date_that_is_not_iso_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["publication_date"] = "25/06/2025"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == (
        "Ngày '25/06/2025' không hợp lệ (cần dạng YYYY-MM-DD, ví dụ 2025-07-01)."
    )
    assert error.location == "procedures[1].versions[0].publication_date"


def test_an_impossible_date_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["publication_date"] = "2025-02-30"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason.startswith("Ngày '2025-02-30' không hợp lệ")


def test_an_unknown_choice_value_is_reported_with_the_allowed_ones() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["online_mode"] = "level4"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == (
        "Giá trị 'level4' không hợp lệ; các giá trị được phép: full (Toàn trình), "
        "partial (Một phần), none (Không trực tuyến)."
    )
    assert error.location == "procedures[0].versions[1].online_mode"


def test_a_missing_required_key_is_reported() -> None:
    doc = catalog_document()
    del doc["procedures"][1]["versions"][0]["steps"][1]["role"]
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Thiếu khóa bắt buộc 'role'."
    assert error.location == "procedures[1].versions[0].steps[1].role"


def test_an_unknown_key_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["effective_form"] = "2025-07-01"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Khóa 'effective_form' không có trong định dạng."
    assert error.location == "procedures[1].versions[0].effective_form"


def test_optional_keys_may_be_left_out_and_take_the_model_defaults() -> None:
    doc = catalog_document()
    version = doc["procedures"][1]["versions"][0]
    for key in ("notes", "conditions", "legacy_level", "postal_allowed", "status"):
        del version[key]
    version["status"] = "draft"
    import_catalog(doc)
    stored = ProcedureVersion.objects.get(procedure__code="2.000815")
    assert stored.notes == ""
    assert stored.legacy_level is None
    assert stored.postal_allowed is True


def test_a_duplicate_version_number_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["number"] = 1
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Số phiên bản 1 của thủ tục 1.001193 xuất hiện hai lần."
    assert error.location == "procedures[0].versions[1].number"


def test_a_duplicate_procedure_code_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["code"] = "1.001193"
    errors = import_errors(lambda: import_catalog(doc))
    assert "procedures[1].code: Mã thủ tục '1.001193' xuất hiện hai lần." in map(str, errors)


def test_a_published_version_whose_step_budgets_miss_the_limit_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["steps"][1]["budget_hours"] = "9"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == (
        "Phiên bản đã công bố không đạt điều kiện: Tổng thời gian các bước (15 giờ) phải bằng "
        "thời hạn giải quyết (16 giờ làm việc)."
    )
    assert error.location == "procedures[1].versions[0]"


def test_every_publication_problem_of_a_published_version_is_reported() -> None:
    doc = catalog_document()
    version = doc["procedures"][1]["versions"][0]
    version["legal_basis"] = ""
    version["components"] = []
    reasons = [e.reason for e in import_errors(lambda: import_catalog(doc))]
    assert reasons == [
        "Phiên bản đã công bố không đạt điều kiện: Thiếu căn cứ pháp lý.",
        "Phiên bản đã công bố không đạt điều kiện: Chưa có thành phần hồ sơ.",
    ]


def test_a_draft_need_not_pass_the_publication_checks() -> None:
    doc = catalog_document()
    version = doc["procedures"][1]["versions"][0]
    version["status"] = "draft"
    version["steps"][1]["budget_hours"] = "9"
    report = import_catalog(doc)
    assert report.created == 3


def test_a_version_that_ends_before_it_starts_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][0]["effective_to"] = "2023-12-31"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == (
        "Ngày hết hiệu lực (2023-12-31) phải sau ngày có hiệu lực (2024-01-01)."
    )
    assert error.location == "procedures[0].versions[0].effective_to"


def test_published_versions_in_force_on_the_same_day_are_reported() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][0]["effective_to"] = None
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == (
        "Phiên bản 1 và phiên bản 2 của thủ tục 1.001193 cùng có hiệu lực vào ngày 2025-07-01; "
        "hãy đặt ngày hết hiệu lực cho phiên bản 1."
    )
    assert error.location == "procedures[0].versions[1]"


def test_every_error_is_reported_at_once_in_document_order() -> None:
    doc = catalog_document()
    doc["fields"][0]["name"] = ""
    doc["procedures"][1]["versions"][0]["steps"][0]["budget_hours"] = "abc"
    doc["procedures"][0]["versions"][1]["time_limit_unit"] = "weeks"
    doc["procedures"][0]["versions"][0]["legacy_level"] = "4"
    errors = import_errors(lambda: import_catalog(doc))
    assert [e.location for e in errors] == [
        "fields[0].name",
        "procedures[0].versions[0].legacy_level",
        "procedures[0].versions[1].time_limit_unit",
        "procedures[1].versions[0].steps[0].budget_hours",
    ]
    assert errors[0].reason == "Không được để trống."


def test_a_document_of_another_format_is_refused() -> None:
    error = _one(import_errors(lambda: import_catalog({"procedures": []})))
    assert error.reason == 'Không phải tệp danh mục thủ tục (cần "format": "motcua-catalog").'
    doc = catalog_document()
    doc["format_version"] = 2
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Phiên bản định dạng '2' không được hỗ trợ (chỉ hỗ trợ 1)."


def test_an_existing_published_version_that_differs_is_a_conflict() -> None:
    import_catalog(catalog_document())
    counts = catalog_counts()
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["name"] = "Đăng ký khai sinh (sửa)"
    doc["fields"][1]["name"] = "Hộ tịch (đổi tên)"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == (
        "Phiên bản 2 của thủ tục 1.001193 đã có trong cơ sở dữ liệu ở trạng thái 'Đã công bố' "
        "và khác với dữ liệu nhập; không thể ghi đè phiên bản đã công bố hoặc đã bãi bỏ "
        "(hãy nhập thành phiên bản mới)."
    )
    assert error.location == "procedures[0].versions[1]"
    assert catalog_counts() == counts
    assert Field.objects.get(code="HO_TICH").name == "Hộ tịch"
    assert ProcedureVersion.objects.get(procedure__code="1.001193", number=2).name == (
        "Đăng ký khai sinh"
    )


def test_an_existing_draft_is_replaced_by_the_imported_version() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["status"] = "draft"
    import_catalog(doc)
    draft = ProcedureVersion.objects.get(procedure__code="2.000815", number=1)
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["steps"].pop(2)
    doc["procedures"][1]["versions"][0]["steps"][1]["budget_hours"] = "14"
    doc["procedures"][1]["versions"][0]["steps"][1]["online_budget_hours"] = "10.5"
    report = import_catalog(doc)
    assert (report.created, report.skipped, report.replaced) == (0, 2, 1)
    replaced = ProcedureVersion.objects.get(procedure__code="2.000815", number=1)
    assert replaced.pk == draft.pk
    assert replaced.status == VersionStatus.PUBLISHED
    assert list(replaced.steps.values_list("position", "budget_hours")) == [
        (1, Decimal("2")),
        (2, Decimal("14")),
        (3, Decimal("0.25")),
    ]
    assert Step.objects.filter(version=replaced).count() == 3


def test_fields_and_document_types_are_upserted_by_code() -> None:
    import_catalog(catalog_document())
    doc = catalog_document()
    doc["fields"][1]["name"] = "Hộ tịch, quốc tịch"
    doc["document_types"].append({"code": "ho_chieu", "name": "Hộ chiếu"})
    report = import_catalog(doc)
    assert (report.fields_created, report.fields_updated) == (0, 1)
    assert (report.document_types_created, report.document_types_updated) == (1, 0)
    assert Field.objects.get(code="HO_TICH").name == "Hộ tịch, quốc tịch"
    assert report.skipped == 3


def test_a_document_may_refer_to_fields_already_in_the_database() -> None:
    import_catalog(catalog_document())
    doc = catalog_document()
    doc["fields"] = []
    doc["document_types"] = []
    doc["procedures"][1]["versions"].append(
        {**doc["procedures"][1]["versions"][0], "number": 2, "status": "draft"}
    )
    report = import_catalog(doc)
    assert (report.created, report.skipped) == (1, 3)


def test_an_empty_string_for_a_nullable_choice_or_number_is_null() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["legacy_level"] = ""
    doc["procedures"][0]["versions"][1]["online_time_limit_value"] = ""
    import_catalog(doc)
    version = ProcedureVersion.objects.get(procedure__code="1.001193", number=2)
    assert version.legacy_level is None
    assert version.online_time_limit_value is None


def test_a_text_with_control_characters_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["notes"] = "Ghi chú\x00"
    doc["procedures"][1]["versions"][0]["conditions"] = "Dòng 1\r\nDòng 2\tcột"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Có ký tự điều khiển không hợp lệ (chỉ được xuống dòng, tab)."
    assert error.location == "procedures[1].versions[0].notes"


def test_values_of_the_wrong_json_type_are_reported() -> None:
    doc = catalog_document()
    version = doc["procedures"][1]["versions"][0]
    version["postal_allowed"] = "yes"
    version["number_of_sets"] = "1"
    version["name"] = 12
    version["components"][0]["count"] = -1
    errors = import_errors(lambda: import_catalog(doc))
    assert [str(e) for e in errors] == [
        "procedures[1].versions[0].name: Giá trị '12' phải là một chuỗi văn bản.",
        "procedures[1].versions[0].postal_allowed: "
        "Giá trị 'yes' không phải là đúng/sai (true/false).",
        "procedures[1].versions[0].number_of_sets: Giá trị '1' không phải là số nguyên.",
        "procedures[1].versions[0].components[0].count: Giá trị -1 phải từ 0 đến 32767.",
    ]


def test_a_negative_or_too_large_decimal_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][1]["versions"][0]["fees"][0]["amount"] = "-5"
    doc["procedures"][1]["versions"][0]["variants"][0]["time_limit_value"] = "10000"
    reasons = [e.reason for e in import_errors(lambda: import_catalog(doc))]
    assert reasons == [
        "Giá trị '-5' không được âm.",
        "Giá trị '10000' quá lớn (phần nguyên tối đa 4 chữ số).",
    ]


@time_machine.travel(dt.datetime(2025, 8, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_changed_local_code_updates_the_procedure_and_its_search_text() -> None:
    import_catalog(catalog_document())
    doc = catalog_document()
    doc["procedures"][1]["local_code"] = "2.000815.H56"
    report = import_catalog(doc)
    assert report.skipped == 3
    procedure = Procedure.objects.get(code="2.000815")
    assert procedure.local_code == "2.000815.H56"
    assert "2.000815.h56" in procedure.search_text


def _third_version(effective_from: str) -> dict[str, Any]:
    doc = catalog_document()
    third = {**doc["procedures"][0]["versions"][1], "number": 3}
    third.update(effective_from=effective_from, publication_date="2025-12-20")
    doc["procedures"] = [{**doc["procedures"][0], "versions": [third]}]
    return doc


def test_a_new_published_version_ends_the_one_in_force_as_publishing_would() -> None:
    import_catalog(catalog_document())
    report = import_catalog(_third_version("2026-01-01"))
    assert (report.created, report.ended) == (1, 1)
    assert report.summary().endswith("; 1 phiên bản cũ hết hiệu lực khi phiên bản mới có hiệu lực.")
    ends = dict(
        ProcedureVersion.objects.filter(procedure__code="1.001193").values_list(
            "number", "effective_to"
        )
    )
    assert ends == {1: dt.date(2025, 7, 1), 2: dt.date(2026, 1, 1), 3: None}


def test_a_new_published_version_starting_before_one_in_the_database_is_reported() -> None:
    import_catalog(catalog_document())
    error = _one(import_errors(lambda: import_catalog(_third_version("2025-03-01"))))
    assert str(error) == (
        "procedures[0].versions[0]: Phiên bản 3 và phiên bản 2 của thủ tục 1.001193 cùng có "
        "hiệu lực vào ngày 2025-07-01; hãy đặt ngày hết hiệu lực cho phiên bản 3."
    )
    assert ProcedureVersion.objects.get(procedure__code="1.001193", number=2).effective_to is None


def test_a_version_naming_an_unknown_result_document_type_is_reported() -> None:
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["result_document_type"] = "giay_phep_lai_xe"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.reason == "Loại giấy tờ 'giay_phep_lai_xe' không có trong danh sách loại giấy tờ."
    assert error.location == "procedures[0].versions[1].result_document_type"


def test_a_validity_that_is_not_a_positive_whole_number_of_days_is_reported() -> None:
    doc = catalog_document()
    doc["document_types"][0]["valid_days"] = 0
    doc["document_types"][1]["valid_days"] = "6 tháng"
    doc["document_types"][2]["valid_days"] = 180.5
    errors = import_errors(lambda: import_catalog(doc))
    assert [str(e) for e in errors] == [
        "document_types[0].valid_days: Giá trị 0 phải từ 1 đến 2147483647.",
        "document_types[1].valid_days: Giá trị '6 tháng' không phải là số nguyên.",
        "document_types[2].valid_days: Giá trị '180.5' không phải là số nguyên.",
    ]


def test_a_document_without_the_validity_and_result_type_keys_still_imports() -> None:
    doc = catalog_document()
    for document_type in doc["document_types"]:
        del document_type["valid_days"]
    for procedure in doc["procedures"]:
        for version in procedure["versions"]:
            del version["result_document_type"]
    import_catalog(doc)
    assert not DocumentType.objects.filter(valid_days__isnull=False).exists()
    assert not ProcedureVersion.objects.filter(result_document_type__isnull=False).exists()


def test_a_result_document_type_may_name_a_type_already_in_the_database() -> None:
    import_catalog(catalog_document())
    doc = catalog_document()
    doc["document_types"] = []
    doc["procedures"][1]["versions"].append(
        {
            **doc["procedures"][1]["versions"][0],
            "number": 2,
            "status": "draft",
            "result_document_type": "giay_xac_nhan_tthn",
        }
    )
    report = import_catalog(doc)
    assert (report.created, report.skipped) == (1, 3)
    draft = ProcedureVersion.objects.get(procedure__code="2.000815", number=2)
    assert draft.result_document_type is not None
    assert draft.result_document_type.code == "giay_xac_nhan_tthn"


def test_a_changed_validity_updates_the_type_and_a_left_out_one_keeps_it() -> None:
    import_catalog(catalog_document())
    doc = catalog_document()
    doc["document_types"][0]["valid_days"] = 3650
    del doc["document_types"][3]["valid_days"]
    report = import_catalog(doc)
    assert (report.document_types_created, report.document_types_updated) == (0, 1)
    assert DocumentType.objects.get(code="can_cuoc").valid_days == 3650
    assert DocumentType.objects.get(code="giay_xac_nhan_tthn").valid_days == 180
    assert report.skipped == 3


def test_a_published_version_whose_result_type_differs_is_a_conflict() -> None:
    import_catalog(catalog_document())
    doc = catalog_document()
    doc["procedures"][0]["versions"][1]["result_document_type"] = "giay_chung_sinh"
    error = _one(import_errors(lambda: import_catalog(doc)))
    assert error.path == "procedures[0].versions[1]"
    assert "không thể ghi đè phiên bản đã công bố" in error.reason
    version = ProcedureVersion.objects.get(procedure__code="1.001193", number=2)
    assert version.result_document_type is not None
    assert version.result_document_type.code == "giay_khai_sinh"
