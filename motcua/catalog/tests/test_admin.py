import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.catalog import versions
from motcua.catalog.models import DocumentType, Procedure, ProcedureVersion, VersionStatus
from motcua.testing.builders import make_procedure, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_the_catalogue_admin_pages_open_in_vietnamese(admin_client: Client) -> None:
    version = make_procedure("1.001193", "Đăng ký khai sinh")
    for url in (
        reverse("admin:catalog_procedure_changelist"),
        reverse("admin:catalog_procedure_change", args=[version.procedure_id]),
        reverse("admin:catalog_procedureversion_changelist"),
        reverse("admin:catalog_procedureversion_change", args=[version.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "Thành phần hồ sơ" in response.content.decode()


def test_a_published_version_cannot_be_changed(admin_client: Client) -> None:
    version = make_procedure("1.001193", "Đăng ký khai sinh")
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
    response = admin_client.post(url, {"name": "Đổi tên"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_the_publish_action_reports_why_a_version_cannot_be_published(admin_client: Client) -> None:
    version = make_procedure("1.000001", "Thủ tục", steps=("1", "1"), publish=False)
    response = admin_client.post(
        reverse("admin:catalog_procedureversion_changelist"),
        {"action": "publish_selected", "_selected_action": [version.pk]},
        follow=True,
    )
    assert "Tổng thời gian các bước (2 giờ) phải bằng thời hạn giải quyết" in (
        response.content.decode()
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_copying_makes_a_draft_with_the_same_content_that_can_be_published(
    admin_client: Client,
) -> None:
    v1 = make_procedure("1.001193", "Đăng ký khai sinh")
    admin_client.post(
        reverse("admin:catalog_procedureversion_changelist"),
        {"action": "copy_to_new_draft", "_selected_action": [v1.pk]},
    )
    v2 = ProcedureVersion.objects.get(procedure=v1.procedure, number=2)
    assert v2.status == VersionStatus.DRAFT
    assert v2.effective_from is None
    assert [c.name for c in v2.components.all()] == [c.name for c in v1.components.all()]
    assert v2.steps.count() == v1.steps.count()
    versions.publish(v2.pk, effective_from=dt.date(2026, 1, 1))
    v1.refresh_from_db()
    assert v1.effective_to == dt.date(2026, 1, 1)
    assert v1.steps.count() == v2.steps.count()  # the copy did not move v1's rows


def test_the_comparison_page_shows_what_changed(admin_client: Client) -> None:
    v1 = make_procedure("1.001193", "Đăng ký khai sinh")
    v2 = make_procedure(
        "1.001193", "Đăng ký khai sinh", limit="5", effective_from=dt.date(2026, 1, 1)
    )
    response = admin_client.get(reverse("admin:catalog_procedureversion_diff", args=[v2.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thời hạn giải quyết" in body
    assert f"phiên bản {v1.number} → phiên bản {v2.number}" in body


def test_an_officer_without_staff_rights_cannot_open_the_catalogue_admin(client: Client) -> None:
    client.force_login(make_user("binh"))
    response = client.get(reverse("admin:catalog_procedureversion_changelist"))
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


def test_the_catalogue_exports_and_imports_through_the_admin(admin_client: Client) -> None:
    make_procedure("1.001193", "Đăng ký khai sinh")
    changelist = admin_client.get(reverse("admin:catalog_procedure_changelist")).content.decode()
    assert "Nhập danh mục" in changelist
    assert "Xuất Excel" in changelist
    workbook = admin_client.get(reverse("admin:catalog_export", args=["xlsx"]))
    assert workbook.status_code == 200
    assert workbook["Content-Disposition"].startswith('attachment; filename="danh-muc')
    exported = admin_client.get(reverse("admin:catalog_export", args=["json"])).content
    ProcedureVersion.objects.all().delete()
    upload = SimpleUploadedFile("catalog.xlsx", workbook.content)
    response = admin_client.post(reverse("admin:catalog_import"), {"file": upload}, follow=True)
    assert "1 phiên bản mới" in response.content.decode()
    assert admin_client.get(reverse("admin:catalog_export", args=["json"])).content == exported
    assert admin_client.get(reverse("admin:catalog_export", args=["pdf"])).status_code == 404


def test_a_broken_file_imports_nothing_and_lists_every_error(admin_client: Client) -> None:
    bad = json.dumps(
        {
            "format": "motcua-catalog",
            "format_version": 1,
            "fields": [],
            "document_types": [],
            "procedures": [{"code": "1.0011", "versions": []}],
        }
    )
    upload = SimpleUploadedFile("catalog.json", bad.encode())
    response = admin_client.post(reverse("admin:catalog_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Không nhập gì" in body
    assert "1.0011" in body
    assert not Procedure.objects.exists()


def test_a_file_of_another_kind_is_refused(admin_client: Client) -> None:
    upload = SimpleUploadedFile("catalog.pdf", b"%PDF-1.4")
    body = admin_client.post(reverse("admin:catalog_import"), {"file": upload}).content.decode()
    assert "cần đuôi .json hoặc .xlsx" in body


def test_a_document_types_validity_is_edited_in_the_admin(admin_client: Client) -> None:
    url = reverse("admin:catalog_documenttype_add")
    response = admin_client.post(
        url, {"code": "giay_xac_nhan_tthn", "name": "Giấy xác nhận TTHN", "valid_days": "0"}
    )
    assert response.status_code == 200  # the form comes back with its error
    assert not DocumentType.objects.exists()
    admin_client.post(
        url, {"code": "giay_xac_nhan_tthn", "name": "Giấy xác nhận TTHN", "valid_days": "180"}
    )
    assert DocumentType.objects.get().valid_days == 180
    listing = admin_client.get(reverse("admin:catalog_documenttype_changelist"))
    assert "thời hạn sử dụng (ngày)" in listing.content.decode().lower()


def test_the_result_document_type_is_editable_on_a_draft_and_shown_on_a_published_version(
    admin_client: Client,
) -> None:
    birth = DocumentType.objects.create(code="giay_khai_sinh", name="Giấy khai sinh")
    published = make_procedure("1.001193", "Đăng ký khai sinh", result_document_type=birth)
    draft = versions.copy_to_draft(published.pk)
    page = admin_client.get(reverse("admin:catalog_procedureversion_change", args=[draft.pk]))
    assert 'name="result_document_type"' in page.content.decode()
    page = admin_client.get(reverse("admin:catalog_procedureversion_change", args=[published.pk]))
    html = page.content.decode()
    assert 'name="result_document_type"' not in html
    assert "loại giấy tờ của kết quả" in html.lower()
    assert "Giấy khai sinh" in html
