"""The dossier page: what it shows, who may open it, forms that keep their input, and a
form rendered before another officer acted."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Unit, User
from motcua.backoffice.views import dossier_version
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, EventKind
from motcua.dossiers.status import DossierStatus as S
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure

from .journeys import at, at_specialist_step, justice_department, page_url, post_action


def text(html: str) -> str:
    """The page's text without tags and with single spaces, as a person reads it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class DossierPageTests(PersonaTestCase):
    version: ProcedureVersion
    dossier: Dossier

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_process_procedure()
        with at(0):
            cls.dossier = desk_dossier(cls.p, cls.version)

    def test_the_page_shows_the_summary_the_control_slip_the_ledger_and_the_timeline(
        self,
    ) -> None:
        self.client.force_login(self.p.binh)
        with at(1):
            response = self.client.get(page_url(self.dossier))
        assert response.status_code == 200
        page = text(response.content.decode())
        assert self.dossier.code in page
        assert "1.000001 — Cấp giấy xác nhận (phiên bản 1)" in page
        assert "Nguyễn Văn An · số định danh 038090001234" in page
        assert "Trực tiếp" in page
        assert "Trung tâm PVHCC phường A" in page
        assert "Đã tiếp nhận" in page
        assert "Hẹn trả kết quả 09:00 19/03/2026" in page
        assert "1. Tiếp nhận, kiểm tra, chuyển xử lý" in page  # the control slip
        assert "cộng 3 ngày làm việc (24 giờ làm việc)" in page  # the ledger explains it
        assert "hạn bước 2 khi tiếp nhận" in page
        assert "Tiếp nhận hồ sơ · Lê Thị Bình" in page  # the timeline: what and who
        assert "Mới nộp, chờ tiếp nhận → Đã tiếp nhận" in page
        assert "Phát hành mẫu 01" in page
        assert "Tờ khai Bản chính 1" in page  # components received

    def test_the_slip_marks_each_hand_over_and_the_ledger_shows_the_pause(self) -> None:
        with at(2):
            actions.forward(self.dossier.pk, actor=self.p.binh)
        with at(3):
            actions.request_supplement(self.dossier.pk, actor=self.p.giang, missing="Tờ khai ký")
        self.client.force_login(self.p.binh)
        paused = text(self.client.get(page_url(self.dossier)).content.decode())
        assert "Chờ bổ sung hồ sơ" in paused
        assert "Tạm dừng tính thời hạn từ 12:00 16/03/2026" in paused
        with at(24):
            actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        page = text(self.client.get(page_url(self.dossier)).content.decode())
        assert "Trước hạn" in page or "Đúng hạn" in page
        assert "tạm dừng chờ bổ sung" in page
        assert "Hẹn trả ban đầu 09:00 19/03/2026" in page

    def test_only_the_actions_the_officer_may_take_are_offered(self) -> None:
        self.client.force_login(self.p.binh)
        binh = self.client.get(page_url(self.dossier)).content.decode()
        offered = set(re.findall(r'data-testid="action-([a-z_]+)"', binh))
        assert offered == {"request_supplement", "forward", "withdraw"}
        self.client.force_login(self.p.hung)
        hung = self.client.get(page_url(self.dossier)).content.decode()
        assert set(re.findall(r'data-testid="action-([a-z_]+)"', hung)) == {"stop", "extend"}

    def test_the_forward_form_offers_the_officers_of_the_next_step(self) -> None:
        self.client.force_login(self.p.binh)
        page = self.client.get(page_url(self.dossier)).content.decode()
        form = page.split('data-testid="action-forward"')[1].split("</form>")[0]
        assert "Đỗ Văn Giang" in form
        assert "Phạm Minh Chi" not in form  # not a head of office

    def test_dung_of_commune_b_gets_not_found_and_a_missing_dossier_looks_the_same(self) -> None:
        self.client.force_login(self.p.dung)
        forbidden = self.client.get(page_url(self.dossier))
        missing = self.client.get("/can-bo/ho-so/987654/")
        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.content == missing.content

    def test_citizens_get_not_found_even_for_their_own_dossier(self) -> None:
        for citizen in (self.p.an, self.p.ha):
            self.client.force_login(citizen)
            assert self.client.get(page_url(self.dossier)).status_code == 404

    def test_a_visitor_is_sent_to_log_in(self) -> None:
        response = self.client.get(page_url(self.dossier))
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")

    def test_a_consultation_is_named_by_the_unit_consulted(self) -> None:
        unit, khoa = justice_department(self.p)
        with at(2):
            actions.forward(self.dossier.pk, actor=self.p.binh)
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
            actions.consult(
                self.dossier.pk, actor=self.p.chi, unit_id=unit.pk, question="Ý kiến?", hours=8
            )
        with at(5):
            actions.answer_consultation(self.dossier.pk, actor=khoa, answer="Đồng ý")
        self.client.force_login(self.p.chi)
        page = text(self.client.get(page_url(self.dossier)).content.decode())
        assert "Gửi lấy ý kiến, phối hợp · Phạm Minh Chi Lấy ý kiến Sở Tư pháp" in page
        assert "trả lời ý kiến của Sở Tư pháp: 11:00 17/03/2026" in page  # 8 working hours
        assert "Đồng ý — Lê Văn Khoa, 14:00 16/03/2026 Trước hạn" in page  # a day early

    def test_the_page_reads_a_fixed_number_of_queries_however_long_the_history(self) -> None:
        self.client.force_login(self.p.binh)
        with CaptureQueriesContext(connection) as short:
            self.client.get(page_url(self.dossier))
        with at(2):
            actions.forward(self.dossier.pk, actor=self.p.binh)
        with at(3):
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        with CaptureQueriesContext(connection) as long:
            self.client.get(page_url(self.dossier))
        assert len(long) <= len(short) + 2, [q["sql"] for q in long]


