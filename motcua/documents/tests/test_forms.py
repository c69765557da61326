"""The official forms 01–07 as PDFs (and the tracking book as a spreadsheet), rendered from
dossiers that real actions produced, read back with pypdf and openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from motcua.documents import forms, links
from motcua.documents.pdf import qr_png
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, EventKind
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure, submission
from motcua.testing.personas import Personas


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """All pages' text with runs of white space (line breaks included) made one space."""
    text = " ".join(page.extract_text() for page in read(pdf).pages)
    return re.sub(r"\s+", " ", text)


def finish_all_steps(dossier: Dossier, p: Personas) -> None:
    """The four counted steps of `make_process_procedure`, each by its holder."""
    actions.forward(dossier.pk, actor=p.binh)
    actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
    actions.forward(dossier.pk, actor=p.chi)
    actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12")


class ReceiptTests(PersonaTestCase):
    """Form 01, issued when Bình accepts An's dossier on Monday 16 March 2026 at 09:00."""

    def setUp(self) -> None:
        self.version = make_process_procedure(name="Cấp giấy xác nhận tình trạng hôn nhân")
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)
            self.pdf = forms.render_form("01", self.dossier)
        self.text = text_of(self.pdf)

    def test_it_names_the_dossier_the_applicant_and_the_procedure_with_diacritics(self) -> None:
        for expected in (
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            f"Mã hồ sơ: {self.dossier.code}",
            "Ông/Bà: Nguyễn Văn An",
            "Số định danh cá nhân/tổ chức: 038090001234",
            "12 Lê Lợi, phường A",
            "Cấp giấy xác nhận tình trạng hôn nhân",
            "Tờ khai",
        ):
            assert expected in self.text

    def test_it_carries_the_national_header_with_the_province_as_the_place(self) -> None:
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in self.text
        assert "Độc lập - Tự do - Hạnh phúc" in self.text
        assert "UBND PHƯỜNG A" in self.text
        assert "TRUNG TÂM PVHCC" in self.text
        assert "Số: ……/TNHS" in self.text
        assert "Thử Nghiệm, ngày 16 tháng 3 năm 2026" in self.text

    def test_it_states_the_limit_the_times_and_the_return_place(self) -> None:
        assert "3 ngày làm việc" in self.text
        assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 16/03/2026" in self.text
        assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 19/03/2026" in (
            self.text
        )
        assert "6. Đăng ký nhận kết quả tại: Trung tâm PVHCC phường A" in self.text
        assert "2. Số lượng hồ sơ: 01 bộ" in self.text

    def test_it_keeps_the_first_appointment_after_an_extension(self) -> None:
        with time_machine.travel(at(17, 9), tick=False):
            actions.extend(
                self.dossier.pk, actor=self.p.hung, new_due=dt.date(2026, 3, 24), reason="Xác minh"
            )
        self.dossier.refresh_from_db()
        text = text_of(forms.render_form("01", self.dossier))
        assert "ngày 19/03/2026" in text
        assert "24/03/2026" not in text

    def test_it_is_signed_by_the_receiving_officer_and_the_submitter(self) -> None:
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in self.text
        assert "Lê Thị Bình" in self.text
        assert "NGƯỜI NỘP HỒ SƠ" in self.text

    def test_it_enters_the_dossier_in_the_tracking_book_of_its_reception_point(self) -> None:
        assert "Quyển số: 2026, Số thứ tự: 1." in self.text
        with time_machine.travel(at(16, 10), tick=False):
            second = desk_dossier(self.p, self.version)
        assert forms.tracking_entry(second) == (2026, 2)
        assert forms.tracking_entry(self.dossier) == (2026, 1)
        assert "Số thứ tự: 2." in text_of(forms.render_form("01", second))

    def test_a_representative_is_printed_with_the_authoriser(self) -> None:
        applicant = actions.Applicant(
            name="Nguyễn Văn An",
            identity_number="038090001234",
            address="12 Lê Lợi, phường A",
            representative_name="Trần Thị Hà",
            representative_identity_number="038195004567",
        )
        with time_machine.travel(at(16, 10), tick=False):
            dossier = actions.receive_at_desk(
                submission(self.p, self.version, applicant=applicant), officer=self.p.binh
            )
            text = text_of(forms.render_form("01", dossier))
        assert "Người ủy quyền (chủ hồ sơ): Nguyễn Văn An" in text
        assert "Người được ủy quyền nộp hồ sơ: Trần Thị Hà" in text
        assert "Số định danh người được ủy quyền: 038195004567" in text

    def test_it_embeds_its_font_and_the_qr_code_of_the_tracking_page(self) -> None:
        assert b"/FontFile2" in self.pdf
        url = links.tracking_url(self.dossier)
        assert forms.qr_payload(self.dossier) == url
        assert self.dossier.code in url
        assert self.dossier.lookup_secret in url
        page = read(self.pdf).pages[0]
        (image,) = page.images
        embedded = image.image
        assert embedded is not None
        expected = Image.open(qr_png(url))
        assert embedded.size == expected.size
        assert embedded.convert("L").tobytes() == expected.convert("L").tobytes()
        assert "Quét mã để tra cứu hồ sơ" in self.text
        assert url in re.sub(r"\s+", "", self.text)

    def test_it_sets_the_document_metadata(self) -> None:
        reader = read(self.pdf)
        assert reader.metadata is not None
        assert reader.metadata.title == forms.FORM_TITLES["01"]
        assert reader.metadata.author == "Trung tâm PVHCC phường A"
        assert reader.metadata.creator == "motcua"
        assert str(reader.root_object["/Lang"]) == "vi-VN"

    def test_the_footer_carries_the_code_and_page_number(self) -> None:
        assert f"Mã hồ sơ: {self.dossier.code}" in self.text
        assert "Trang 1/1" in self.text

    def test_the_download_name_holds_the_form_and_the_code(self) -> None:
        assert forms.form_filename("01", self.dossier) == f"mau-01-{self.dossier.code}.pdf"

    def test_a_form_without_its_event_is_refused(self) -> None:
        with pytest.raises(ValueError, match="mẫu 03"):
            forms.render_form("03", self.dossier)
        with pytest.raises(ValueError, match="mẫu phiếu số 09"):
            forms.render_form("09", self.dossier)
        accepted = self.dossier.events.get(kind=EventKind.ACCEPTED)
        with pytest.raises(ValueError, match="mẫu 02"):
            forms.render_form("02", self.dossier, event=accepted)


