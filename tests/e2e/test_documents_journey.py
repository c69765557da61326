"""The documents of a dossier in a real browser (issue 6): the desk scans a paper and keeps
it in the citizen's store, form 01 is issued and signed; the leader's electronic result is
signed, checked on the public verification page (and a tampered copy is caught), kept in
the citizen's store and reused by the desk for a later dossier; nobody else may download it.

Officers get demo certificates while the server's clock is frozen in March 2026 (the live
server runs in this process), so the certificates are valid when the documents are signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
import time_machine
from django.db import connection
from playwright.sync_api import FilePayload, Locator, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import User
from motcua.catalog.models import Component, DocumentType, ProcedureVersion
from motcua.documents import pki
from motcua.documents.tests.signed_pdfs import flip_byte, small_pdf
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.testing.dossiers import MONDAY_9AM, desk_dossier, make_process_procedure
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot
from tests.e2e.test_backoffice_journey import fits_a_phone, switch_to, when
from tests.e2e.test_login_journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IDENTITY = "038090001234"  # An's
RESULT_TITLE = "Giấy xác nhận (số 12/GXN-UBND)"
T = TypeVar("T")


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


def certify(*officers: User) -> None:
    """A demo CA and a signing certificate for each officer (issued at the frozen time)."""
    authority = pki.create_demo_authority()
    for officer in officers:
        pki.issue_demo_certificate(officer, authority)


def electronic_result_procedure() -> tuple[ProcedureVersion, DocumentType]:
    """1.000001 «Cấp giấy xác nhận», whose result is issued electronically and kept in the
    applicant's store as a «Giấy xác nhận» valid for 180 days."""
    kind = DocumentType.objects.create(code="giay_xac_nhan", name="Giấy xác nhận", valid_days=180)
    version = make_process_procedure()
    ProcedureVersion.objects.filter(pk=version.pk).update(
        result_electronic=True, result_document_type=kind, result_name="Giấy xác nhận"
    )
    version.refresh_from_db()
    return version, kind


def procedure_needing(kind: DocumentType) -> ProcedureVersion:
    """1.000002 «Đăng ký kết hôn», which asks for the declaration and a «Giấy xác nhận»."""
    later = make_process_procedure("1.000002", "Đăng ký kết hôn")
    needed = Component.objects.create(
        version=later, position=2, name="Giấy xác nhận", copy_type="original", count=1
    )
    Component.objects.filter(pk=needed.pk).update(document_type=kind)
    return later


def download(page: Page, link: Locator) -> tuple[str, bytes]:
    """Click a download link as a person would; the file's name and content."""
    with page.expect_download() as started:
        link.click()
    done = started.value
    return done.suggested_filename, Path(done.path()).read_bytes()


def fetch_as_browser(page: Page, link: Locator) -> tuple[int, dict[str, str], bytes]:
    """GET the link's address with the browser's cookies: status, headers and body."""
    href = link.get_attribute("href")
    assert href is not None
    response = page.context.request.get(href if "://" in href else _origin(page) + href)
    return response.status, response.headers, response.body()


def _origin(page: Page) -> str:
    origin: str = page.evaluate("location.origin")
    return origin


def dossier_id(page: Page) -> int:
    """The id of the dossier whose back-office page is open."""
    return int(page.url.rstrip("/").split("/")[-1])


def pdf_file(name: str, content: bytes) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def verify_upload(page: Page, base: str, name: str, content: bytes) -> Locator:
    page.goto(base + "/xac-thuc/")
    page.get_by_label("Tệp PDF có chữ ký số").set_input_files(files=pdf_file(name, content))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    return page.get_by_test_id("verdict")


