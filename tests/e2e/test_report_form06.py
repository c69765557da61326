"""Report form 06 in a real browser: Hùng, the commune's signing leader, opens the form for
his commune over the hand-built month of `motcua/reports/tests/test_form06.py` (built by
that test's own code), opens the dossiers behind a cell, downloads the Excel file and
checks it; on a 360 px phone the wide table scrolls inside its wrapper, not the page.
Screenshots reports-06-*.png."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.reports import exports
from motcua.reports.tests import test_form06
from motcua.testing.personas import Personas
from tests.e2e.conftest import shot
from tests.e2e.test_login_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#              3   4  5  6  7  8  9 10 11 12 13
CIVIL_A = ["11", "1", "7", "3", "7", "2", "3", "2", "4", "2", "2"]


@pytest.fixture
def month(transactional_db: None) -> Personas:
    """The hand-built month (16–20 March 2026), folded into the rollups."""
    dataset: type[test_form06.Form06Tests] = type("HandBuiltMonth", (test_form06.Form06Tests,), {})
    dataset.setUpTestData()
    return dataset.p


def open_march(page: Page, base: str) -> None:
    """From the header's «Báo cáo» to form 06 of the commune for 16–20 March 2026."""
    page.goto(base + "/")
    page.get_by_role("banner").get_by_role("link", name="Báo cáo").click()
    page.get_by_role("link", name="Biểu số 06: tình hình, kết quả giải quyết TTHC").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tình hình, kết quả giải quyết thủ tục hành chính"
    )
    page.get_by_label("Từ ngày", exact=True).fill("2026-03-16")
    page.get_by_label("Đến ngày", exact=True).fill("2026-03-20")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.get_by_test_id("report-period")).to_contain_text(
        "Từ ngày 16/03/2026 đến ngày 20/03/2026"
    )


def test_a_leader_reads_form_06_drills_into_a_cell_and_downloads_it(
    page: Page, phone_page: Page, live_server: LiveServer, month: Personas
) -> None:
    base = live_server.url
    log_in(page, base, "hung")
    open_march(page, base)
    table = page.get_by_role("table", name="Biểu số 06/VPCP/KSTT")
    civil = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Hộ tịch"))
    expect(civil.locator("td.num")).to_have_text(CIVIL_A)
    expect(table.get_by_role("columnheader", name="Số hồ sơ nhận giải quyết")).to_have_attribute(
        "colspan", "4"
    )
    expect(page.get_by_role("heading", name="Cách tính từng cột")).to_be_visible()
    shot(page, "reports-06-01-form")

    # The three dossiers carried over from before the period (column 6).
    civil.locator('td[data-column="6"]').get_by_role("link", name="3").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Từ kỳ trước chuyển qua")
    expect(page.get_by_test_id("dossier-count")).to_have_text("3 hồ sơ")
    rows = page.get_by_test_id("cell-dossiers").locator("tbody tr")
    expect(rows).to_have_count(3)
    shot(page, "reports-06-02-dossiers")
    code = rows.first.get_by_role("link").inner_text()
    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(code)
    page.go_back()

    # Back to the form, and its Excel file.
    page.get_by_role("link", name="« Quay lại Biểu số 06").click()
    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    assert download.value.suggested_filename == "bieu-06-H99.00001-20260316-20260320.xlsx"
    path = download.value.path()
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    found = [
        [str(v) for v in row[2:13]]
        for row in sheet.iter_rows(min_row=exports.FIRST_LINE_ROW, max_col=13, values_only=True)
        if row[1] == "Hộ tịch"
    ]
    assert found == [CIVIL_A]
    shot(page, "reports-06-03-downloaded")

    # On a phone: only the table's wrapper scrolls sideways.
    log_in(phone_page, base, "hung")
    open_march(phone_page, base)
    phone_page.wait_for_load_state("load")
    page_width: int = phone_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 360
    wrap = phone_page.get_by_test_id("form06-wrap")
    inner, outer = wrap.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert inner > outer  # the table is wider than the phone and scrolls inside
    shot(phone_page, "reports-06-04-phone")
