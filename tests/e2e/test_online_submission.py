"""Online submission in a real browser on a 360 px phone (issue 7, item 2): a citizen opens
a procedure, logs in on the way, fills the steps — an uploaded declaration and a paper
reused from their document store —, submits and reaches the receipt with its QR code; the
desk officer then finds the dossier among those awaiting acceptance.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import User
from motcua.catalog.models import Component, DocumentType
from motcua.documents.models import DocumentKind, StoreItem, StoreSource
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.documents.uploads import save_upload
from motcua.dossiers.models import Arrival, Dossier
from motcua.testing.builders import PASSWORD
from motcua.testing.dossiers import make_process_procedure
from motcua.testing.personas import Personas, build_personas
from tests.e2e.conftest import shot
from tests.e2e.test_backoffice_journey import fits_a_phone, switch_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "1.000002"


@pytest.fixture
def cast(transactional_db: None, settings: Settings) -> Personas:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    p = build_personas()
    User.objects.filter(pk=p.an.pk).update(address="12 Lê Lợi, phường A")
    return p


def stored_paper(p: Personas) -> StoreItem:
    """«Đăng ký kết hôn» asks for a declaration and a «Giấy xác nhận», which An already
    has in his document store."""
    kind = DocumentType.objects.create(code="giay_xac_nhan", name="Giấy xác nhận", valid_days=180)
    version = make_process_procedure(CODE, "Đăng ký kết hôn")
    needed = Component.objects.create(
        version=version, position=2, name="Giấy xác nhận", copy_type="original"
    )
    Component.objects.filter(pk=needed.pk).update(document_type=kind)
    upload = SimpleUploadedFile("giay-xac-nhan.pdf", small_pdf("Giấy xác nhận số 12/GXN"))
    document = save_upload(upload, kind=DocumentKind.RESULT, created_by=p.an)
    return StoreItem.objects.create(
        owner=p.an,
        document_type=kind,
        title="Giấy xác nhận số 12/GXN",
        document=document,
        source=StoreSource.RESULT,
    )


def pdf_file(name: str, content: bytes) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def test_a_citizen_submits_online_on_a_phone_and_the_desk_sees_it_awaiting_acceptance(
    phone_page: Page, live_server: LiveServer, cast: Personas
) -> None:
    page, base = phone_page, live_server.url
    item = stored_paper(cast)

    page.goto(f"{base}/thu-tuc/{CODE}/")
    shot(page, "online-01-procedure")
    page.get_by_test_id("submit-online").click()
    # Not logged in: the login page, then back to the submission.
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    shot(page, "online-02-start")
    page.get_by_test_id("start-draft").click()

    # 1. The applicant, pre-filled from the account.
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("038090001234")
    page.get_by_label("Cơ quan giải quyết").select_option(label="UBND phường A")
    assert fits_a_phone(page)
    shot(page, "online-03-applicant")
    page.get_by_role("button", name="Tiếp tục").click()

    # 2. The papers: a required one forgotten first, then uploaded; one from the store.
    reused = page.get_by_test_id("component-2")
    reused.get_by_label("Lấy từ kho dữ liệu của tôi").check()
    reused.get_by_label("Giấy tờ trong kho dữ liệu của bạn").select_option(str(item.pk))
    page.get_by_role("button", name="Tiếp tục").click()
    declaration = page.get_by_test_id("component-1")
    expect(declaration.locator(".error")).to_have_text(
        "Giấy tờ này là bắt buộc: hãy chọn cách nộp."
    )
    expect(reused.get_by_label("Giấy tờ trong kho dữ liệu của bạn")).to_have_value(str(item.pk))
    shot(page, "online-04-papers-error")
    declaration.get_by_label("Tải tệp lên").check()
    declaration.get_by_label("Tệp", exact=True).set_input_files(
        files=pdf_file("to-khai-ket-hon.pdf", small_pdf("Tờ khai đăng ký kết hôn"))
    )
    assert fits_a_phone(page)
    shot(page, "online-05-papers")
    page.get_by_role("button", name="Tiếp tục").click()

    # 3. The result by post to the address of the account; no fee to pay.
    page.get_by_label("Qua bưu chính công ích").check()
    expect(page.get_by_label("Địa chỉ nhận kết quả qua bưu chính")).to_have_value(
        "12 Lê Lợi, phường A"
    )
    assert fits_a_phone(page)
    shot(page, "online-06-delivery")
    page.get_by_role("button", name="Tiếp tục").click()

    # Review, then submit.
    papers = page.get_by_test_id("review-papers")
    expect(papers).to_contain_text("Tải lên: to-khai-ket-hon.pdf")
    expect(papers).to_contain_text("Lấy từ kho dữ liệu: Giấy xác nhận số 12/GXN")
    assert fits_a_phone(page)
    shot(page, "online-07-review")
    page.get_by_test_id("submit-dossier").click()

    # The receipt: code, lookup secret, status and the QR code of the tracking page.
    expect(page.get_by_test_id("receipt-status")).to_have_text("Đã nộp, chờ tiếp nhận")
    code = page.get_by_test_id("dossier-code").inner_text()
    dossier = Dossier.objects.get(code=code)
    expect(page.get_by_test_id("lookup-secret")).to_have_text(dossier.lookup_secret)
    expect(page.get_by_test_id("receipt-qr").locator("svg")).to_be_visible()
    assert fits_a_phone(page)
    shot(page, "online-08-receipt")
    arrivals = set(dossier.components.values_list("arrival", flat=True))
    assert arrivals == {Arrival.UPLOADED, Arrival.REUSED}
    assert dossier.return_address == "12 Lê Lợi, phường A"

    # The desk officer finds it among the dossiers awaiting acceptance.
    switch_to(page, base, "binh")
    page.goto(f"{base}/can-bo/ho-so/?hang=cho-tiep-nhan")
    expect(page.get_by_role("link", name=code)).to_be_visible()
    shot(page, "online-09-desk-queue")
