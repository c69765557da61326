"""Decision 766 indicators in a real browser: Lan, a leader of the province, opens the scores
of commune A over the hand-built month of `motcua/reports/tests/test_indicators.py` (built
by that test's own code), opens the procedures behind the average handling time (2.2),
follows the late dossiers of indicator 2.1 to a dossier, then
ranks the communes of the province by online rate; on a 360 px phone the page does not
scroll sideways. Screenshots reports-766-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import Role
from motcua.reports.indicators import build_scores
from motcua.reports.tests import test_indicators
from motcua.reports.tests.test_form06 import END, LATER, START
from motcua.testing.builders import make_officer
from motcua.testing.personas import Personas
from tests.e2e.conftest import shot
from tests.e2e.test_documents_journey import off_the_browser_thread
from tests.e2e.test_login_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month(transactional_db: None) -> Personas:
    """The hand-built month (16–20 March 2026) with E1 and the ratings, folded."""
    dataset: type[test_indicators.IndicatorTests] = type(
        "IndicatorMonth", (test_indicators.IndicatorTests,), {}
    )
    off_the_browser_thread(dataset.setUpTestData)  # E1's result is signed (pyHanko)
    make_officer("lan", "Vũ Thị Lan", dataset.p.province, Role.SIGNING_LEADER)
    return dataset.p


def open_commune(page: Page, base: str, commune: str) -> None:
    page.goto(base + "/")
    page.get_by_role("banner").get_by_role("link", name="Báo cáo").click()
    page.get_by_test_id("indicator-links").get_by_role("link", name="Bộ chỉ số 766").click()
    page.get_by_label("Đơn vị (gồm các đơn vị trực thuộc)").select_option(label=f"\u2003{commune}")
    page.get_by_label("Từ ngày", exact=True).fill("2026-03-16")
    page.get_by_label("Đến ngày", exact=True).fill("2026-03-20")
    page.get_by_role("button", name="Xem").click()


def test_a_leader_reads_the_766_scores_of_a_commune_drills_down_and_ranks_the_communes(
    page: Page,
    phone_page: Page,
    live_server: LiveServer,
    month: Personas,
    settings: Settings,
) -> None:
    settings.REPORTS_RANKING_MIN_DOSSIERS = 2
    base = live_server.url
    log_in(page, base, "lan")
    open_commune(page, base, month.commune_a.name)
    expect(page.get_by_test_id("ind-total")).to_contain_text("/ 100")
    on_time = page.get_by_test_id("ind-2.1")
    expect(on_time.get_by_test_id("value")).to_contain_text("64,29 %")
    expect(on_time.get_by_test_id("value")).to_contain_text("(9/14)")
    # the single-request rule not applied yet, said so
    expect(on_time).to_contain_text("chỉ bị yêu cầu bổ sung một lần")
    expect(page.get_by_test_id("ind-1.4").get_by_test_id("status")).to_have_text(
        "Cần dữ liệu quốc gia"
    )
    # 2.2, information only: the average in days, and the procedures behind it on demand
    handling = off_the_browser_thread(
        lambda: build_scores(month.commune_a, START, END, now=LATER).indicator("2.2")
    )
    assert handling.text.endswith(" ngày")
    assert handling.details
    average = page.get_by_test_id("ind-2.2")
    expect(average.get_by_test_id("value")).to_contain_text(handling.text)
    expect(average.get_by_test_id("status")).to_have_text("Chỉ để theo dõi")
    expect(average.get_by_text(handling.details[0])).to_be_hidden()
    average.locator("summary", has_text="Theo từng thủ tục").click()
    expect(average.get_by_text(handling.details[0])).to_be_visible()
    shot(page, "reports-766-01-commune")

    # The late dossiers behind 2.1: B1 belongs to commune B, so 5 of the province's 6.
    on_time.get_by_test_id("drill-tre").click()
    expect(page.get_by_test_id("drill-count")).to_contain_text("5")
    rows = page.get_by_test_id("drill-dossiers").locator("tbody tr")
    expect(rows).to_have_count(5)
    shot(page, "reports-766-02-dossiers")
    code = rows.first.get_by_role("link").inner_text()
    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(code)

    # The communes of the province, ranked by online rate.
    page.goto(base + "/bao-cao/xep-hang/?tu=2026-03-16&den=2026-03-20")
    page.get_by_label("Xếp hạng theo").select_option(label="Tỷ lệ trực tuyến")
    page.get_by_role("button", name="Xem").click()
    table = page.get_by_test_id("rankings")
    expect(table.get_by_test_id(f"rank-{month.commune_a.pk}").get_by_test_id("rank")).to_have_text(
        "thứ 1/2"
    )
    expect(table.get_by_test_id(f"rank-{month.commune_b.pk}").get_by_test_id("rank")).to_have_text(
        "thứ 2/2"
    )
    expect(table.get_by_role("columnheader", name="Tỷ lệ trực tuyến")).to_have_attribute(
        "aria-sort", "descending"
    )
    shot(page, "reports-766-03-rankings")
    table.get_by_role("link", name=month.commune_b.name).click()
    expect(page.get_by_test_id("ind-2.1").get_by_test_id("value")).to_contain_text("(1/2)")

    # On a phone the scores read down the page; nothing scrolls sideways.
    log_in(phone_page, base, "lan")
    open_commune(phone_page, base, month.commune_a.name)
    expect(phone_page.get_by_test_id("ind-2.1")).to_be_visible()
    phone_page.wait_for_load_state("load")
    width = phone_page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, width
    shot(phone_page, "reports-766-04-phone")
