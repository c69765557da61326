"""A direct dossier through the back office in a real browser: the desk receives it, the
head of office hands it to the specialist, who asks for a supplement, consults another
agency and forwards it; the leader approves it with a result and the desk hands it over.

The server's clock is moved with time-machine (the live server runs in this process), so
the due times, the supplement pause and the early / on time / late marks are known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import Role, UnitKind
from motcua.testing.builders import make_officer, make_unit
from motcua.testing.dossiers import MONDAY_9AM, make_process_procedure
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot
from tests.e2e.test_login_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db: None, settings: Settings) -> Personas:
    # The server's clock is in March 2026; a session cookie without an expiry date keeps
    # the browser (on the real clock) from discarding it as expired.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    return build_personas()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


def when(clock: time_machine.Traveller, days: int, hour: int, minute: int = 0) -> None:
    """Move the server's clock to `hour:minute`, `days` after Monday 16 March 2026."""
    clock.move_to(MONDAY_9AM.replace(hour=hour, minute=minute) + dt.timedelta(days=days))


def switch_to(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    logout = page.get_by_role("button", name="Đăng xuất")
    if logout.count():
        logout.click()
    log_in(page, base, username)


def fits_a_phone(page: Page) -> bool:
    """Once the stylesheets have loaded, nothing makes the page wider than 360 px."""
    page.wait_for_load_state("load")
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= 360


def open_from_queue(page: Page, base: str, queue: str, code: str) -> None:
    page.goto(base + "/")
    page.get_by_role("banner").get_by_role("link", name="Hồ sơ").click()
    page.get_by_test_id(f"queue-{queue}").click()
    page.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(code)


def test_a_direct_dossier_goes_from_the_desk_to_the_returned_result(
    page: Page, live_server: LiveServer, cast: Personas, clock: time_machine.Traveller
) -> None:
    base = live_server.url
    make_process_procedure()
    justice = make_unit("Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=cast.province, code="H99.02")
    make_officer("khoa", "Lê Văn Khoa", justice, Role.SPECIALIST)

    # 1. Bình receives a direct dossier at the desk, Monday 09:00.
    log_in(page, base, "binh")
    page.get_by_role("navigation", name="Điều hướng nghiệp vụ").get_by_role(
        "link", name="Tiếp nhận hồ sơ"
    ).click()
    page.get_by_label("Tìm thủ tục (tên hoặc mã)").fill("cap giay xac nhan")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name="1.000001 — Cấp giấy xác nhận").click()
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill("038090001234")
    page.get_by_role("button", name="Tìm theo số định danh").click()
    expect(page.get_by_test_id("lookup-result")).to_have_text(
        "Đã tìm thấy người nộp: Nguyễn Văn An."
    )
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Nguyễn Văn An")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Lê Lợi, phường A")
    page.get_by_label("Tờ khai", exact=True).check()
    shot(page, "journey-01-desk-form")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    code = page.get_by_test_id("dossier-code").inner_text()
    assert code.startswith("H99.00001.01-260316-")
    expect(page.get_by_role("status")).to_contain_text(f"Đã tiếp nhận hồ sơ {code} (mẫu 01).")
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_test_id("due")).to_have_text("09:00 19/03/2026")
    shot(page, "journey-02-accepted")

    # Bình hands the checked dossier to the commune office, 09:30.
    when(clock, 0, 9, 30)
    page.reload()
    forward = page.get_by_test_id("action-forward")
    forward.get_by_label("Chuyển cho cán bộ của bước «Phân công xử lý»").select_option(
        label="Đỗ Văn Giang"
    )
    forward.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ")

    # 2. Giang, head of office, finds it in his queue and hands it to Chi, 10:00.
    when(clock, 0, 10)
    switch_to(page, base, "giang")
    open_from_queue(page, base, "buoc-cua-toi", code)
    forward = page.get_by_test_id("action-forward")
    forward.get_by_label("Chuyển cho cán bộ của bước «Thẩm định, dự thảo kết quả»").select_option(
        label="Phạm Minh Chi"
    )
    shot(page, "journey-03-head-of-office-assigns")
    forward.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang giải quyết")

    # 3. Chi asks for a supplement, 11:00: the clock stops.
    when(clock, 0, 11)
    switch_to(page, base, "chi")
    open_from_queue(page, base, "buoc-cua-toi", code)
    supplement = page.get_by_test_id("action-request_supplement")
    supplement.get_by_label("Giấy tờ cần bổ sung, hoàn thiện").fill(
        "Bản sao giấy khai sinh có chứng thực"
    )
    supplement.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ bổ sung hồ sơ")
    expect(page.get_by_test_id("paused")).to_have_text("Tạm dừng tính thời hạn từ 11:00 16/03/2026")
    shot(page, "journey-04-supplement-requested")

    # 4. An brings the paper on Tuesday, 09:00; Bình records it: 6 working hours are added.
    when(clock, 1, 9)
    switch_to(page, base, "binh")
    open_from_queue(page, base, "cho-bo-sung", code)
    page.get_by_test_id("action-receive_supplement").get_by_role(
        "button", name="Nhận hồ sơ bổ sung"
    ).click()
    expect(page.get_by_test_id("status")).to_have_text("Đang giải quyết")
    expect(page.get_by_test_id("due")).to_have_text("16:30 19/03/2026")
    ledger = page.get_by_test_id("ledger")
    expect(ledger).to_contain_text("cộng 6 giờ làm việc tạm dừng chờ bổ sung")
    expect(ledger).to_contain_text("09:00 19/03/2026 → 16:30 19/03/2026")
    shot(page, "journey-05-supplement-received")

    # 5. Chi consults the provincial Department of Justice, Tuesday 10:00.
    when(clock, 1, 10)
    switch_to(page, base, "chi")
    open_from_queue(page, base, "buoc-cua-toi", code)
    consult = page.get_by_test_id("action-consult")
    consult.get_by_label("Đơn vị được lấy ý kiến").select_option(label="Sở Tư pháp")
    consult.get_by_label("Nội dung cần lấy ý kiến, phối hợp").fill(
        "Xác minh việc đăng ký khai sinh của người nộp"
    )
    consult.get_by_label("Thời hạn trả lời (giờ làm việc)").fill("8")
    consult.get_by_role("button", name="Lấy ý kiến cơ quan khác").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi lấy ý kiến")
    expect(page.get_by_text("Chưa trả lời")).to_be_visible()
    shot(page, "journey-06-consultation-sent")

    # 6. Khoa of the department answers, Tuesday 14:00.
    when(clock, 1, 14)
    switch_to(page, base, "khoa")
    open_from_queue(page, base, "buoc-cua-toi", code)
    answer = page.get_by_test_id("action-answer_consultation")
    answer.get_by_label("Nội dung trả lời").fill("Đã đăng ký khai sinh năm 1990, thông tin khớp.")
    answer.get_by_role("button", name="Trả lời ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã trả lời ý kiến")
    expect(
        page.get_by_role("cell", name="Đã đăng ký khai sinh năm 1990, thông tin khớp.")
    ).to_contain_text("Trước hạn")  # due Wednesday 10:00, answered on Tuesday
    shot(page, "journey-07-consultation-answered")

    # 7. Chi forwards her draft to the leader, Tuesday 15:00.
    when(clock, 1, 15)
    switch_to(page, base, "chi")
    page.goto(f"{base}/can-bo/tim-kiem/?q={code}")
    page.get_by_role("link", name=code).click()
    forward = page.get_by_test_id("action-forward")
    forward.get_by_label("Ý kiến xử lý").fill("Hồ sơ đủ điều kiện, trình ký")
    forward.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ")

    # 8. Hùng approves with the result, Wednesday 09:00.
    when(clock, 2, 9)
    switch_to(page, base, "hung")
    open_from_queue(page, base, "lanh-dao-ky-duyet", code)
    approve = page.get_by_test_id("action-forward")
    approve.get_by_label("Kết quả giải quyết").fill("Giấy xác nhận cho ông Nguyễn Văn An")
    approve.get_by_label("Số, ký hiệu văn bản kết quả").fill("12/GXN-UBND")
    shot(page, "journey-08-leader-approves")
    approve.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(page.get_by_test_id("status")).to_have_text("Có kết quả, chờ trả")
    expect(page.get_by_test_id("result")).to_have_text("Giấy xác nhận cho ông Nguyễn Văn An")

    # 9. Bình hands the result over at the desk, Wednesday 10:00.
    when(clock, 2, 10)
    switch_to(page, base, "binh")
    open_from_queue(page, base, "cho-tra-ket-qua", code)
    give = page.get_by_test_id("action-return_result")
    give.get_by_label("Hình thức trả").select_option(label="Tại bộ phận một cửa")
    give.get_by_role("button", name="Trả kết quả").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    expect(page.get_by_test_id("no-actions")).to_be_visible()
    slip = page.get_by_role("table").filter(has_text="Ký duyệt kết quả")
    expect(slip).to_contain_text("Trước hạn")
    timeline = page.get_by_test_id("timeline")
    for step in (
        "Tiếp nhận hồ sơ",
        "Yêu cầu bổ sung hồ sơ",
        "Nhận hồ sơ bổ sung",
        "Gửi lấy ý kiến, phối hợp",
        "Trả lời ý kiến, phối hợp",
        "Lãnh đạo phê duyệt",
        "Trả kết quả",
    ):
        expect(timeline).to_contain_text(step)
    shot(page, "journey-09-returned")


