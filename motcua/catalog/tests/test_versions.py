import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from motcua.catalog import versions
from motcua.catalog.models import DocumentType, ProcedureVersion, Step, VersionStatus
from motcua.testing.builders import make_procedure

pytestmark = pytest.mark.django_db


def test_a_complete_version_is_published_and_becomes_current() -> None:
    version = make_procedure("1.001193", "Đăng ký khai sinh")
    assert version.status == VersionStatus.PUBLISHED
    assert version.procedure.current_version() == version


def test_publishing_refuses_steps_that_do_not_add_up_to_the_limit() -> None:
    version = make_procedure("1.000001", "Thủ tục A", limit="3", steps=("8", "8"), publish=False)
    with pytest.raises(versions.PublicationError) as excinfo:
        versions.publish(version.pk)
    assert excinfo.value.problems == [
        "Tổng thời gian các bước (16 giờ) phải bằng thời hạn giải quyết (24 giờ làm việc)."
    ]
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_the_return_step_is_not_counted() -> None:
    version = make_procedure("1.000002", "Thủ tục B", limit="1", steps=("2", "6"), publish=False)
    Step.objects.filter(version=version, counted=False).update(budget_hours=Decimal(40))
    versions.publish(version.pk)


def test_a_same_day_procedure_budgets_one_working_day() -> None:
    version = make_procedure(
        "1.000003", "Chứng thực", unit="same_day", limit="0", steps=("2", "3", "2", "1")
    )
    assert version.time_limit_hours == Decimal(8)


def test_calendar_day_steps_may_not_exceed_the_limit() -> None:
    ok = make_procedure(
        "1.000004", "Giấy phép xây dựng", unit="calendar_days", limit="15", steps=("8", "80")
    )
    assert ok.status == VersionStatus.PUBLISHED
    too_long = make_procedure(
        "1.000005", "Khác", unit="calendar_days", limit="2", steps=("8", "16"), publish=False
    )
    with pytest.raises(versions.PublicationError, match="không vượt quá"):
        versions.publish(too_long.pk)


def test_every_missing_required_field_is_listed() -> None:
    version = make_procedure(
        "1.000006",
        "Thủ tục C",
        publish=False,
        legal_basis="",
        result_name="",
        publication_date=None,
    )
    problems = versions.publication_problems(version)
    assert "Thiếu căn cứ pháp lý." in problems
    assert "Thiếu kết quả thực hiện." in problems
    assert "Thiếu ngày công bố." in problems


def test_online_budgets_must_add_up_to_the_online_limit() -> None:
    version = make_procedure(
        "1.000007", "Thủ tục D", limit="3", publish=False, online_time_limit_value=Decimal(2)
    )
    Step.objects.filter(version=version, counted=True).update(online_budget_hours=Decimal(4))
    with pytest.raises(versions.PublicationError, match="thời hạn trực tuyến \\(16 giờ"):
        versions.publish(version.pk)
    Step.objects.filter(version=version, counted=True).update(online_budget_hours=Decimal(8))
    versions.publish(version.pk)


def test_a_new_version_ends_the_old_one_and_each_date_pins_its_own_version() -> None:
    v1 = make_procedure("1.001193", "Đăng ký khai sinh", effective_from=dt.date(2025, 7, 1))
    v2 = make_procedure(
        "1.001193", "Đăng ký khai sinh (sửa đổi)", effective_from=dt.date(2026, 1, 1)
    )
    v1.refresh_from_db()
    assert v1.effective_to == dt.date(2026, 1, 1)
    procedure = v1.procedure
    assert procedure.version_on(dt.date(2025, 12, 31)) == v1
    assert procedure.version_on(dt.date(2026, 1, 1)) == v2
    with time_machine.travel(dt.datetime(2025, 9, 1, 9, tzinfo=dt.UTC)):
        assert procedure.current_version() == v1


