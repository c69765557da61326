"""The leader's dashboard and the public statistics page in Chromium.

Commune A's dossiers are built through the real actions with the clock moved (the live
server runs in this process, so time-machine moves its clock too) and folded into the
rollups; the pages are then seen on Friday 20 March 2026 at 10:00. Screenshots
reports-dashboard-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.reports.folding import fold_pending
from motcua.reports.tests.helpers import at, desk, finish, procedure
from motcua.testing.dossiers import VN
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot
from tests.e2e.test_login_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FRIDAY = dt.datetime(2026, 3, 20, 10, 0, tzinfo=VN)


@pytest.fixture
def cast(transactional_db: None, settings: Settings) -> Personas:
    # The server's clock is in March 2026; a session cookie without an expiry date keeps
    # the browser (on the real clock) from discarding it as expired.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    return build_personas()


@pytest.fixture
def month(cast: Personas) -> dict[str, str]:
    """Two dossiers received on Monday 9 March (one closed early, one still open and due on
    Thursday 12: overdue now), one received on Monday 16, due Thursday 19 and closed late
    on Friday 20, one received on Wednesday 18 (due Monday 23: due soon). Returns the codes
    by role."""
    p = cast
    civil = procedure("1.000001", "Đăng ký khai sinh", field="Hộ tịch")
    with at(2026, 3, 9):
        overdue = desk(p, civil)
        early = desk(p, civil)
    with at(2026, 3, 10):
        finish(p, early)
    with at(2026, 3, 16):
        late = desk(p, civil)
    with at(2026, 3, 18):
        soon = desk(p, civil)
    with at(2026, 3, 20, 9):
        finish(p, late)
    with at(2026, 3, 20, 9, 30):
        fold_pending()
    return {"overdue": overdue.code, "soon": soon.code, "late": late.code}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(FRIDAY, tick=False) as traveller:
        yield traveller


def test_the_leader_opens_the_dashboard_and_the_overdue_dossiers(
    page: Page,
    live_server: LiveServer,
    cast: Personas,
    month: dict[str, str],
    clock: time_machine.Traveller,
) -> None:
    base = live_server.url
    log_in(page, base, "hung")
    page.get_by_role("banner").get_by_role("link", name="Báo cáo").click()
    page.get_by_role("link", name="Tổng quan tình hình giải quyết hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tổng quan tình hình giải quyết hồ sơ"
    )
    expect(page.get_by_test_id("dashboard-unit")).to_contain_text(cast.commune_a.name)
    expect(page.get_by_test_id("overdue-now")).to_have_text("1")
    expect(page.get_by_test_id("due-soon")).to_have_text("1")
    expect(page.get_by_test_id("month-received")).to_have_text("4")
    expect(page.get_by_test_id("month-closed")).to_have_text("2")
    received = page.get_by_test_id("chart-dash-received")
    expect(received.locator("svg rect")).to_have_count(1)
    expect(received.locator("svg rect title")).to_have_text("Tháng 3/2026 · Tiếp nhận: 4")
    received.get_by_text("Bảng số liệu của biểu đồ").click()
    expect(received.get_by_role("row", name="Tháng 3/2026 4")).to_be_visible()
    shot(page, "reports-dashboard-01-leader")

    page.get_by_test_id("overdue-now").click()
    expect(page.get_by_test_id("figure-title")).to_have_text("Hồ sơ đang quá hạn")
    expect(page.get_by_test_id("figure-count")).to_have_text("1 hồ sơ")
    expect(page.get_by_role("link", name=month["overdue"])).to_be_visible()
    expect(page.get_by_role("link", name=month["soon"])).to_have_count(0)
    shot(page, "reports-dashboard-02-overdue")
    page.get_by_role("link", name=month["overdue"]).click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(month["overdue"])


def test_a_visitor_reads_the_public_statistics_on_a_phone(
    phone_page: Page,
    live_server: LiveServer,
    cast: Personas,
    month: dict[str, str],
    clock: time_machine.Traveller,
) -> None:
    page = phone_page
    base = live_server.url
    page.goto(base + "/")
    page.get_by_role("link", name="Thống kê công khai tình hình giải quyết hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thống kê công khai")
    province = page.get_by_test_id("public-province")
    expect(province.get_by_role("heading", level=2)).to_have_text(cast.province.name)
    expect(province.locator("svg")).to_have_count(3)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-dashboard-03-public-phone")

    page.get_by_label("Xem thêm số liệu của đơn vị").select_option(label=f"— {cast.commune_a.name}")
    page.get_by_role("button", name="Xem").click()
    unit = page.get_by_test_id("public-unit")
    expect(unit.get_by_role("heading", level=2)).to_have_text(cast.commune_a.name)
    expect(unit.get_by_text("50,0 %").first).to_be_visible()  # on time this month: 1 of 2
    for code in month.values():
        expect(page.get_by_text(code)).to_have_count(0)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-dashboard-04-public-unit-phone")


def test_the_dashboard_fits_a_phone(
    phone_page: Page,
    live_server: LiveServer,
    cast: Personas,
    month: dict[str, str],
    clock: time_machine.Traveller,
) -> None:
    page = phone_page
    base = live_server.url
    log_in(page, base, "hung")
    page.goto(base + "/bao-cao/tong-quan/")
    expect(page.get_by_test_id("overdue-now")).to_have_text("1")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-dashboard-05-leader-phone")
    page.get_by_test_id("overdue-now").click()
    expect(page.get_by_role("link", name=month["overdue"])).to_be_visible()
    page.wait_for_load_state("load")  # the stylesheets put the wide table in its scroller
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
