"""A citizen and officers log in through a real browser and see their home pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.testing.builders import PASSWORD
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db: None) -> Personas:
    return build_personas()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    login = page.get_by_role("banner").get_by_role("link", name="Đăng nhập")
    colours = login.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert colours[0] != colours[1], f"the login link is invisible: {colours}"
    login.click()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_citizen_logs_in_and_sees_their_own_page(
    page: Page, live_server: LiveServer, cast: Personas
) -> None:
    log_in(page, live_server.url, "an")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Văn An")
    expect(page.get_by_text("038090001234")).to_be_visible()
    expect(page.get_by_test_id("header-role")).to_have_text("Công dân")
    shot(page, "citizen-home")


def test_an_officer_logs_in_and_sees_their_unit(
    page: Page, live_server: LiveServer, cast: Personas
) -> None:
    log_in(page, live_server.url, "binh")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Lê Thị Bình")
    expect(page.get_by_test_id("header-role")).to_contain_text("UBND phường A")
    page.get_by_role("link", name="UBND phường A").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("UBND phường A")
    expect(page.get_by_role("cell", name="Phạm Minh Chi")).to_be_visible()
    shot(page, "officer-unit")


def test_officer_dung_sees_not_found_for_commune_a(
    page: Page, live_server: LiveServer, cast: Personas
) -> None:
    log_in(page, live_server.url, "dung")
    expect(page.get_by_test_id("header-role")).to_contain_text("UBND phường B")
    response = page.goto(f"{live_server.url}/can-bo/don-vi/{cast.commune_a.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("UBND phường A")).to_have_count(0)


def test_a_wrong_password_shows_a_vietnamese_error(
    page: Page, live_server: LiveServer, cast: Personas
) -> None:
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")


def test_the_home_page_fits_a_phone_and_the_keyboard_reaches_the_content(
    phone_page: Page, live_server: LiveServer, cast: Personas
) -> None:
    log_in(phone_page, live_server.url, "chi")
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"
    phone_page.keyboard.press("Tab")
    expect(phone_page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    assert phone_page.locator("header[role=banner], main, footer").count() == 3
    header_colour = phone_page.evaluate(
        "getComputedStyle(document.querySelector('header')).backgroundColor"
    )
    assert header_colour == "rgb(165, 14, 14)", "the stylesheet did not load"
    shot(phone_page, "officer-home-phone")


def test_the_language_switch_turns_the_page_english(
    page: Page, live_server: LiveServer, cast: Personas
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Electronic one-stop-shop information system"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