class ActionFormTests(PersonaTestCase):
    version: ProcedureVersion
    justice: tuple[Unit, User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_process_procedure()
        cls.justice = justice_department(cls.p)

    def test_a_missing_reason_is_shown_next_to_the_field_and_nothing_changes(self) -> None:
        with at(0):
            dossier = desk_dossier(self.p, self.version)
        self.client.force_login(self.p.binh)
        response = post_action(self.client, dossier, "request_supplement", missing="  ")
        assert response.status_code == 400
        body = response.content.decode()
        assert 'id="id_request_supplement-missing-error"' in body
        assert 'aria-invalid="true"' in body
        dossier.refresh_from_db()
        assert dossier.status == S.ACCEPTED

    def test_a_form_with_an_error_keeps_what_was_typed(self) -> None:
        with at(0):
            dossier = at_specialist_step(self.p, self.version)
        self.client.force_login(self.p.chi)
        response = post_action(
            self.client,
            dossier,
            "consult",
            unit=self.justice[0].pk,
            question="Xác minh nơi cư trú của người nộp",
            hours="0",
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "Xác minh nơi cư trú của người nộp</textarea>" in body
        assert f'<option value="{self.justice[0].pk}" selected>' in body
        assert not dossier.events.filter(kind=EventKind.CONSULTATION_OPENED).exists()

    def test_a_refusal_by_the_domain_is_shown_with_its_message(self) -> None:
        with at(0):
            dossier = desk_dossier(self.p, self.version)
        self.client.force_login(self.p.hung)
        with at(1):
            response = post_action(
                self.client, dossier, "extend", new_due="2026-03-17", reason="Cần xác minh"
            )
        assert response.status_code == 400
        assert "Hạn mới phải sau hạn hiện tại." in text(response.content.decode())
        dossier.refresh_from_db()
        assert dossier.extended_at is None

    def test_finishing_the_signing_step_needs_the_result(self) -> None:
        with at(0):
            dossier = at_specialist_step(self.p, self.version)
            actions.forward(dossier.pk, actor=self.p.chi)
        self.client.force_login(self.p.hung)
        response = post_action(self.client, dossier, "forward", note="Duyệt", result_summary="")
        assert response.status_code == 400
        assert 'id="id_forward-result_summary-error"' in response.content.decode()
        response = post_action(
            self.client, dossier, "forward", note="Duyệt", result_summary="Giấy xác nhận số 7"
        )
        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.status == S.RESULT_READY
        assert dossier.events.filter(kind=EventKind.APPROVED, actor=self.p.hung).exists()

    def test_posting_by_post_requires_a_tracking_number(self) -> None:
        from .journeys import result_ready

        with at(0):
            dossier = result_ready(self.p, self.version)
        self.client.force_login(self.p.binh)
        response = post_action(self.client, dossier, "return_result", via="post")
        assert response.status_code == 400
        assert 'id="id_return_result-tracking_number-error"' in response.content.decode()
        assert post_action(self.client, dossier, "return_result", via="desk").status_code == 302


class StaleFormTests(PersonaTestCase):
    version: ProcedureVersion

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_process_procedure()

    def test_a_form_rendered_before_another_officer_acted_is_not_used(self) -> None:
        with at(0):
            dossier = at_specialist_step(self.p, self.version)
        seen = dossier_version(dossier)
        with at(1):
            # Giang assigns Chi while Chi still has the page open: the dossier's status and
            # updated_at do not change, but the history does.
            actions.assign(dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        self.client.force_login(self.p.chi)
        with at(2):
            response = post_action(
                self.client, dossier, "send_back", version=seen, to_position=2, reason="Sai"
            )
        assert response.status_code == 409
        page = text(response.content.decode())
        assert (
            "Hồ sơ vừa được người khác cập nhật: Phân công xử lý — Đỗ Văn Giang, 10:00 16/03/2026"
            in page
        )
        assert not dossier.events.filter(kind=EventKind.SENT_BACK).exists()
        # The page now carries the new version: the same action goes through.
        with at(3):
            again = post_action(self.client, dossier, "send_back", to_position=2, reason="Sai")
        assert again.status_code == 302

    def test_the_second_of_two_identical_forms_shows_what_the_first_did(self) -> None:
        with at(0):
            dossier = desk_dossier(self.p, self.version)
        seen = dossier_version(dossier)
        self.client.force_login(self.p.binh)
        with at(1):
            first = post_action(self.client, dossier, "forward", version=seen, note="")
            second = post_action(self.client, dossier, "forward", version=seen, note="")
        assert first.status_code == 302
        assert second.status_code == 409
        assert "Chuyển bước xử lý — Lê Thị Bình" in text(second.content.decode())
        assert dossier.events.filter(kind=EventKind.FORWARDED).count() == 1

    def test_an_officer_who_acts_between_the_check_and_the_action_is_reported(self) -> None:
        from unittest import mock

        from motcua.backoffice import views

        from .journeys import submitted

        with at(0):
            dossier = submitted(self.p, self.version)
        real_run = views._run

        def another_desk_refuses_first(*args: object, **kwargs: object) -> object:
            # Another desk refuses the dossier after our version check, before our action.
            actions.refuse(dossier.pk, actor=self.p.binh, reason="Sai thủ tục")
            return real_run(*args, **kwargs)  # type: ignore[arg-type]

        self.client.force_login(self.p.binh)
        with at(1), mock.patch.object(views, "_run", another_desk_refuses_first):
            response = post_action(self.client, dossier, "accept")
        assert response.status_code == 409
        page = text(response.content.decode())
        assert "Hồ sơ vừa được người khác cập nhật: Từ chối tiếp nhận — Lê Thị Bình" in page
        assert "(Sai thủ tục)" in page
        dossier.refresh_from_db()
        assert dossier.status == S.REFUSED
        assert not dossier.events.filter(kind=EventKind.ACCEPTED).exists()

    def test_a_missing_version_counts_as_stale(self) -> None:
        with at(0):
            dossier = desk_dossier(self.p, self.version)
        self.client.force_login(self.p.binh)
        response = self.client.post(f"/can-bo/ho-so/{dossier.pk}/thao-tac/forward/", {})
        assert response.status_code == 409
        assert not dossier.events.filter(kind=EventKind.FORWARDED).exists()