def test_publishing_never_changes_an_earlier_versions_content() -> None:
    v1 = make_procedure("1.001193", "Đăng ký khai sinh", effective_from=dt.date(2025, 7, 1))
    before = list(
        ProcedureVersion.objects.filter(pk=v1.pk).values_list(
            "name", "time_limit_value", "applicants"
        )
    )
    make_procedure("1.001193", "Tên mới", limit="5", effective_from=dt.date(2026, 1, 1))
    after = list(
        ProcedureVersion.objects.filter(pk=v1.pk).values_list(
            "name", "time_limit_value", "applicants"
        )
    )
    assert before == after
    assert [c.name for c in v1.components.all()] == ["Tờ khai"]


def test_a_version_cannot_start_before_one_already_published_after_it() -> None:
    make_procedure("1.001193", "Đăng ký khai sinh", effective_from=dt.date(2026, 1, 1))
    older = make_procedure("1.001193", "Cũ hơn", effective_from=dt.date(2025, 7, 1), publish=False)
    with pytest.raises(versions.PublicationError, match="trở về sau"):
        versions.publish(older.pk)


def test_a_withdrawn_version_is_no_longer_current() -> None:
    version = make_procedure("1.001193", "Đăng ký khai sinh")
    versions.withdraw(version.pk, on=dt.date(2025, 8, 1))
    version.refresh_from_db()
    assert version.status == VersionStatus.WITHDRAWN
    assert version.procedure.current_version() is None
    assert version.procedure.search_text == " 1.001193 "


def test_the_diff_names_each_changed_field_and_line() -> None:
    v1 = make_procedure("1.001193", "Đăng ký khai sinh", effective_from=dt.date(2025, 7, 1))
    v2 = make_procedure(
        "1.001193", "Đăng ký khai sinh", limit="5", effective_from=dt.date(2026, 1, 1)
    )
    changes = {c.label: c for c in versions.diff_versions(v1, v2)}
    assert changes["thời hạn giải quyết"].old == "3"
    assert changes["thời hạn giải quyết"].new == "5"
    assert "Quy trình nội bộ" in changes
    assert "10 giờ" in changes["Quy trình nội bộ"].new
    text = versions.unified_diff(v1, v2)
    assert "-thời hạn giải quyết: 3" in text
    assert "+thời hạn giải quyết: 5" in text


def test_the_diff_shows_a_changed_online_fee() -> None:
    v1 = make_procedure("1.004873", "Cấp giấy xác nhận tình trạng hôn nhân")
    v2 = versions.copy_to_draft(v1.pk)
    v2.fees.update(online_amount=Decimal(7500))
    changes = {c.label: c for c in versions.diff_versions(v1, v2)}
    assert "trực tuyến 7.500 đồng" in changes["Phí, lệ phí"].new


def test_the_diff_shows_a_changed_result_document_type_and_a_copy_keeps_it() -> None:
    birth = DocumentType.objects.create(code="giay_khai_sinh", name="Giấy khai sinh")
    extract = DocumentType.objects.create(code="trich_luc_khai_sinh", name="Trích lục khai sinh")
    v1 = make_procedure("1.001193", "Đăng ký khai sinh", result_document_type=birth)
    v2 = versions.copy_to_draft(v1.pk)
    assert v2.result_document_type == birth
    assert versions.diff_versions(v1, v2) == []
    v2.result_document_type = extract
    v2.save(update_fields=["result_document_type"])
    changes = {c.label: c for c in versions.diff_versions(v1, v2)}
    change = changes["loại giấy tờ của kết quả"]
    assert (change.old, change.new) == ("Giấy khai sinh", "Trích lục khai sinh")
    assert "+loại giấy tờ của kết quả: Trích lục khai sinh" in versions.unified_diff(v1, v2)
    v2.result_document_type = None
    v2.save(update_fields=["result_document_type"])
    change = {c.label: c for c in versions.diff_versions(v1, v2)}["loại giấy tờ của kết quả"]
    assert (change.old, change.new) == ("Giấy khai sinh", "")
