import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.catalog.models import Component
from motcua.testing.builders import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth() -> Component:
    version = make_procedure(
        "1.001193",
        "Đăng ký khai sinh",
        unit="same_day",
        limit="0",
        steps=("1", "5", "2"),
        non_boundary=True,
    )
    component = version.components.get()
    component.sample_form.save("to-khai-khai-sinh.docx", ContentFile(b"PK\x03\x04demo"), save=True)
    make_procedure("1.000656", "Đăng ký khai tử")
    return component


@pytest.mark.usefixtures("birth")
def test_searching_without_diacritics_lists_birth_registration_first(client: Client) -> None:
    body = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Tìm thấy 1 thủ tục" in body
    assert 'href="/thu-tuc/1.001193/"' in body


@pytest.mark.usefixtures("birth")
def test_the_catalogue_lists_every_current_procedure_without_a_query(client: Client) -> None:
    body = client.get("/thu-tuc/").content.decode()
    assert "Tìm thấy 2 thủ tục" in body
    assert "Đăng ký khai tử" in body


@pytest.mark.usefixtures("birth")
def test_an_unknown_filter_value_is_ignored_not_an_error(client: Client) -> None:
    response = client.get("/thu-tuc/", {"online_mode": "hack", "trang": "999"})
    assert response.status_code == 200


@pytest.mark.usefixtures("birth")
def test_the_detail_page_tells_a_citizen_what_to_bring_pay_and_expect(client: Client) -> None:
    body = client.get("/thu-tuc/1.001193/").content.decode()
    assert "<h1>Đăng ký khai sinh</h1>" in body
    assert "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)" in body
    assert "Tờ khai" in body
    assert "Bản chính" in body
    assert "Tải mẫu" in body
    assert "Miễn phí" in body
    assert "Trung tâm Phục vụ hành chính công bất kỳ trong tỉnh" in body
    assert "8 giờ làm việc" in body  # the steps' total
    assert "Luật Hộ tịch năm 2014" in body


def test_the_sample_form_downloads_as_an_attachment(client: Client, birth: Component) -> None:
    response = client.get(f"/thu-tuc/1.001193/mau/{birth.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"PK\x03\x04demo"  # type: ignore[attr-defined]


def test_a_sample_form_of_another_procedure_is_not_found(client: Client, birth: Component) -> None:
    assert client.get(f"/thu-tuc/1.000656/mau/{birth.pk}/").status_code == 404


def test_an_older_version_is_shown_on_request_and_marked(client: Client) -> None:
    make_procedure("1.001193", "Đăng ký khai sinh", effective_from=dt.date(2025, 7, 1))
    make_procedure("1.001193", "Đăng ký khai sinh", limit="5", effective_from=dt.date(2026, 1, 1))
    body = client.get("/thu-tuc/1.001193/", {"phien-ban": "1"}).content.decode()
    assert "Bạn đang xem phiên bản 1" in body
    assert "3 ngày làm việc" in body
    assert client.get("/thu-tuc/1.001193/", {"phien-ban": "abc"}).status_code == 404


def test_a_draft_is_never_shown(client: Client) -> None:
    make_procedure("1.000001", "Nháp", publish=False)
    assert client.get("/thu-tuc/1.000001/").status_code == 404
    assert client.get("/thu-tuc/1.000001/", {"phien-ban": "1"}).status_code == 404
