"""The whole citizen journey of issue 7 in a real browser, the citizen on a phone: An logs in
through the VNeID simulator, submits a dossier online; the desk accepts it, the specialist
asks for a supplement, An answers it online, the leader approves and the result is signed;
the desk returns it online; An downloads the signed result and rates the service. Every
message An received is in the simulators. Screenshots journey-citizen-NN-*.png.

The server's clock is frozen on Monday 16 March 2026 and moved (the live server runs in this
process), as in the other journeys.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.documents.verification import verify_pdf
from motcua.dossiers.models import Dossier, EventKind
from motcua.feedback.models import Rating, RatingQuestion
from motcua.integrations.oidc.client import forget_metadata
from motcua.notifications.models import Channel, SimulatedMessage
from motcua.testing.dossiers import MONDAY_9AM
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import CHROMIUM_ARGS, shot
from tests.e2e.test_backoffice_journey import fits_a_phone, switch_to, when
from tests.e2e.test_documents_journey import (
    certify,
    download,
    electronic_result_procedure,
    off_the_browser_thread,
    pdf_file,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ASPECTS = [
    "Tiếp cận dịch vụ",
    "Thủ tục hành chính",
    "Công chức giải quyết",
    "Kết quả giải quyết",
    "Tiếp nhận, xử lý góp ý",
]


@pytest.fixture
def cast(transactional_db: None, settings: Settings, live_server: LiveServer) -> Personas:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.SITE_URL = live_server.url
    settings.SMS_GATEWAY = "motcua.notifications.gateways.SimulatorSmsGateway"
    settings.EMAIL_BACKEND = "motcua.notifications.gateways.SimulatorEmailBackend"
    settings.VNEID_SIMULATOR = True
    settings.OIDC_DISCOVERY_URL = (
        f"{live_server.url}/mo-phong/vneid/.well-known/openid-configuration"
    )
    settings.OIDC_CLIENT_ID = settings.VNEID_SIM_CLIENT_ID
    settings.OIDC_CLIENT_SECRET = settings.VNEID_SIM_CLIENT_SECRET
    settings.OIDC_HTTP_ADAPTER = ""  # real HTTP, to the local live server only
    settings.OIDC_LOGIN_LABEL = "Đăng nhập bằng VNeID (mô phỏng)"
    forget_metadata()
    if not RatingQuestion.objects.exists():  # an earlier transactional test flushed them
        for position, aspect in enumerate(ASPECTS, start=1):
            RatingQuestion.objects.create(
                aspect=aspect, text="Bạn hài lòng đến đâu?", position=position
            )
    return build_personas()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer_page(browser: Browser) -> Iterator[Page]:
    """The officers work on a desktop screen, in their own browser."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def act(page: Page, base: str, officer: str, dossier: Dossier, action: str) -> None:
    switch_to(page, base, officer)
    page.goto(f"{base}/can-bo/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id(f"action-{action}")).to_be_visible()


def test_a_citizen_submits_online_answers_a_supplement_downloads_the_signed_result_and_rates(
    phone_page: Page,
    officer_page: Page,
    live_server: LiveServer,
    cast: Personas,
    clock: time_machine.Traveller,
) -> None:
    base, page, desk = live_server.url, phone_page, officer_page
    p = cast
    version, _kind = electronic_result_procedure()
    off_the_browser_thread(lambda: certify(p.binh, p.giang, p.chi, p.hung))
    assert CHROMIUM_ARGS  # the officers' context runs in the same headless Chromium

    # 1. An logs in through the national e-identity (the local simulator), Monday 09:00.
    page.goto(base + "/")
    page.get_by_role("banner").get_by_role("link", name="Đăng nhập").click()
    page.get_by_role("link", name="Đăng nhập bằng VNeID (mô phỏng)").click()
    page.get_by_role("radio", name="Nguyễn Văn An").check()
    shot(page, "journey-citizen-01-vneid")
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Nguyễn Văn An")

    # 2. An submits online: the declaration uploaded, the result online.
    page.goto(f"{base}/thu-tuc/{version.procedure.code}/")
    page.get_by_test_id("submit-online").click()
    page.get_by_test_id("start-draft").click()
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("038090001234")
    page.get_by_label("Thư điện tử").fill("an@example.vn")
    page.get_by_label("Cơ quan giải quyết").select_option(label="UBND phường A")
    page.get_by_role("button", name="Tiếp tục").click()
    declaration = page.get_by_test_id("component-1")
    declaration.get_by_label("Tải tệp lên").check()
    declaration.get_by_label("Tệp", exact=True).set_input_files(
        files=pdf_file("to-khai.pdf", small_pdf("Tờ khai đề nghị cấp giấy xác nhận"))
    )
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Trực tuyến (bản điện tử trong tài khoản này)").check()
    page.get_by_role("button", name="Tiếp tục").click()
    shot(page, "journey-citizen-02-review")
    page.get_by_test_id("submit-dossier").click()
    expect(page.get_by_test_id("receipt-status")).to_have_text("Đã nộp, chờ tiếp nhận")
    code = page.get_by_test_id("dossier-code").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert fits_a_phone(page)
    shot(page, "journey-citizen-03-receipt")

    # 3. Bình accepts it at 10:00 and hands it on; Giang assigns it to Chi.
    when(clock, 0, 10)
    act(desk, base, "binh", dossier, "accept")
    desk.get_by_test_id("action-accept").get_by_role("button", name="Tiếp nhận").click()
    expect(desk.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    shot(desk, "journey-citizen-04-desk-accepts")
    desk.get_by_test_id("action-forward").get_by_role(
        "button", name="Chuyển bước tiếp theo"
    ).click()
    act(desk, base, "giang", dossier, "forward")
    forward = desk.get_by_test_id("action-forward")
    forward.get_by_label("Chuyển cho cán bộ của bước «Thẩm định, dự thảo kết quả»").select_option(
        label="Phạm Minh Chi"
    )
    forward.get_by_role("button", name="Chuyển bước tiếp theo").click()

    # 4. Chi asks for a supplement at 11:00: the clock stops.
    when(clock, 0, 11)
    act(desk, base, "chi", dossier, "request_supplement")
    supplement = desk.get_by_test_id("action-request_supplement")
    supplement.get_by_label("Giấy tờ cần bổ sung, hoàn thiện").fill("Bản sao căn cước hai mặt")
    supplement.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(desk.get_by_test_id("status")).to_have_text("Chờ bổ sung hồ sơ")
    shot(desk, "journey-citizen-05-supplement-requested")

    # 5. An answers it online on Tuesday at 09:00; the clock resumes.
    when(clock, 1, 9)
    page.goto(base + "/ca-nhan/ho-so/")
    page.get_by_test_id(f"row-{code}").get_by_role("link", name=code).click()
    expect(page.get_by_test_id("supplement-asked")).to_have_text("Bản sao căn cước hai mặt")
    page.get_by_label("Tệp giấy tờ bổ sung").set_input_files(
        files=pdf_file("can-cuoc.pdf", small_pdf("Căn cước hai mặt"))
    )
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang được giải quyết")
    expect(page.get_by_test_id("ledger")).to_contain_text("tạm dừng chờ bổ sung")
    assert fits_a_phone(page)
    shot(page, "journey-citizen-06-supplement-answered")

    # 6. Chi forwards, Hùng approves on Wednesday 09:00: the result is rendered and signed.
    when(clock, 1, 14)
    act(desk, base, "chi", dossier, "forward")
    desk.get_by_test_id("action-forward").get_by_role(
        "button", name="Chuyển bước tiếp theo"
    ).click()
    when(clock, 2, 9)
    act(desk, base, "hung", dossier, "forward")
    approve = desk.get_by_test_id("action-forward")
    approve.get_by_label("Kết quả giải quyết").fill("Giấy xác nhận cho ông Nguyễn Văn An")
    approve.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(desk.get_by_test_id("result-electronic")).to_have_text("Có (đã ký số)")
    shot(desk, "journey-citizen-07-leader-signs")

    # 7. Bình returns the result online at 10:00.
    when(clock, 2, 10)
    act(desk, base, "binh", dossier, "return_result")
    give = desk.get_by_test_id("action-return_result")
    give.get_by_label("Hình thức trả").select_option(value="online")
    give.get_by_role("button", name="Trả kết quả").click()
    expect(desk.get_by_test_id("status")).to_have_text("Đã trả kết quả")

    # 8. An downloads the signed result and rates the service.
    page.goto(f"{base}/ca-nhan/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    name, content = download(page, page.get_by_test_id("result-link"))
    assert name == f"ket-qua-{code}.pdf"
    report = off_the_browser_thread(lambda: verify_pdf(content))
    assert report.verdict == "valid"
    assert [s.signer_name for s in report.signatures] == ["Nguyễn Quốc Hùng"]
    shot(page, "journey-citizen-08-result")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    page.get_by_role("group", name="Nhìn chung, bạn hài lòng").get_by_label(
        "Rất hài lòng", exact=True
    ).check()
    for aspect in ASPECTS:
        page.get_by_role("group", name=aspect).get_by_label("Hài lòng", exact=True).check()
    assert fits_a_phone(page)
    shot(page, "journey-citizen-09-rating")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá.")
    rating = Rating.objects.get(dossier=dossier)
    assert {o.username for o in rating.officers.all()} >= {"binh", "chi", "hung"}

    # Every message An was sent is in the simulators: e-mail and SMS for acceptance, the
    # supplement request and the result.
    told = {
        EventKind.ACCEPTED: "da duoc tiep nhan",
        EventKind.SUPPLEMENT_REQUESTED: "can bo sung",
        EventKind.RESULT_READY: "da co ket qua",
    }
    sms = list(SimulatedMessage.objects.filter(channel=Channel.SMS, recipient=p.an.phone))
    for phrase in told.values():
        assert any(phrase in m.body and code in m.body for m in sms), phrase
    mails = SimulatedMessage.objects.filter(channel=Channel.EMAIL, recipient="an@example.vn")
    assert mails.filter(subject__contains=f"Đã tiếp nhận hồ sơ {code}").exists()
    assert mails.filter(subject__contains=f"Hồ sơ {code} cần bổ sung").exists()
    assert mails.filter(subject__contains=f"Hồ sơ {code} đã có kết quả").exists()
