"""A citizen logs in through the VNeID simulator in a real browser on a phone-sized page:
the relying party calls the simulator's token endpoint over HTTP on the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import User
from motcua.integrations.oidc.client import forget_metadata
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db: None) -> Personas:
    return build_personas()


@pytest.fixture
def simulator(live_server: LiveServer, settings: Settings) -> None:
    settings.VNEID_SIMULATOR = True
    settings.OIDC_DISCOVERY_URL = (
        f"{live_server.url}/mo-phong/vneid/.well-known/openid-configuration"
    )
    settings.OIDC_CLIENT_ID = settings.VNEID_SIM_CLIENT_ID
    settings.OIDC_CLIENT_SECRET = settings.VNEID_SIM_CLIENT_SECRET
    settings.OIDC_HTTP_ADAPTER = ""  # real HTTP, to the local live server only
    settings.OIDC_LOGIN_LABEL = "Đăng nhập bằng VNeID (mô phỏng)"
    forget_metadata()


def test_a_citizen_logs_in_through_the_vneid_simulator_on_a_phone(
    phone_page: Page, live_server: LiveServer, cast: Personas, simulator: None
) -> None:
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("banner").get_by_role("link", name="Đăng nhập").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID (mô phỏng)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đăng nhập bằng tài khoản định danh điện tử"
    )
    page.get_by_role("radio", name="Lê Văn Cường").check()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the simulator's page is {width}px wide on a 360px screen"
    shot(page, "vneid-simulator-phone")
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Lê Văn Cường")
    expect(page.get_by_text("Đã đăng nhập bằng định danh điện tử: Lê Văn Cường.")).to_be_visible()
    expect(page.get_by_test_id("header-role")).to_have_text("Công dân")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the citizen's page is {width}px wide on a 360px screen"
    shot(page, "citizen-after-vneid-phone")
    user = User.objects.get(identity_number="038088012345")
    assert user.address == "Thôn Trung Chính, xã Hoằng Hóa, tỉnh Thanh Hóa"


def test_a_citizen_registers_with_a_phone_number_and_sees_errors_by_the_fields(
    phone_page: Page, live_server: LiveServer, cast: Personas
) -> None:
    page = phone_page
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_role("link", name="Đăng ký tài khoản công dân").click()
    page.get_by_label("Họ và tên").fill("Đỗ Thị Hằng")
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")  # An's number
    page.get_by_label(re.compile(r"^Mật khẩu")).fill("hoa-sen-no-muon")
    page.get_by_label("Nhập lại mật khẩu").fill("hoa-sen-no-muon")
    page.get_by_role("button", name="Đăng ký").click()
    expect(
        page.get_by_text("Số điện thoại này đã được dùng cho một tài khoản khác.")
    ).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value("Đỗ Thị Hằng")
    shot(page, "registration-error-phone")
    page.get_by_label("Số điện thoại di động").fill("0356 111 222")
    page.get_by_label(re.compile(r"^Mật khẩu")).fill("hoa-sen-no-muon")
    page.get_by_label("Nhập lại mật khẩu").fill("hoa-sen-no-muon")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Đỗ Thị Hằng")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"