def test_the_queue_and_the_dossier_page_fit_a_phone(
    phone_page: Page, live_server: LiveServer, cast: Personas, clock: time_machine.Traveller
) -> None:
    from motcua.testing.dossiers import desk_dossier

    dossier = desk_dossier(cast, make_process_procedure())
    log_in(phone_page, live_server.url, "binh")
    phone_page.goto(live_server.url + "/can-bo/ho-so/?hang=buoc-cua-toi")
    expect(phone_page.get_by_role("link", name=dossier.code)).to_be_visible()
    expect(phone_page.get_by_role("table")).to_contain_text(
        "Còn 4 giờ làm việc (dưới 1 ngày làm việc)"  # 09:00–11:30, 13:00–14:30
    )
    assert fits_a_phone(phone_page)
    shot(phone_page, "journey-phone-queue")
    phone_page.get_by_role("link", name=dossier.code).click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    assert fits_a_phone(phone_page)
    # The keyboard reaches the first action's first field.
    phone_page.get_by_test_id("action-request_supplement").get_by_role("textbox").focus()
    expect(
        phone_page.get_by_test_id("action-request_supplement").get_by_role("textbox")
    ).to_be_focused()
    shot(phone_page, "journey-phone-dossier")
    phone_page.goto(f"{live_server.url}/can-bo/tiep-nhan/?thu-tuc={dossier.procedure_version_id}")
    expect(phone_page.get_by_label("Tờ khai", exact=True)).to_be_visible()
    assert fits_a_phone(phone_page)
    # Stacked: the name field sits below the identity number, not beside it.
    boxes = [
        phone_page.get_by_label(label, exact=True).bounding_box()
        for label in ("Số định danh cá nhân hoặc mã số thuế", "Điện thoại", "Thư điện tử")
    ]
    assert all(box is not None for box in boxes)
    assert boxes[2]["y"] > boxes[1]["y"] > boxes[0]["y"]  # type: ignore[index]
    shot(phone_page, "journey-phone-desk")
