"""A citizen finds a procedure without typing diacritics and reads what to prepare."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.testing.builders import make_procedure
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(transactional_db: None) -> None:
    birth = make_procedure(
        "1.001193",
        "Đăng ký khai sinh",
        unit="same_day",
        limit="0",
        steps=("1", "5", "2"),
        non_boundary=True,
    )
    birth.components.get().sample_form.save(
        "to-khai-dang-ky-khai-sinh.docx", ContentFile(b"PK\x03\x04"), save=True
    )
    make_procedure("1.000656", "Đăng ký khai tử")
    make_procedure("2.000001", "Cho thuê đất", field="Đất đai", level="province")


@pytest.mark.usefixtures("catalogue")
def test_a_citizen_searches_without_diacritics_and_opens_birth_registration(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Thủ tục hành chính"
    ).click()
    page.get_by_role("searchbox", name="Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 thủ tục")
    shot(page, "catalogue-search")
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.get_by_test_id("time-limit")).to_contain_text("Trong ngày")
    expect(page.get_by_test_id("steps-total")).to_have_text("8 giờ làm việc")
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu Tờ khai").click()
    assert download.value.suggested_filename.startswith("to-khai-dang-ky-khai-sinh")
    shot(page, "catalogue-procedure")


@pytest.mark.usefixtures("catalogue")
def test_the_catalogue_filters_work_on_a_phone(phone_page: Page, live_server: LiveServer) -> None:
    phone_page.goto(live_server.url + "/thu-tuc/")
    expect(phone_page.get_by_role("status")).to_have_text("Tìm thấy 3 thủ tục")
    phone_page.get_by_label("Lĩnh vực").select_option(label="Đất đai")
    phone_page.get_by_role("button", name="Tìm kiếm").click()
    expect(phone_page.get_by_role("status")).to_have_text("Tìm thấy 1 thủ tục")
    expect(phone_page.get_by_role("link", name="Cho thuê đất")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"
    shot(phone_page, "catalogue-phone")
