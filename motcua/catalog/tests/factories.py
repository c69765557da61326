"""A small valid catalogue document (docs/catalog-format.md) for the interchange tests.

Two fields, four document types (one valid 180 days) and two procedures: birth registration
with two published versions (the first ended when the second came into force; only the
second names the type of paper its result is), and certification of copies,
whose steps use half hours and whose fee is a formula. Every published version passes
`publication_problems()`. Each call returns a fresh document that a test may change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from motcua.catalog.interchange import CatalogImportError, RowError
from motcua.catalog.models import (
    Component,
    DocumentType,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    Step,
    Variant,
)


def _birth_version(number: int, **changes: Any) -> dict[str, Any]:
    version: dict[str, Any] = {
        "number": number,
        "status": "published",
        "effective_from": "2024-01-01",
        "effective_to": "2025-07-01",
        "name": "Đăng ký khai sinh",
        "field": "HO_TICH",
        "authority_level": "commune",
        "competent_unit_kind": "commune",
        "competent_authority": "Ủy ban nhân dân cấp xã",
        "implementing_agency": "Ủy ban nhân dân cấp xã",
        "applicants": "Công dân Việt Nam",
        "conditions": "",
        "sequence": "Nộp hồ sơ, tiếp nhận, giải quyết, trả kết quả.",
        "manner": "Trực tiếp, trực tuyến hoặc qua bưu chính.",
        "legal_basis": "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP.",
        "publication_decision": "Quyết định 1234/QĐ-UBND",
        "publication_date": "2023-12-20",
        "time_limit_value": "1",
        "time_limit_unit": "same_day",
        "online_time_limit_value": None,
        "online_mode": "full",
        "legacy_level": 4,
        "postal_allowed": True,
        "non_boundary": False,
        "result_name": "Giấy khai sinh (bản chính)",
        "result_electronic": True,
        "result_document_type": None,
        "number_of_sets": 1,
        "notes": "",
        "components": [
            {
                "name": "Tờ khai đăng ký khai sinh",
                "copy_type": "original",
                "count": 1,
                "required": True,
                "sample_form": "catalog/forms/1.001193-to-khai.docx",
                "document_type": None,
            },
            {
                "name": "Giấy chứng sinh",
                "copy_type": "original",
                "count": 1,
                "required": True,
                "sample_form": "",
                "document_type": "giay_chung_sinh",
            },
        ],
        "fees": [
            {
                "kind": "fee",
                "name": "Lệ phí đăng ký khai sinh",
                "amount": "0",
                "online_amount": None,
                "formula": "",
                "collected": "at_intake",
                "exemptions": "Miễn lệ phí đăng ký khai sinh đúng hạn.",
                "legal_basis": "Thông tư 85/2019/TT-BTC",
            }
        ],
        "variants": [],
        "steps": [
            {
                "name": "Tiếp nhận, kiểm tra, chuyển xử lý",
                "role": "reception",
                "unit_kind": "service_centre",
                "budget_hours": "0.5",
                "online_budget_hours": None,
                "counted": True,
            },
            {
                "name": "Thẩm định, trình ký",
                "role": "specialist",
                "unit_kind": "office",
                "budget_hours": "5.5",
                "online_budget_hours": None,
                "counted": True,
            },
            {
                "name": "Ký duyệt",
                "role": "signing_leader",
                "unit_kind": "commune",
                "budget_hours": "2",
                "online_budget_hours": None,
                "counted": True,
            },
            {
                "name": "Trả kết quả",
                "role": "reception",
                "unit_kind": "service_centre",
                "budget_hours": "0",
                "online_budget_hours": None,
                "counted": False,
            },
        ],
    }
    version.update(changes)
    return version


def _copies_version() -> dict[str, Any]:
    return {
        "number": 1,
        "status": "published",
        "effective_from": "2025-07-01",
        "effective_to": None,
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "field": "CHUNG_THUC",
        "authority_level": "commune",
        "competent_unit_kind": "commune",
        "competent_authority": "Ủy ban nhân dân cấp xã",
        "implementing_agency": "",
        "applicants": "Cá nhân, tổ chức",
        "conditions": "Bản chính không bị tẩy xóa, sửa chữa.",
        "sequence": "Xuất trình bản chính và bản sao cần chứng thực.",
        "manner": "Trực tiếp",
        "legal_basis": "Nghị định 23/2015/NĐ-CP.",
        "publication_decision": "Quyết định 2345/QĐ-UBND",
        "publication_date": "2025-06-25",
        "time_limit_value": "2",
        "time_limit_unit": "working_days",
        "online_time_limit_value": "1.5",
        "online_mode": "partial",
        "legacy_level": None,
        "postal_allowed": False,
        "non_boundary": True,
        "result_name": "Bản sao được chứng thực",
        "result_electronic": False,
        "result_document_type": None,
        "number_of_sets": 1,
        "notes": "Trường hợp nhiều bản có thể kéo dài.",
        "components": [
            {
                "name": "Bản chính giấy tờ, văn bản",
                "copy_type": "original",
                "count": 1,
                "required": True,
                "sample_form": "",
                "document_type": None,
            },
            {
                "name": "Căn cước công dân",
                "copy_type": "photocopy",
                "count": 2,
                "required": False,
                "sample_form": "",
                "document_type": "can_cuoc",
            },
        ],
        "fees": [
            {
                "kind": "fee",
                "name": "Lệ phí chứng thực bản sao",
                "amount": "2000",
                "online_amount": "1000",
                "formula": "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang",
                "collected": "at_return",
                "exemptions": "",
                "legal_basis": "Thông tư 226/2016/TT-BTC",
            },
            {
                "kind": "charge",
                "name": "Phí sao y",
                "amount": None,
                "online_amount": None,
                "formula": "Theo số trang",
                "collected": "at_intake",
                "exemptions": "",
                "legal_basis": "",
            },
        ],
        "variants": [
            {
                "name": "Yêu cầu chứng thực với số lượng lớn",
                "time_limit_value": "2.25",
                "time_limit_unit": "working_days",
                "online_time_limit_value": None,
            }
        ],
        "steps": [
            {
                "name": "Tiếp nhận hồ sơ",
                "role": "reception",
                "unit_kind": "service_centre",
                "budget_hours": "2",
                "online_budget_hours": "1.5",
                "counted": True,
            },
            {
                "name": "Chứng thực",
                "role": "specialist",
                "unit_kind": "office",
                "budget_hours": "10",
                "online_budget_hours": "7.5",
                "counted": True,
            },
            {
                "name": "Ký chứng thực",
                "role": "signing_leader",
                "unit_kind": "commune",
                "budget_hours": "4",
                "online_budget_hours": "3",
                "counted": True,
            },
            {
                "name": "Trả kết quả",
                "role": "reception",
                "unit_kind": "service_centre",
                "budget_hours": "0.25",
                "online_budget_hours": None,
                "counted": False,
            },
        ],
    }


def catalog_document() -> dict[str, Any]:
    """A fresh valid catalogue: 2 fields, 4 document types, 2 procedures, 3 versions."""
    return {
        "format": "motcua-catalog",
        "format_version": 1,
        "fields": [
            {"code": "CHUNG_THUC", "name": "Chứng thực"},
            {"code": "HO_TICH", "name": "Hộ tịch"},
        ],
        "document_types": [
            {"code": "can_cuoc", "name": "Thẻ căn cước", "valid_days": None},
            {"code": "giay_chung_sinh", "name": "Giấy chứng sinh", "valid_days": None},
            {"code": "giay_khai_sinh", "name": "Giấy khai sinh", "valid_days": None},
            {
                "code": "giay_xac_nhan_tthn",
                "name": "Giấy xác nhận tình trạng hôn nhân",
                "valid_days": 180,
            },
        ],
        "procedures": [
            {
                "code": "1.001193",
                "local_code": "1.001193.H56",
                "versions": [
                    _birth_version(1),
                    _birth_version(
                        2,
                        effective_from="2025-07-01",
                        effective_to=None,
                        publication_date="2025-06-30",
                        publication_decision="Quyết định 1500/QĐ-UBND",
                        postal_allowed=False,
                        result_document_type="giay_khai_sinh",
                        variants=[
                            {
                                "name": "Cần xác minh",
                                "time_limit_value": "3",
                                "time_limit_unit": "working_days",
                                "online_time_limit_value": None,
                            }
                        ],
                    ),
                ],
            },
            {"code": "2.000815", "local_code": "", "versions": [_copies_version()]},
        ],
    }


def catalog_counts() -> dict[str, int]:
    """How many rows each catalogue table holds, to show that an import wrote nothing."""
    models = (Field, DocumentType, Procedure, ProcedureVersion, Component, Fee, Variant, Step)
    return {model.__name__: model.objects.count() for model in models}


def import_errors(run: Callable[[], object]) -> list[RowError]:
    """Run an import that must fail; check that it wrote nothing and return its errors."""
    before = catalog_counts()
    try:
        run()
    except CatalogImportError as exc:
        assert catalog_counts() == before, "a failed import wrote rows"
        return exc.errors
    raise AssertionError("the import did not fail")
