"""The applicant's own actions: answering a supplement request online, withdrawing."""

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import Document
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.dossiers import actions
from motcua.dossiers.actions.applicant import RESULT_EXISTS
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Arrival, DeadlineChange, EventKind, StepStatus
from motcua.dossiers.status import DossierStatus
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, VN, desk_dossier, make_process_procedure


def pdf(name: str = "ban-sao-cccd.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, small_pdf(), content_type="application/pdf")


def stored_files() -> set[str]:
    return {str(d.file.name) for d in Document.objects.all()}


def files_on_disk() -> set[Path]:
    root = Path(default_storage.path(""))
    return {f for f in root.rglob("*") if f.is_file()} if root.exists() else set()


class AnswerSupplementOnlineTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)  # due Thu 19/03 09:00
            actions.forward(self.dossier.pk, actor=self.p.binh)
            actions.forward(self.dossier.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=5), tick=False):  # Mon 14:00
            actions.request_supplement(self.dossier.pk, actor=self.p.chi, missing="Bản sao CCCD")

    def test_the_answer_attaches_the_files_resumes_the_clock_and_shifts_the_due_time(
        self,
    ) -> None:
        with time_machine.travel(dt.datetime(2026, 3, 23, 10, 0, tzinfo=VN), tick=False):
            actions.answer_supplement_online(
                self.dossier.pk,
                applicant=self.p.an,
                files=[pdf(), pdf("trang-2.pdf")],
                note="Gửi bản sao CCCD hai mặt",
            )
        self.dossier.refresh_from_db()
        # Mon 14:00 → next Mon 10:00 is 3 h + 4 × 8 h + 2,5 h = 37,5 working hours paused.
        assert self.dossier.status == DossierStatus.PROCESSING
        assert self.dossier.paused_at is None
        assert self.dossier.paused_seconds == 37.5 * 3600
        assert self.dossier.due_at == dt.datetime(
            2026, 3, 25, 16, 0, tzinfo=VN
        )  # Thu 09:00 + 37,5 h
        assert self.dossier.original_due_at == dt.datetime(2026, 3, 19, 9, 0, tzinfo=VN)
        step = self.dossier.steps.get(status=StepStatus.ACTIVE)
        assert step.due_at == dt.datetime(2026, 3, 25, 10, 30, tzinfo=VN)
        line = DeadlineChange.objects.filter(dossier=self.dossier, step=None).last()
        assert line is not None
        assert line.reason.startswith("cộng 37,5 giờ làm việc tạm dừng chờ bổ sung")
        component = self.dossier.components.get(supplemented_at__isnull=False)
        assert component.arrival == Arrival.UPLOADED
        assert component.name == "Giấy tờ bổ sung lần 1 (nộp trực tuyến)"
        assert sorted(component.files.values_list("filename", flat=True)) == [
            "ban-sao-cccd.pdf",
            "trang-2.pdf",
        ]
        assert all(d.created_by_id == self.p.an.pk for d in component.files.all())
        event = self.dossier.events.get(kind=EventKind.SUPPLEMENT_RECEIVED)
        assert event.actor == self.p.an
        assert event.reason == "Gửi bản sao CCCD hai mặt"
        assert event.data["online"] is True
        assert event.data["added_seconds"] == 37.5 * 3600

    def test_it_shifts_the_due_time_exactly_as_the_desk_would(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            twin = desk_dossier(self.p, self.version)
            actions.forward(twin.pk, actor=self.p.binh)
            actions.forward(twin.pk, actor=self.p.giang, assignee_id=self.p.chi.pk)
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=5), tick=False):
            actions.request_supplement(twin.pk, actor=self.p.chi, missing="Bản sao CCCD")
        with time_machine.travel(dt.datetime(2026, 3, 18, 15, 30, tzinfo=VN), tick=False):
            actions.answer_supplement_online(self.dossier.pk, applicant=self.p.an, files=[pdf()])
            actions.receive_supplement(twin.pk, actor=self.p.binh)
        self.dossier.refresh_from_db()
        twin.refresh_from_db()
        # Mon 14:00 → Wed 15:30 is 3 + 8 + 6,5 = 17,5 working hours.
        assert self.dossier.paused_seconds == twin.paused_seconds == 17.5 * 3600
        assert self.dossier.due_at == twin.due_at
        assert self.dossier.status == twin.status == DossierStatus.PROCESSING

    def test_a_file_whose_content_is_not_a_pdf_is_refused_and_nothing_is_stored(self) -> None:
        before_rows, before = stored_files(), files_on_disk()
        fake = SimpleUploadedFile("to-khai.pdf", b"<html>not a pdf</html>", "application/pdf")
        with pytest.raises(ActionRefused, match="không phải PDF, JPEG hoặc PNG"):
            actions.answer_supplement_online(
                self.dossier.pk, applicant=self.p.an, files=[pdf(), fake]
            )
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
        assert self.dossier.paused_at is not None
        assert stored_files() == before_rows
        assert files_on_disk() == before
        assert not self.dossier.components.filter(supplemented_at__isnull=False).exists()
        assert not self.dossier.events.filter(kind=EventKind.SUPPLEMENT_RECEIVED).exists()

    def test_files_written_before_a_later_failure_are_removed_again(self) -> None:
        before = files_on_disk()
        with (
            mock.patch(
                "motcua.dossiers.actions.applicant.resume_after_supplement",
                side_effect=ActionRefused("hỏng giữa chừng"),
            ),
            pytest.raises(ActionRefused),
        ):
            actions.answer_supplement_online(self.dossier.pk, applicant=self.p.an, files=[pdf()])
        assert files_on_disk() == before
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.SUPPLEMENT_REQUESTED

    def test_no_file_is_refused(self) -> None:
        with pytest.raises(ActionRefused, match="ít nhất một tệp"):
            actions.answer_supplement_online(self.dossier.pk, applicant=self.p.an, files=[])

    def test_another_citizen_cannot_answer(self) -> None:
        with pytest.raises(ActionRefused):
            actions.answer_supplement_online(self.dossier.pk, applicant=self.p.ha, files=[pdf()])
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.SUPPLEMENT_REQUESTED

    def test_an_answer_when_nothing_was_asked_is_refused(self) -> None:
        actions.receive_supplement(self.dossier.pk, actor=self.p.binh)
        with pytest.raises(ActionRefused, match="nhận hồ sơ bổ sung"):
            actions.answer_supplement_online(self.dossier.pk, applicant=self.p.an, files=[pdf()])


class WithdrawOnlineTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        self.dossier = desk_dossier(self.p, self.version)

    def test_withdrawal_before_a_result_closes_the_dossier_with_the_reason(self) -> None:
        actions.withdraw_online(self.dossier.pk, applicant=self.p.an, reason="Nộp nhầm thủ tục")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.WITHDRAWN
        assert self.dossier.closed_at is not None
        event = self.dossier.events.get(kind=EventKind.WITHDRAWN)
        assert (event.actor, event.reason) == (self.p.an, "Nộp nhầm thủ tục")
        assert not self.dossier.steps.filter(status=StepStatus.ACTIVE).exists()

    def test_withdrawal_is_refused_once_a_result_exists(self) -> None:
        for actor in (self.p.binh, self.p.giang, self.p.chi, self.p.hung):
            actions.forward(
                self.dossier.pk,
                actor=actor,
                assignee_id=self.p.chi.pk if actor == self.p.giang else None,
                result_summary="Đã xác nhận" if actor == self.p.hung else "",
            )
        with pytest.raises(ActionRefused) as refused:
            actions.withdraw_online(self.dossier.pk, applicant=self.p.an, reason="Không cần nữa")
        assert refused.value.message == RESULT_EXISTS
        actions.return_result(self.dossier.pk, actor=self.p.binh)
        with pytest.raises(ActionRefused, match="đã có kết quả"):
            actions.withdraw_online(self.dossier.pk, applicant=self.p.an, reason="Không cần nữa")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.RETURNED

    def test_a_reason_is_required(self) -> None:
        with pytest.raises(ActionRefused, match="lý do"):
            actions.withdraw_online(self.dossier.pk, applicant=self.p.an, reason="  ")

    def test_another_citizen_cannot_withdraw(self) -> None:
        with pytest.raises(ActionRefused):
            actions.withdraw_online(self.dossier.pk, applicant=self.p.ha, reason="x")
        self.dossier.refresh_from_db()
        assert self.dossier.status == DossierStatus.ACCEPTED
