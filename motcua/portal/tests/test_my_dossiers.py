"""The citizen's own dossiers: list, detail, answering a supplement request online,
withdrawal, downloads — and a 404 for anyone else on every one of these addresses."""

import datetime as dt
from unittest import mock

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.models import Document, DocumentKind
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, EventKind
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import (
    MONDAY_9AM,
    VN,
    desk_dossier,
    make_process_procedure,
    submission,
)


def pdf(name: str = "ban-sao-cccd.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, small_pdf(), content_type="application/pdf")


class MyDossiersTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)  # due Thu 19/03 09:00
            actions.forward(self.dossier.pk, actor=self.p.binh)
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)

    def ask_for_supplement(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=5), tick=False):  # Mon 14:00
            actions.request_supplement(
                self.dossier.pk, actor=self.p.chi, missing="Bản sao căn cước hai mặt"
            )

    def finish(self, dossier: Dossier) -> None:
        """Officers take the dossier to its result (and the result is returned)."""
        actions.forward(dossier.pk, actor=self.p.chi, note="Hồ sơ hợp lệ")
        actions.forward(dossier.pk, actor=self.p.hung, result_summary="Giấy xác nhận số 12")

    def detail(self) -> str:
        return reverse("my_dossier", args=[self.dossier.pk])


class ListTests(MyDossiersTestCase):
    def test_the_list_shows_only_the_citizens_own_dossiers_newest_first(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
            newer = desk_dossier(self.p, self.version)
        has = actions.receive_at_desk(
            submission(self.p, self.version, applicant=actions.Applicant(name="Trần Thị Hà")),
            officer=self.p.binh,
            applicant_user=self.p.ha,
        )
        self.client.force_login(self.p.an)
        response = self.client.get(reverse("my_dossiers"))
        body = response.content.decode()
        assert response.status_code == 200
        assert body.index(newer.code) < body.index(self.dossier.code)
        assert has.code not in body
        assert "Đã được tiếp nhận, sắp được giải quyết" in body  # plain words
        assert "19/03/2026" in body  # the due time

    def test_a_supplement_request_and_a_ready_result_carry_a_badge(self) -> None:
        self.ask_for_supplement()
        self.client.force_login(self.p.an)
        body = self.client.get(reverse("my_dossiers")).content.decode()
        assert "Cần bổ sung" in body
        assert "Cần bạn bổ sung giấy tờ" in body
        actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        self.finish(self.dossier)
        body = self.client.get(reverse("my_dossiers")).content.decode()
        assert "Kết quả đã sẵn sàng" in body
        assert "Đã có kết quả, mời bạn nhận" in body

    def test_the_list_is_paged(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
            newer = desk_dossier(self.p, self.version)
        self.client.force_login(self.p.an)
        with mock.patch("motcua.portal.citizen.PER_PAGE", 1):
            first = self.client.get(reverse("my_dossiers")).content.decode()
            second = self.client.get(reverse("my_dossiers") + "?trang=2").content.decode()
        assert newer.code in first
        assert self.dossier.code not in first
        assert self.dossier.code in second
        assert "Trang 2/2" in second


class SupplementAnswerTests(MyDossiersTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ask_for_supplement()
        self.client.force_login(self.p.an)

    def test_the_page_says_what_is_asked_and_offers_the_upload_form(self) -> None:
        body = self.client.get(self.detail()).content.decode()
        assert "Bản sao căn cước hai mặt" in body
        assert 'enctype="multipart/form-data"' in body
        assert 'accept=".pdf,.jpg,.jpeg,.png' in body
        assert "Thời hạn tạm dừng từ 14:00 16/03/2026" in body
        form_02 = Document.objects.get(dossier=self.dossier, form="02")
        assert reverse("document_download", args=[form_02.public_id]) in body

    def test_answering_online_attaches_the_files_resumes_the_clock_and_shifts_the_due_time(
        self,
    ) -> None:
        with time_machine.travel(dt.datetime(2026, 3, 23, 10, 0, tzinfo=VN), tick=False):
            response = self.client.post(
                reverse("my_dossier_supplement", args=[self.dossier.pk]),
                {"papers": [pdf(), pdf("mat-sau.pdf")], "note": "Hai mặt"},
            )
        assert response.status_code == 302
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.PROCESSING
        assert self.dossier.due_at == dt.datetime(2026, 3, 25, 16, 0, tzinfo=VN)
        body = self.client.get(self.detail()).content.decode()
        assert "Đã gửi giấy tờ bổ sung" in body
        assert "mat-sau.pdf" in body
        # The ledger explains the move in words.
        assert "hẹn trả kết quả đổi từ 09:00 19/03/2026 thành <strong>16:00 25/03/2026" in body
        assert "Cộng 37,5 giờ làm việc tạm dừng chờ bổ sung" in body
        assert "Hẹn trả kết quả khi tiếp nhận" in body

    def test_a_file_with_the_wrong_content_is_refused_next_to_the_field_keeping_the_note(
        self,
    ) -> None:
        before = Document.objects.count()
        fake = SimpleUploadedFile("ban-sao.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        response = self.client.post(
            reverse("my_dossier_supplement", args=[self.dossier.pk]),
            {"papers": [fake], "note": "Ghi chú của tôi"},
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert 'aria-invalid="true"' in body
        assert "không phải PDF, JPEG hoặc PNG" in body
        assert "Ghi chú của tôi" in body
        assert Document.objects.count() == before
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.SUPPLEMENT_REQUESTED

    def test_an_answer_after_the_desk_already_received_it_is_refused_in_words(self) -> None:
        actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        response = self.client.post(
            reverse("my_dossier_supplement", args=[self.dossier.pk]), {"papers": [pdf()]}
        )
        assert response.status_code == 400
        assert "Không thể «nhận hồ sơ bổ sung»" in response.content.decode()
        assert not self.dossier.components.filter(supplemented_at__isnull=False).exists()


class WithdrawalTests(MyDossiersTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.p.an)

    def test_withdrawal_before_a_result_works(self) -> None:
        assert "Gửi yêu cầu rút hồ sơ" in self.client.get(self.detail()).content.decode()
        response = self.client.post(
            reverse("my_dossier_withdraw", args=[self.dossier.pk]), {"reason": "Nộp nhầm"}
        )
        assert response.status_code == 302
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.WITHDRAWN
        body = self.client.get(self.detail()).content.decode()
        assert "Bạn đã rút hồ sơ" in body
        assert "Gửi yêu cầu rút hồ sơ" not in body

    def test_a_reason_is_required_and_shown_next_to_the_field(self) -> None:
        response = self.client.post(
            reverse("my_dossier_withdraw", args=[self.dossier.pk]), {"reason": ""}
        )
        assert response.status_code == 400
        assert "Hãy ghi lý do rút hồ sơ." in response.content.decode()
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.PROCESSING

    def test_withdrawal_is_refused_with_a_clear_message_once_a_result_exists(self) -> None:
        self.finish(self.dossier)
        body = self.client.get(self.detail()).content.decode()
        assert "Gửi yêu cầu rút hồ sơ" not in body
        response = self.client.post(
            reverse("my_dossier_withdraw", args=[self.dossier.pk]), {"reason": "Không cần nữa"}
        )
        assert response.status_code == 400
        assert "Hồ sơ đã có kết quả nên không thể rút nữa." in response.content.decode()
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.RESULT_READY
        assert not self.dossier.events.filter(kind=EventKind.WITHDRAWN).exists()


class DownloadTests(MyDossiersTestCase):
    def test_the_page_links_the_forms_and_the_result_of_this_dossier_only(self) -> None:
        other = desk_dossier(self.p, self.version)
        self.finish(self.dossier)
        self.client.force_login(self.p.an)
        body = self.client.get(self.detail()).content.decode()
        own = Document.objects.filter(dossier=self.dossier).exclude(kind=DocumentKind.COMPONENT)
        assert own.filter(kind=DocumentKind.FORM).exists()
        for document in own:
            url = reverse("document_download", args=[document.public_id])
            assert url in body
            assert self.client.get(url).status_code == 200
        for document in Document.objects.filter(dossier=other):
            assert str(document.public_id) not in body


class AnotherCitizenTests(MyDossiersTestCase):
    """Hà gets 404 on every address of An's dossier, GET and POST, whatever its state."""

    def addresses(self) -> list[str]:
        return [
            reverse("my_dossier", args=[self.dossier.pk]),
            reverse("my_dossier_supplement", args=[self.dossier.pk]),
            reverse("my_dossier_withdraw", args=[self.dossier.pk]),
        ]

    def assert_404_everywhere(self) -> None:
        self.client.force_login(self.p.ha)
        for url in self.addresses():
            assert self.client.get(url).status_code == 404, url
            assert self.client.post(url, {"reason": "x", "papers": [pdf()]}).status_code == 404
        for document in Document.objects.filter(dossier=self.dossier):
            url = reverse("document_download", args=[document.public_id])
            assert self.client.get(url).status_code == 404, url

    def test_another_citizen_gets_404_while_a_supplement_is_asked(self) -> None:
        self.ask_for_supplement()
        self.assert_404_everywhere()
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.SUPPLEMENT_REQUESTED

    def test_another_citizen_gets_404_once_the_result_is_ready(self) -> None:
        self.finish(self.dossier)
        self.assert_404_everywhere()
        self.client.force_login(self.p.ha)
        assert self.dossier.code not in self.client.get(reverse("my_dossiers")).content.decode()

    def test_an_unknown_dossier_gets_the_same_404(self) -> None:
        self.client.force_login(self.p.an)
        assert self.client.get(reverse("my_dossier", args=[999999])).status_code == 404
        assert self.client.post(reverse("my_dossier_withdraw", args=[999999])).status_code == 404

    def test_a_visitor_is_sent_to_log_in(self) -> None:
        for url in self.addresses():
            response = self.client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