def forward(page: Page, base: str, officer: str, dossier: int) -> None:
    switch_to(page, base, officer)
    page.goto(f"{base}/can-bo/ho-so/{dossier}/")
    page.get_by_test_id("action-forward").get_by_role(
        "button", name="Chuyển bước tiếp theo"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ")


def returned_dossier(
    p: Personas, version: ProcedureVersion, clock: time_machine.Traveller
) -> Dossier:
    """An's dossier taken through the real actions to its returned, signed result."""
    dossier = desk_dossier(p, version)
    actions.forward(dossier.pk, actor=p.binh)
    actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
    actions.forward(dossier.pk, actor=p.chi, note="Hồ sơ hợp lệ")
    clock.move_to(MONDAY_9AM + dt.timedelta(days=1))
    actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12/GXN")
    actions.return_result(dossier.pk, actor=p.binh)
    return Dossier.objects.get(pk=dossier.pk)


def off_the_browser_thread(work: Callable[[], T]) -> T:
    """Run ORM work that signs PDFs in another thread: pyHanko's synchronous signing calls
    asyncio.run(), which cannot run in this thread, where Playwright's event loop runs."""

    def run() -> T:
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_a_scanned_paper_and_a_signed_result_reach_the_citizens_store_and_are_reused(
    page: Page, live_server: LiveServer, cast: Personas, clock: time_machine.Traveller
) -> None:
    base = live_server.url
    version, kind = electronic_result_procedure()
    later = procedure_needing(kind)
    certify(cast.binh, cast.giang, cast.chi, cast.hung)

    # 1. Bình receives An's dossier at the desk, Monday 09:00, scanning the declaration
    #    and keeping the scan in An's store, as An agrees.
    log_in(page, base, "binh")
    page.goto(f"{base}/can-bo/tiep-nhan/?thu-tuc={version.pk}")
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill(IDENTITY)
    page.get_by_role("button", name="Tìm theo số định danh").click()
    expect(page.get_by_test_id("lookup-result")).to_have_text(
        "Đã tìm thấy người nộp: Nguyễn Văn An."
    )
    page.get_by_label("Địa chỉ", exact=True).fill("12 Lê Lợi, phường A")
    page.get_by_label("Tờ khai", exact=True).check()
    page.get_by_label("Bản số hóa «Tờ khai»").set_input_files(
        files=pdf_file("to-khai.pdf", small_pdf())
    )
    page.get_by_label("Người nộp đồng ý lưu vào kho dữ liệu").check()
    shot(page, "documents-01-desk-scan")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    code = page.get_by_test_id("dossier-code").inner_text()
    first = dossier_id(page)
    expect(page.get_by_role("status")).to_contain_text(f"Đã tiếp nhận hồ sơ {code} (mẫu 01).")

    # The declaration shows as scanned, and the scan downloads as a PDF attachment.
    declaration = page.get_by_test_id("component-1")
    expect(declaration).to_contain_text("Số hóa khi tiếp nhận")
    expect(page.get_by_test_id("digitisation")).to_have_text("Số hóa hồ sơ: Đã số hóa đầy đủ")
    scan_link = declaration.get_by_role("link", name="Tải bản số hóa")
    name, content = download(page, scan_link)
    assert name.endswith(".pdf")
    assert content == small_pdf()

    # Form 01 is issued, signed by Bình, and downloads as a PDF attachment.
    documents = page.get_by_test_id("documents")
    form_01 = documents.get_by_role("listitem").filter(
        has_text="Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    )
    expect(form_01).to_contain_text("Đã ký số: Lê Thị Bình")
    link_01 = form_01.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    name, content = download(page, link_01)
    assert name == f"mau-01-{code}.pdf"
    assert content.startswith(b"%PDF-")
    status, headers, body = fetch_as_browser(page, link_01)
    assert status == 200
    assert body.startswith(b"%PDF-")
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment")
    assert headers["x-content-type-options"] == "nosniff"
    expect(page.get_by_test_id("timeline")).to_contain_text("Phát hành mẫu 01")
    shot(page, "documents-02-accepted-with-form-01")

    # 2. The dossier goes through the commune to Hùng, who approves it on Tuesday 09:00:
    #    the electronic result is rendered from what he records and signed with his key.
    when(clock, 0, 9, 30)
    page.goto(f"{base}/can-bo/ho-so/{first}/")
    page.get_by_test_id("action-forward").get_by_role(
        "button", name="Chuyển bước tiếp theo"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển hồ sơ")
    when(clock, 0, 10)
    forward(page, base, "giang", first)
    when(clock, 0, 14)
    forward(page, base, "chi", first)

    when(clock, 1, 9)
    switch_to(page, base, "hung")
    page.goto(f"{base}/can-bo/ho-so/{first}/")
    approve = page.get_by_test_id("action-forward")
    approve.get_by_label("Kết quả giải quyết").fill("Xác nhận cho ông Nguyễn Văn An")
    approve.get_by_label("Số, ký hiệu văn bản kết quả").fill("12/GXN-UBND")
    expect(approve.get_by_label("Văn bản kết quả (PDF, sẽ được ký số)")).to_be_visible()
    shot(page, "documents-03-leader-approves")
    approve.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(page.get_by_test_id("status")).to_have_text("Có kết quả, chờ trả")
    expect(page.get_by_test_id("result-electronic")).to_have_text("Có (đã ký số)")
    result = (
        page.get_by_test_id("documents").get_by_role("listitem").filter(has_text="Giấy xác nhận")
    )
    expect(result).to_contain_text("Đã ký số: Nguyễn Quốc Hùng")
    name, signed = download(page, result.get_by_role("link", name="Giấy xác nhận"))
    assert name == f"ket-qua-{code}.pdf"
    assert signed.startswith(b"%PDF-")
    shot(page, "documents-04-signed-result")

    # Bình hands the result over at the desk, Tuesday 10:00.
    when(clock, 1, 10)
    switch_to(page, base, "binh")
    page.goto(f"{base}/can-bo/ho-so/{first}/")
    give = page.get_by_test_id("action-return_result")
    give.get_by_label("Hình thức trả").select_option(label="Tại bộ phận một cửa")
    give.get_by_role("button", name="Trả kết quả").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    expect(
        page.get_by_test_id("documents")
        .get_by_role("listitem")
        .filter(has_text="Phiếu kiểm soát quá trình giải quyết hồ sơ")
    ).to_contain_text("Đã ký số: Lê Thị Bình")

    # 3. Anyone checks the downloaded result on the public verification page...
    switch_to(page, base, "an")  # (An, who holds the paper; the page needs no login)
    verdict = verify_upload(page, base, name, signed)
    expect(verdict).to_contain_text("Hợp lệ.")
    expect(verdict).to_contain_text("Tất cả chữ ký số trên tài liệu đều hợp lệ (1 chữ ký).")
    signature = page.locator("li.signature")
    expect(signature.locator("dd").first).to_have_text("Nguyễn Quốc Hùng")
    expect(signature).to_contain_text("Còn nguyên vẹn")
    expect(signature).to_contain_text("CA thử nghiệm, không có giá trị pháp lý")
    shot(page, "documents-05-verify-valid")

    # ...and a copy with one signed byte changed (the page's width) is caught.
    tampered = flip_byte(signed, b"595.28")
    verdict = verify_upload(page, base, "ket-qua-da-sua.pdf", tampered)
    expect(verdict).to_contain_text("Không hợp lệ.")
    expect(page.locator("li.signature")).to_contain_text("Đã bị thay đổi")
    expect(page.locator("li.signature")).not_to_contain_text("Còn nguyên vẹn")
    shot(page, "documents-06-verify-tampered")

    # 4. An sees the signed result on her dossier and in her store.
    page.goto(base + "/")
    page.get_by_test_id("my-dossiers").get_by_role("link", name=code).click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    mine = page.get_by_test_id("documents")
    expect(mine.get_by_role("listitem").filter(has_text="Giấy xác nhận")).to_contain_text(
        "đã ký số"
    )
    expect(page.get_by_test_id("component-1")).to_contain_text("Số hóa khi tiếp nhận")
    _, mine_signed = download(page, mine.get_by_role("link", name="Giấy xác nhận"))
    assert mine_signed == signed
    shot(page, "documents-07-citizen-dossier")
    page.goto(base + "/")
    page.get_by_role("link", name="Kho dữ liệu của tôi").click()
    store = page.get_by_test_id("store-items")
    kept_result = store.get_by_role("row").filter(has_text=RESULT_TITLE)
    expect(kept_result).to_contain_text("Kết quả giải quyết thủ tục")
    expect(kept_result).to_contain_text(code)
    expect(kept_result).to_contain_text("13/09/2026")  # 180 days after 17/03/2026
    kept_scan = store.get_by_role("row").filter(has_text="Tờ khai")
    expect(kept_scan).to_contain_text("Thành phần hồ sơ đã số hóa")
    _, stored = download(page, kept_result.get_by_role("link", name=RESULT_TITLE))
    assert stored == signed
    shot(page, "documents-08-citizen-store")

    # A later dossier needs a «Giấy xác nhận»: the desk offers the stored one, Wednesday.
    when(clock, 2, 9)
    switch_to(page, base, "binh")
    page.goto(f"{base}/can-bo/tiep-nhan/?thu-tuc={later.pk}")
    expect(page.get_by_text("Lấy từ kho dữ liệu của người nộp")).to_have_count(0)
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill(IDENTITY)
    page.get_by_role("button", name="Tìm theo số định danh").click()
    reuse = page.get_by_test_id("reuse-2").get_by_label("Lấy từ kho dữ liệu của người nộp")
    expect(reuse.locator("option")).to_have_count(2)
    reuse.select_option(label=f"{RESULT_TITLE} (lưu ngày 17/03/2026)")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Lê Lợi, phường A")
    page.get_by_label("Tờ khai", exact=True).check()
    shot(page, "documents-09-desk-reuses")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    second_code = page.get_by_test_id("dossier-code").inner_text()
    expect(page.get_by_test_id("component-2")).to_contain_text("Lấy từ kho dữ liệu")
    expect(page.get_by_test_id("digitisation")).to_have_text("Số hóa hồ sơ: Số hóa một phần")
    _, reused = download(page, page.get_by_test_id("component-2").get_by_role("link"))
    assert reused == signed

    switch_to(page, base, "an")
    page.get_by_test_id("my-dossiers").get_by_role("link", name=second_code).click()
    expect(page.get_by_test_id("reused-notice")).to_have_text(
        "Bạn không phải mang 1 giấy tờ: đã được lấy từ kho dữ liệu của bạn."
    )
    expect(page.get_by_test_id("component-2")).to_contain_text(
        "Bạn không phải mang giấy tờ này: đã lấy từ kho dữ liệu"
    )
    shot(page, "documents-10-citizen-reused")

    # 5. Hà, another citizen, gets "not found" for An's result and An's dossier page.
    page.goto(f"{base}/ca-nhan/ho-so/{first}/")
    result_link = page.get_by_test_id("documents").get_by_role("link", name="Giấy xác nhận")
    result_href = result_link.get_attribute("href")
    assert result_href is not None
    assert result_href.startswith("/tai-lieu/")
    switch_to(page, base, "ha")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trần Thị Hà")
    response = page.context.request.get(base + result_href)
    assert response.status == 404
    assert not response.body().startswith(b"%PDF")
    not_mine = page.goto(f"{base}/ca-nhan/ho-so/{first}/")
    assert not_mine is not None
    assert not_mine.status == 404
    expect(page.get_by_text(code)).to_have_count(0)
    page.goto(base + "/ca-nhan/kho-du-lieu/")
    expect(page.get_by_text("Kho dữ liệu của bạn chưa có giấy tờ nào.")).to_be_visible()
    shot(page, "documents-11-other-citizen-store")


def test_the_dossier_pages_with_signed_documents_fit_a_phone(
    phone_page: Page, live_server: LiveServer, cast: Personas, clock: time_machine.Traveller
) -> None:
    base = live_server.url
    version, _ = electronic_result_procedure()
    certify(cast.binh, cast.hung)
    dossier = off_the_browser_thread(lambda: returned_dossier(cast, version, clock))

    log_in(phone_page, base, "binh")
    phone_page.goto(f"{base}/can-bo/ho-so/{dossier.pk}/")
    documents = phone_page.get_by_test_id("documents")
    expect(documents).to_contain_text("Đã ký số: Nguyễn Quốc Hùng")
    expect(documents.get_by_role("link", name="Kiểm tra chữ ký").first).to_be_visible()
    assert fits_a_phone(phone_page)
    documents.scroll_into_view_if_needed()
    shot(phone_page, "documents-phone-officer-dossier")

    # The QR-code page of the signed result, reached from the officer's list.
    documents.get_by_role("listitem").filter(has_text="Giấy xác nhận").get_by_role(
        "link", name="Kiểm tra chữ ký"
    ).click()
    expect(phone_page.get_by_test_id("verdict")).to_contain_text("Hợp lệ.")
    assert fits_a_phone(phone_page)
    shot(phone_page, "documents-phone-verify-document")

    switch_to(phone_page, base, "an")
    phone_page.goto(f"{base}/ca-nhan/ho-so/{dossier.pk}/")
    expect(phone_page.get_by_test_id("documents")).to_contain_text("đã ký số")
    assert fits_a_phone(phone_page)
    shot(phone_page, "documents-phone-citizen-dossier")
    phone_page.goto(base + "/ca-nhan/kho-du-lieu/")
    expect(phone_page.get_by_test_id("store-items")).to_contain_text("Giấy xác nhận")
    assert fits_a_phone(phone_page)
    shot(phone_page, "documents-phone-citizen-store")
