"""Work queues: what each officer finds in each queue, in due-time order, with counts."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import desk_dossier, make_process_procedure

from .journeys import (
    at,
    at_signing_step,
    at_specialist_step,
    justice_department,
    result_ready,
    submitted,
)

QUEUES = reverse("backoffice:queues")


def codes(html: str) -> list[str]:
    """Dossier codes in the order the queue table lists them."""
    return re.findall(r'<th scope="row"><a href="/can-bo/ho-so/\d+/">([^<]+)</a>', html)


def counts(html: str) -> dict[str, int]:
    return {
        key: int(n)
        for key, n in re.findall(
            r'data-testid="queue-([a-z-]+)">[^<]*<span class="queue-count">(\d+)</span>', html
        )
    }


class QueueTests(PersonaTestCase):
    version: ProcedureVersion
    online_early: Dossier
    online_late: Dossier
    at_desk: Dossier
    specialist: Dossier
    assigned: Dossier
    signing: Dossier
    ready: Dossier
    waiting: Dossier

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        cls.version = make_process_procedure()
        with at(0):
            cls.online_early = submitted(p, cls.version)
        with at(30):  # Tuesday: due for intake a day later
            cls.online_late = submitted(p, cls.version)
        with at(0):
            cls.at_desk = desk_dossier(p, cls.version)  # step 1: reception
            cls.specialist = at_specialist_step(p, cls.version)
            cls.assigned = at_specialist_step(p, cls.version)
            actions.assign(cls.assigned.pk, actor=p.giang, assignee_id=p.chi.pk)
            cls.signing = at_signing_step(p, cls.version)
            cls.ready = result_ready(p, cls.version)
            cls.waiting = desk_dossier(p, cls.version)
            actions.request_supplement(cls.waiting.pk, actor=p.binh, missing="Tờ khai")

    def get(self, user: object, queue: str = "") -> str:
        self.client.force_login(user)  # type: ignore[arg-type]
        with at(1):
            response = (
                self.client.get(QUEUES, {"hang": queue}) if queue else self.client.get(QUEUES)
            )
        assert response.status_code == 200
        return response.content.decode()

    def test_binh_at_the_desk_sees_intake_his_step_supplements_and_results(self) -> None:
        page = self.get(self.p.binh)
        assert counts(page) == {
            "cho-tiep-nhan": 2,
            "buoc-cua-toi": 1,
            "cho-bo-sung": 1,
            "cho-nop-phi": 0,
            "cho-tra-ket-qua": 1,
        }
        intake = self.get(self.p.binh, "cho-tiep-nhan")
        assert codes(intake) == [self.online_early.code, self.online_late.code]  # by due time
        assert codes(self.get(self.p.binh, "buoc-cua-toi")) == [self.at_desk.code]
        assert codes(self.get(self.p.binh, "cho-tra-ket-qua")) == [self.ready.code]
        assert codes(self.get(self.p.binh, "cho-bo-sung")) == [self.waiting.code]

    def test_chi_sees_the_specialist_steps_assigned_to_her_or_to_nobody(self) -> None:
        page = self.get(self.p.chi, "buoc-cua-toi")
        assert sorted(codes(page)) == sorted([self.specialist.code, self.assigned.code])
        assert "cho-tiep-nhan" not in counts(page)  # not a reception officer

    def test_giang_the_head_of_office_sees_his_offices_specialist_steps(self) -> None:
        page = self.get(self.p.giang, "buoc-cua-toi")
        assert sorted(codes(page)) == sorted([self.specialist.code, self.assigned.code])

    def test_hung_sees_the_signing_queue(self) -> None:
        page = self.get(self.p.hung, "lanh-dao-ky-duyet")
        assert counts(page)["lanh-dao-ky-duyet"] == 1
        assert codes(page) == [self.signing.code]
        assert "buoc-cua-toi" not in counts(page)  # signing has its own queue

    def test_the_first_queue_with_dossiers_is_shown_by_default(self) -> None:
        page = self.get(self.p.hung)  # nothing to sign first: supplements are listed first
        assert codes(page) == [self.waiting.code]
        assert 'aria-current="page" data-testid="queue-cho-bo-sung"' in page

    def test_dung_of_commune_b_sees_nothing_of_commune_a(self) -> None:
        page = self.get(self.p.dung)
        assert set(counts(page).values()) == {0}
        for key in counts(page):
            assert codes(self.get(self.p.dung, key)) == []

    def test_a_consulted_unit_finds_the_question_in_its_queue(self) -> None:
        unit, khoa = justice_department(self.p)
        with at(0):
            actions.consult(
                self.specialist.pk, actor=self.p.chi, unit_id=unit.pk, question="Ý kiến?", hours=4
            )
        page = self.get(khoa, "buoc-cua-toi")
        assert codes(page) == [self.specialist.code]
        assert "Lấy ý kiến: Ý kiến?" in page

    def test_thu_the_auditor_has_no_queue_but_is_told_to_search(self) -> None:
        page = self.get(self.p.thu)
        assert counts(page) == {}
        assert "Hãy dùng ô tìm kiếm" in page

    def test_time_left_is_written_in_words_and_coloured(self) -> None:
        self.client.force_login(self.p.binh)
        with at(0.5):  # 09:30 Monday: intake due 17:00 today
            soon = self.client.get(QUEUES, {"hang": "cho-tiep-nhan"}).content.decode()
        assert 'class="time-left due-soon"' in soon
        assert "Còn 6 giờ làm việc (dưới 1 ngày làm việc)" in soon
        with at(24 * 3):  # Thursday 09:00: Monday 17:00 was 17.5 working hours ago
            late = self.client.get(QUEUES, {"hang": "cho-tiep-nhan"}).content.decode()
        assert 'class="time-left overdue"' in late
        assert "Quá hạn 2 ngày 1 giờ làm việc" in late
        with at(0):
            fine = self.client.get(QUEUES, {"hang": "cho-tra-ket-qua"}).content.decode()
        assert 'class="time-left in-time"' in fine
        assert "Còn 3 ngày làm việc" in fine
        paused = self.get(self.p.binh, "cho-bo-sung")
        assert "Tạm dừng, chưa tính thời gian" in paused

    def test_an_unknown_queue_is_not_found(self) -> None:
        self.client.force_login(self.p.binh)
        assert self.client.get(QUEUES, {"hang": "khong-co"}).status_code == 404

    def test_citizens_get_not_found(self) -> None:
        for citizen in (self.p.an, self.p.ha):
            self.client.force_login(citizen)
            assert self.client.get(QUEUES).status_code == 404

    def test_the_home_page_shows_the_counts(self) -> None:
        self.client.force_login(self.p.binh)
        with at(1):
            page = self.client.get(reverse("backoffice:home")).content.decode()
        assert re.search(
            r'data-testid="home-queue-cho-tiep-nhan">\s*<span class="queue-count">2</span>', page
        )


class QueueEfficiencyTests(PersonaTestCase):
    def test_the_queue_page_reads_the_same_number_of_queries_for_2_or_12_dossiers(self) -> None:
        version = make_process_procedure()
        self.client.force_login(self.p.chi)

        def queries() -> int:
            with at(1), CaptureQueriesContext(connection) as captured:
                self.client.get(QUEUES, {"hang": "buoc-cua-toi"})
            return len(captured)

        with at(0):
            for _ in range(2):
                at_specialist_step(self.p, version)
        few = queries()
        with at(0):
            for _ in range(10):
                at_specialist_step(self.p, version)
        assert queries() == few

    def test_queues_are_paginated(self) -> None:
        version = make_process_procedure()
        with at(0):
            made = [submitted(self.p, version) for _ in range(21)]
        self.client.force_login(self.p.binh)
        with at(1):
            first = self.client.get(QUEUES, {"hang": "cho-tiep-nhan"}).content.decode()
            second = self.client.get(
                QUEUES, {"hang": "cho-tiep-nhan", "trang": "2"}
            ).content.decode()
        assert len(codes(first)) == 20
        assert codes(second) == [made[-1].code]
        assert "Trang 2/2" in second


class NavigationTests(PersonaTestCase):
    def test_officers_have_a_dossiers_link_in_the_header_and_citizens_do_not(self) -> None:
        link = f'<li><a href="{QUEUES}">Hồ sơ</a></li>'
        self.client.force_login(self.p.chi)
        assert link in self.client.get(reverse("backoffice:home")).content.decode()
        self.client.force_login(self.p.an)
        assert link not in self.client.get("/").content.decode()

    def test_only_desk_officers_are_offered_the_desk(self) -> None:
        desk = f'href="{reverse("backoffice:desk")}"'
        self.client.force_login(self.p.binh)
        assert desk in self.client.get(QUEUES).content.decode()
        self.client.force_login(self.p.chi)
        assert desk not in self.client.get(QUEUES).content.decode()
