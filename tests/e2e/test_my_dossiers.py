"""The citizen's side of a dossier in a real browser on a 360 px phone (issue 7, items 3 and
6): An finds the supplement request among her dossiers, answers it with an upload (the
clock resumes and the appointment moves by the working time she took), and — once the
officers have finished the dossier in code — downloads the signed result and rates the
service, choosing with the keyboard.

The server's clock is frozen in March 2026 (the live server runs in this process), as in
the documents journey; officers' actions that sign PDFs run off the browser's thread.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Rating, RatingQuestion
from motcua.testing.dossiers import MONDAY_9AM, desk_dossier
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot
from tests.e2e.test_backoffice_journey import fits_a_phone, when
from tests.e2e.test_documents_journey import (
    certify,
    download,
    electronic_result_procedure,
    off_the_browser_thread,
    pdf_file,
)
from tests.e2e.test_login_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ASPECTS = [
    "Tiếp cận dịch vụ",
    "Thủ tục hành chính",
    "Công chức giải quyết",
    "Kết quả giải quyết",
    "Tiếp nhận, xử lý góp ý",
]


@pytest.fixture
def cast(transactional_db: None, settings: Settings) -> Personas:
    # The server's clock is in March 2026; a session cookie without an expiry date keeps
    # the browser (on the real clock) from discarding it as expired.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
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


def test_a_citizen_answers_a_supplement_on_a_phone_then_downloads_the_result_and_rates(
    phone_page: Page, live_server: LiveServer, cast: Personas, clock: time_machine.Traveller
) -> None:
    page, base, p = phone_page, live_server.url, cast
    version, _kind = electronic_result_procedure()

    def officers_start() -> Dossier:
        certify(p.binh, p.giang, p.chi, p.hung)
        dossier = desk_dossier(p, version)  # Mon 09:00, due Thu 19/03 09:00
        actions.forward(dossier.pk, actor=p.binh)
        actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
        when(clock, 0, 14)
        actions.request_supplement(dossier.pk, actor=p.chi, missing="Bản sao căn cước hai mặt")
        return dossier

    dossier = off_the_browser_thread(officers_start)
    code = dossier.code

    # 1. An logs in on her phone; her list shows the dossier waiting for her.
    log_in(page, base, "an")
    page.goto(base + "/ca-nhan/ho-so/")
    row = page.get_by_test_id(f"row-{code}")
    expect(row.get_by_test_id("badge")).to_have_text("Cần bổ sung")
    expect(row).to_contain_text("Cần bạn bổ sung giấy tờ")
    expect(row).to_contain_text("09:00 19/03/2026")
    assert fits_a_phone(page)
    shot(page, "mine-01-list")

    # 2. The dossier page says what is asked, and that the clock stands still.
    row.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("status")).to_have_text("Cần bạn bổ sung giấy tờ")
    expect(page.get_by_test_id("supplement-asked")).to_have_text("Bản sao căn cước hai mặt")
    expect(page.get_by_test_id("paused")).to_contain_text("14:00 16/03/2026")
    assert fits_a_phone(page)
    shot(page, "mine-02-supplement-request")

    # 3. Tuesday 10:00: she uploads the copy; a file that is not a PDF is refused first.
    when(clock, 1, 10)
    upload = page.get_by_label("Tệp giấy tờ bổ sung")
    upload.set_input_files(
        files={"name": "ban-sao.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    page.get_by_label("Ghi chú cho cán bộ (không bắt buộc)").fill("Bản chụp hai mặt")
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_text("không phải PDF, JPEG hoặc PNG")).to_be_visible()
    expect(page.get_by_label("Ghi chú cho cán bộ (không bắt buộc)")).to_have_value(
        "Bản chụp hai mặt"
    )
    expect(page.get_by_test_id("status")).to_have_text("Cần bạn bổ sung giấy tờ")
    shot(page, "mine-03-wrong-file-refused")
    page.get_by_label("Tệp giấy tờ bổ sung").set_input_files(
        files=pdf_file("can-cuoc-hai-mat.pdf", small_pdf())
    )
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã gửi giấy tờ bổ sung cho hồ sơ {code}")
    expect(page.get_by_test_id("status")).to_have_text("Đang được giải quyết")
    # Mon 14:00 → Tue 10:00 is 3 + 2,5 = 5,5 working hours: Thu 09:00 → Thu 16:00.
    expect(page.get_by_test_id("due")).to_have_text("16:00 19/03/2026")
    ledger = page.get_by_test_id("ledger")
    expect(ledger).to_contain_text("hẹn trả kết quả đổi từ 09:00 19/03/2026 thành 16:00 19/03/2026")
    expect(ledger).to_contain_text("Cộng 5,5 giờ làm việc tạm dừng chờ bổ sung")
    expect(page.get_by_role("link", name="can-cuoc-hai-mat.pdf")).to_be_visible()
    assert fits_a_phone(page)
    shot(page, "mine-04-supplement-answered")

    # 4. The officers finish the dossier in code: Chi on Tuesday, Hùng signs Wednesday 09:00,
    #    Bình returns the result online.
    def officers_finish() -> None:
        when(clock, 1, 14)
        actions.forward(dossier.pk, actor=p.chi, note="Hồ sơ hợp lệ")
        when(clock, 2, 9)
        actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12/GXN")
        actions.return_result(dossier.pk, actor=p.binh, via="online")

    off_the_browser_thread(officers_finish)
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    expect(page.get_by_test_id("withdraw-form")).to_have_count(0)
    result = page.get_by_test_id("result-link")
    name, content = download(page, result)
    assert name == f"ket-qua-{code}.pdf"
    assert content.startswith(b"%PDF-")
    expect(page.get_by_test_id("documents")).to_contain_text("đã ký số")
    assert fits_a_phone(page)
    shot(page, "mine-05-result-downloaded")

    # 5. She rates the service; the overall level is chosen with the keyboard alone.
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    overall = page.get_by_role("group", name="Nhìn chung, bạn hài lòng")
    overall.get_by_label("Hài lòng", exact=True).focus()
    page.keyboard.press("ArrowUp")  # to «Rất hài lòng», the option above
    expect(overall.get_by_label("Rất hài lòng", exact=True)).to_be_checked()
    for aspect in ASPECTS:
        page.get_by_role("group", name=aspect).get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Nộp bổ sung trực tuyến rất tiện.")
    assert fits_a_phone(page)
    shot(page, "mine-06-rating-form")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá.")
    expect(page.get_by_test_id("rating-level")).to_have_text("Rất hài lòng")
    shot(page, "mine-07-rated")

    rating = Rating.objects.get(dossier=dossier)
    assert rating.level == 5
    assert set(rating.officers.all()) == {p.binh, p.giang, p.chi, p.hung}
    assert rating.answers.count() == len(ASPECTS)

    # 6. Back on the dossier, the rating is shown and cannot be given twice.
    page.get_by_role("link", name="Quay lại hồ sơ").click()
    expect(page.get_by_test_id("my-rating")).to_contain_text("Bạn đã đánh giá «Rất hài lòng»")
    page.goto(base + "/ca-nhan/ho-so/")
    expect(page.get_by_test_id(f"row-{code}").get_by_test_id("badge")).to_have_count(0)