class NoticeTests(PersonaTestCase):
    """Forms 02–05, each from the event that issues it."""

    def setUp(self) -> None:
        self.version = make_process_procedure(name="Đăng ký khai sinh")

    def test_the_supplement_request_lists_what_is_missing_and_the_guide(self) -> None:
        missing = "Bản sao giấy chứng sinh\nGiấy xác nhận nơi cư trú của người mẹ"
        with time_machine.travel(at(16, 9, 15), tick=False):
            dossier = desk_dossier(self.p, self.version, decision="supplement", reason=missing)
            event = dossier.events.get(kind=EventKind.SUPPLEMENT_REQUESTED)
            text = text_of(forms.render_form("02", dossier, event=event))
        for expected in (
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "Số: ……/HDHS",
            f"Mã hồ sơ: {dossier.code}",
            "Hồ sơ của: Nguyễn Văn An",
            "Đăng ký khai sinh",
            "– Bản sao giấy chứng sinh",
            "– Giấy xác nhận nơi cư trú của người mẹ",
            "Lần yêu cầu bổ sung: 1",
            "Thời gian yêu cầu: 09 giờ 15 phút, ngày 16/03/2026",
            "NGƯỜI HƯỚNG DẪN",
            "Lê Thị Bình",
        ):
            assert expected in text

    def test_the_refusal_gives_the_reasons(self) -> None:
        reason = "Thủ tục không thuộc thẩm quyền giải quyết của UBND phường A"
        with time_machine.travel(at(16, 14, 5), tick=False):
            dossier = desk_dossier(self.p, self.version, decision="refuse", reason=reason)
            text = text_of(forms.render_form("03", dossier))
        for expected in (
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "Số: ……/TCHS",
            f"Mã hồ sơ: {dossier.code}",
            "Ông/Bà: Nguyễn Văn An",
            "từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau",
            reason,
            "NGƯỜI TỪ CHỐI",
            "Lê Thị Bình",
        ):
            assert expected in text

    def test_the_apology_gives_the_old_and_new_appointment_signed_by_the_head(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(self.p, self.version)
        with time_machine.travel(at(17, 10), tick=False):
            actions.extend(
                dossier.pk,
                actor=self.p.hung,
                new_due=dt.date(2026, 3, 24),
                reason="Chờ kết quả xác minh của Công an xã",
            )
            dossier.refresh_from_db()
            text = text_of(forms.render_form("04", dossier))
        for expected in (
            "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ",
            "Số: ……/PXL",
            "UBND TỈNH THỬ NGHIỆM",
            "Kính gửi: Nguyễn Văn An",
            "Ngày 16/03/2026, UBND phường A tiếp nhận",
            "Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 19/03/2026",
            "Chờ kết quả xác minh của Công an xã",
            "thành thật xin lỗi",
            "Thời gian hẹn trả kết quả mới: 17 giờ 00 phút, ngày 24/03/2026",
            "THỦ TRƯỞNG CƠ QUAN",
            "Nguyễn Quốc Hùng",
            "Thử Nghiệm, ngày 17 tháng 3 năm 2026",
        ):
            assert expected in text

    def test_the_stop_notice_gives_the_reason(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(self.p, self.version)
        with time_machine.travel(at(18, 8, 30), tick=False):
            actions.stop(dossier.pk, actor=self.p.hung, reason="Người nộp đề nghị dừng giải quyết")
            text = text_of(forms.render_form("05", dossier))
        for expected in (
            "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            f"Mã hồ sơ: {dossier.code}",
            "Kính gửi: Nguyễn Văn An",
            "thông báo dừng giải quyết hồ sơ nêu trên kể từ 08 giờ 30 phút, ngày 18/03/2026",
            "Người nộp đề nghị dừng giải quyết",
            "Nguyễn Quốc Hùng",
        ):
            assert expected in text


class ControlSlipTests(PersonaTestCase):
    """Form 06: step due times are Mon 14:30, Tue 09:00, Wed 14:30, Thu 09:00 (the
    appointment); each hand-over is judged against its own step by day."""

    def setUp(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, version)
        with time_machine.travel(at(16, 11), tick=False):  # step 1 due Mon: on time
            actions.forward(self.dossier.pk, actor=self.p.binh)
        with time_machine.travel(at(16, 15), tick=False):  # step 2 due Tue: early
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        with time_machine.travel(at(20, 10), tick=False):  # step 3 due Wed: late
            actions.forward(self.dossier.pk, actor=self.p.chi, note="Đã thẩm định")
        with time_machine.travel(at(20, 11), tick=False):  # step 4 due Thu: late
            actions.forward(self.dossier.pk, actor=self.p.hung, result_summary="Giấy xác nhận")
        with time_machine.travel(at(20, 14), tick=False):
            actions.return_result(self.dossier.pk, actor=self.p.binh)
        self.dossier.refresh_from_db()

    def test_each_hand_over_is_marked_early_on_time_or_late(self) -> None:
        rows = forms.control_slip_rows(self.dossier)
        assert [r.result for r in rows] == [
            "",  # acceptance
            "Đúng hạn",
            "Trước hạn",
            "Quá hạn",
            "Quá hạn",
            "Quá hạn",  # returned on Friday, appointment Thursday
        ]
        assert rows[1].giver == "Trung tâm PVHCC phường A — Lê Thị Bình"
        assert rows[1].receiver == "UBND phường A (Phân công xử lý)"
        assert rows[3].notes == "Thẩm định, dự thảo kết quả: Đã thẩm định"
        assert rows[-1].receiver == "Người nộp hồ sơ: Nguyễn Văn An"

    def test_the_slip_prints_every_hop_with_its_time_and_result(self) -> None:
        with time_machine.travel(at(20, 15), tick=False):
            pdf = forms.render_form("06", self.dossier)
        text = text_of(pdf)
        for expected in (
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            f"Mã hồ sơ: {self.dossier.code}",
            "Cơ quan giải quyết hồ sơ: UBND phường A",
            "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 16/03/2026",
            "Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 19/03/2026",
            "1. Giao: Trung tâm PVHCC phường A — Lê Thị Bình",
            "2. Nhận: UBND phường A (Phân công xử lý)",
            "Đỗ Văn Giang",
            "Phạm Minh Chi",
            "11 giờ 00 phút, ngày 16/03/2026",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Thử Nghiệm, ngày 20 tháng 3 năm 2026",
        ):
            assert expected in text
        assert b"/FontFile2" in pdf


class TrackingBookTests(PersonaTestCase):
    """Form 07 over March 2026: two dossiers accepted at commune A's centre, one at commune
    B; a refused one and one accepted in April stay out."""

    def setUp(self) -> None:
        self.version = make_process_procedure(name="Chứng thực chữ ký")
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.first = desk_dossier(self.p, self.version)
        with time_machine.travel(at(17, 10, 30), tick=False):
            self.second = actions.receive_at_desk(
                submission(
                    self.p,
                    self.version,
                    applicant=actions.Applicant(
                        name="Công ty TNHH Ánh Dương",
                        phone="0237385000",
                        address="5 Trần Phú, phường A",
                        representative_name="Trần Thị Hà",
                    ),
                ),
                officer=self.p.binh,
            )
        with time_machine.travel(at(18, 9), tick=False):
            self.in_b = actions.receive_at_desk(
                submission(
                    self.p,
                    self.version,
                    competent_unit_id=self.p.commune_b.pk,
                    receiving_centre_id=self.p.commune_b.pk,
                ),
                officer=self.p.dung,
            )
            desk_dossier(self.p, self.version, decision="refuse", reason="Sai thẩm quyền")
        with time_machine.travel(at(6, 9, month=4), tick=False):
            desk_dossier(self.p, self.version)
        with time_machine.travel(at(17, 9), tick=False):
            finish_all_steps(self.first, self.p)
            actions.return_result(
                self.first.pk, actor=self.p.binh, via="post", tracking_number="EB123456789VN"
            )
        self.start, self.end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)

    def test_the_book_lists_the_subtree_s_dossiers_accepted_in_the_period(self) -> None:
        rows = forms.tracking_book_rows(self.p.commune_a, self.start, self.end)
        assert [r.code for r in rows] == [self.first.code, self.second.code]
        assert [r.number for r in rows] == [1, 2]
        everything = forms.tracking_book_rows(self.p.province, self.start, self.end)
        assert [r.code for r in everything] == [self.first.code, self.second.code, self.in_b.code]
        assert [
            r.code for r in forms.tracking_book_rows(self.p.commune_b, self.start, self.end)
        ] == [self.in_b.code]

    def test_a_row_holds_the_columns_of_the_book(self) -> None:
        first, second = forms.tracking_book_rows(self.p.commune_a, self.start, self.end)
        assert first.procedure == "Chứng thực chữ ký"
        assert first.applicant == "Nguyễn Văn An"
        assert first.address_phone == "12 Lê Lợi, phường A, 0912345678"
        assert first.lead_unit == "UBND phường A"
        assert first.received_at == MONDAY_9AM
        assert first.appointment == at(19, 9)
        assert first.returned_at == at(17, 9)
        assert first.returned_how == "Qua bưu chính công ích, số hiệu bưu gửi EB123456789VN"
        assert second.applicant == "Công ty TNHH Ánh Dương (người nộp: Trần Thị Hà)"
        assert second.returned_at is None

    def test_the_pdf_is_a_landscape_book_with_every_row(self) -> None:
        with time_machine.travel(at(1, 9, month=4), tick=False):
            pdf = forms.tracking_book_pdf(self.p.commune_a, self.start, self.end)
        page = read(pdf).pages[0]
        assert page.mediabox.width > page.mediabox.height
        text = text_of(pdf)
        for expected in (
            "SỔ THEO DÕI HỒ SƠ",
            "Từ ngày 01/03/2026 đến ngày 31/03/2026",
            "UBND PHƯỜNG A",
            "Thử Nghiệm, ngày 01 tháng 4 năm 2026",
            "Tên thủ tục hành chính",
            "Công ty TNHH Ánh Dương",
            "Chứng thực chữ ký",
            "16/03/2026 09:00",
            "Qua bưu chính công ích",
            "Tổng số hồ sơ: 2.",
        ):
            assert expected in text
        compact = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", self.first.code) in compact
        assert self.in_b.code not in compact
        assert b"/FontFile2" in pdf

    def test_the_spreadsheet_has_a_bold_heading_and_real_dates(self) -> None:
        content = forms.tracking_book_xlsx(self.p.commune_a, self.start, self.end)
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        headings = [c.value for c in sheet[1]]
        assert headings[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
        assert "Phương thức nhận kết quả" in headings
        assert all(c.font.bold for c in sheet[1])
        assert sheet.max_row == 3
        assert sheet.column_dimensions["C"].width == 45
        received = sheet.cell(row=2, column=7)
        assert received.value == at(16, 9).replace(tzinfo=None)
        assert received.is_date
        assert received.number_format == forms.XLSX_DATE_FORMAT
        assert sheet.cell(row=2, column=10).value == at(17, 9).replace(tzinfo=None)
        assert sheet.cell(row=3, column=2).value == self.second.code
        assert sheet.cell(row=3, column=10).value is None
        assert forms.tracking_book_filename(self.p.commune_a, self.start, self.end, "xlsx") == (
            "so-theo-doi-H99.00001-20260301-20260331.xlsx"
        )

    def test_the_book_stays_in_vietnamese_whatever_the_user_s_language(self) -> None:
        with translation.override("en"):
            (first, _second) = forms.tracking_book_rows(self.p.commune_a, self.start, self.end)
        assert first.returned_how.startswith("Qua bưu chính công ích")
