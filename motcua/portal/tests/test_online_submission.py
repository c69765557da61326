"""Online submission from a procedure's page: the steps, drafts, uploads, reuse from the
store, the idempotent submit and the receipt — through the Django test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.models import Component, DocumentType
from motcua.documents.models import Document, DocumentKind, StoreItem, StoreSource
from motcua.documents.tests.signed_pdfs import small_pdf
from motcua.documents.uploads import save_upload
from motcua.dossiers import actions
from motcua.dossiers.models import Arrival, Channel, Dossier, EventKind
from motcua.dossiers.status import DossierStatus
from motcua.portal.models import DraftUpload, SubmissionDraft
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_procedure
from motcua.testing.dossiers import make_process_procedure

CODE = "1.000001"


def pdf(name: str = "to-khai.pdf", text: str = "Tờ khai đăng ký") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, small_pdf(text), content_type="application/pdf")


class OnlineSubmissionTests(PersonaTestCase):
    def setUp(self) -> None:
        self.kind = DocumentType.objects.create(
            code="giay_xac_nhan", name="Giấy xác nhận", valid_days=180
        )
        self.version = make_process_procedure(CODE, "Cấp giấy xác nhận")
        self.form = self.version.components.get()
        self.paper = Component.objects.create(
            version=self.version, position=2, name="Giấy xác nhận", copy_type="original"
        )
        Component.objects.filter(pk=self.paper.pk).update(document_type=self.kind)
        self.optional = Component.objects.create(
            version=self.version,
            position=3,
            name="Giấy ủy quyền",
            copy_type="certified_copy",
            required=False,
        )
        User.objects.filter(pk=self.p.an.pk).update(
            date_of_birth=dt.date(1990, 5, 17),
            address="12 Lê Lợi, phường A",
            email="an@example.vn",
        )
        self.p.an.refresh_from_db()
        self.client.force_login(self.p.an)

    # --- helpers ------------------------------------------------------------------------

    def start(self, client: Client | None = None) -> SubmissionDraft:
        client = client or self.client
        response = client.post(reverse("submission_start", args=[CODE]))
        assert response.status_code == 302
        draft = SubmissionDraft.objects.order_by("-created_at", "-pk").first()
        assert draft is not None
        assert response["Location"] == reverse("submission_step", args=[draft.key, "nguoi-nop"])
        return draft

    def url(self, draft: SubmissionDraft, step: str) -> str:
        return reverse("submission_step", args=[draft.key, step])

    def applicant(self, **changes: Any) -> dict[str, Any]:
        data = {
            "name": "Nguyễn Văn An",
            "identity_number": "038090001234",
            "date_of_birth": "1990-05-17",
            "phone": "0912345678",
            "email": "an@example.vn",
            "address": "12 Lê Lợi, phường A",
            "competent_unit": str(self.p.commune_a.pk),
            "go": "next",
        }
        data.update(changes)
        return data

    def papers(self, **answers: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"go": "next"}
        for component, answer in (
            (self.form, answers.get("form")),
            (self.paper, answers.get("paper")),
            (self.optional, answers.get("optional", {"choice": "none"})),
        ):
            for name, value in (answer or {}).items():
                data[f"c{component.pk}-{name}"] = value
        return data

    def stored_item(self, owner: User | None = None) -> StoreItem:
        owner = owner or self.p.an
        document = save_upload(
            pdf("giay-xac-nhan.pdf", "Giấy xác nhận số 12"),
            kind=DocumentKind.RESULT,
            created_by=owner,
        )
        return StoreItem.objects.create(
            owner=owner,
            document_type=self.kind,
            title="Giấy xác nhận số 12/GXN",
            document=document,
            source=StoreSource.RESULT,
        )

    def fill(self, draft: SubmissionDraft, item: StoreItem) -> None:
        """Steps 1–3 answered: the form uploaded, the paper reused from the store."""
        assert self.client.post(self.url(draft, "nguoi-nop"), self.applicant()).status_code == 302
        response = self.client.post(
            self.url(draft, "giay-to"),
            self.papers(
                form={"choice": "upload", "file": pdf()},
                paper={"choice": "reuse", "store_item": str(item.pk)},
            ),
        )
        assert response.status_code == 302, response.content.decode()
        response = self.client.post(
            self.url(draft, "nhan-ket-qua"), {"return_channel": "desk", "go": "next"}
        )
        assert response.status_code == 302, response.content.decode()

    # --- the procedure's page -----------------------------------------------------------

    def test_the_procedure_page_offers_online_submission_and_a_visitor_logs_in_first(
        self,
    ) -> None:
        start = reverse("submission_start", args=[CODE])
        page = self.client.get(reverse("procedure_detail", args=[CODE])).content.decode()
        assert "Nộp hồ sơ trực tuyến" in page
        assert start in page
        visitor = Client()
        response = visitor.get(start)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={start}"

    def test_a_procedure_without_online_submission_has_no_button_and_its_wizard_answers_404(
        self,
    ) -> None:
        make_procedure("1.000009", "Chứng thực bản sao", online_mode="none")
        page = self.client.get(reverse("procedure_detail", args=["1.000009"])).content.decode()
        assert 'data-testid="submit-online"' not in page
        start = reverse("submission_start", args=["1.000009"])
        assert self.client.get(start).status_code == 404
        assert self.client.post(start).status_code == 404
        assert not SubmissionDraft.objects.exists()

    # --- steps ----------------------------------------------------------------------------

    def test_the_applicant_step_is_pre_filled_from_the_profile(self) -> None:
        draft = self.start()
        page = self.client.get(self.url(draft, "nguoi-nop")).content.decode()
        for value in (
            'value="Nguyễn Văn An"',
            'value="038090001234"',
            'value="1990-05-17"',
            'value="0912345678"',
            'value="an@example.vn"',
            'value="12 Lê Lợi, phường A"',
        ):
            assert value in page, value
        assert '<label for="id_identity_number">Số định danh cá nhân' in page

    def test_a_missing_required_component_is_shown_next_to_it_and_the_values_are_kept(
        self,
    ) -> None:
        item = self.stored_item()
        draft = self.start()
        self.client.post(self.url(draft, "nguoi-nop"), self.applicant())
        response = self.client.post(
            self.url(draft, "giay-to"),
            self.papers(paper={"choice": "reuse", "store_item": str(item.pk)}),
        )
        assert response.status_code == 200
        page = response.content.decode()
        error = f'id="id_c{self.form.pk}-choice-error">Giấy tờ này là bắt buộc: hãy chọn cách nộp.'
        assert error in page
        assert f'<option value="{item.pk}" selected>' in page
        assert "Có thông tin chưa đúng hoặc còn thiếu" in page
        # An empty name on step 1 is shown by the field, and what was typed stays.
        response = self.client.post(
            self.url(draft, "nguoi-nop"), self.applicant(name="", phone="0912 345 678x")
        )
        page = response.content.decode()
        assert 'id="id_name-error"' in page
        assert 'value="0912 345 678x"' in page
        assert 'value="038090001234"' in page

    def test_a_file_with_the_wrong_content_is_refused_in_vietnamese_and_nothing_is_stored(
        self,
    ) -> None:
        draft = self.start()
        fake = SimpleUploadedFile(
            "to-khai.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        )
        response = self.client.post(
            self.url(draft, "giay-to"), self.papers(form={"choice": "upload", "file": fake})
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert f'id="id_c{self.form.pk}-file-error"' in page
        assert "không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)" in page
        assert not Document.objects.exists()
        assert not DraftUpload.objects.exists()

    def test_an_upload_survives_going_back_and_forth_between_steps(self) -> None:
        draft = self.start()
        self.client.post(self.url(draft, "nguoi-nop"), self.applicant())
        response = self.client.post(
            self.url(draft, "giay-to"),
            {**self.papers(form={"choice": "upload", "file": pdf()}), "go": "back"},
        )
        assert response["Location"] == self.url(draft, "nguoi-nop")
        page = self.client.get(self.url(draft, "giay-to")).content.decode()
        assert "Đã tải lên «to-khai.pdf»" in page
        # Continuing without choosing the file again keeps the one held for the draft.
        response = self.client.post(
            self.url(draft, "giay-to"),
            self.papers(
                form={"choice": "upload"}, paper={"choice": "upload", "file": pdf("b.pdf")}
            ),
        )
        assert response.status_code == 302
        assert DraftUpload.objects.filter(draft=draft).count() == 2
        assert Document.objects.filter(dossier=None).count() == 2

    def test_result_by_post_needs_an_address_and_the_fees_are_shown(self) -> None:
        draft = self.start()
        page = self.client.get(self.url(draft, "nhan-ket-qua")).content.decode()
        assert "Lệ phí: Lệ phí" in page
        assert "miễn phí" in page
        response = self.client.post(
            self.url(draft, "nhan-ket-qua"),
            {"return_channel": "post", "return_address": "", "go": "next"},
        )
        assert 'id="id_return_address-error">Nhập địa chỉ để gửi kết quả qua bưu chính.' in (
            response.content.decode()
        )

    # --- drafts ---------------------------------------------------------------------------

    def test_the_draft_resumes_after_logging_out_and_in(self) -> None:
        draft = self.start()
        self.client.post(
            self.url(draft, "nguoi-nop"), self.applicant(address="99 Trần Phú", go="save")
        )
        self.client.post(
            self.url(draft, "giay-to"), {**self.papers(form={"file": pdf()}), "go": "save"}
        )
        self.client.post(reverse("logout"))
        assert self.client.get(self.url(draft, "nguoi-nop")).status_code == 302
        self.client.force_login(self.p.an)
        listing = self.client.get(reverse("submission_drafts")).content.decode()
        assert "Cấp giấy xác nhận" in listing
        assert self.url(draft, "nguoi-nop") in listing
        assert (
            'value="99 Trần Phú"' in self.client.get(self.url(draft, "nguoi-nop")).content.decode()
        )
        papers = self.client.get(self.url(draft, "giay-to")).content.decode()
        assert "Đã tải lên «to-khai.pdf»" in papers

    def test_deleting_a_draft_deletes_the_files_uploaded_for_it(self) -> None:
        draft = self.start()
        self.client.post(
            self.url(draft, "giay-to"), {**self.papers(form={"file": pdf()}), "go": "save"}
        )
        name = str(Document.objects.get().file.name)
        assert default_storage.exists(name)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("submission_delete", args=[draft.key]))
        assert response.status_code == 302
        assert not SubmissionDraft.objects.exists()
        assert not Document.objects.exists()
        assert not default_storage.exists(name)

    # --- submit -----------------------------------------------------------------------------

    def test_reusing_a_paper_from_the_store_flags_the_component_reused(self) -> None:
        item = self.stored_item()
        draft = self.start()
        self.fill(draft, item)
        review = self.client.get(self.url(draft, "xem-lai")).content.decode()
        assert "Lấy từ kho dữ liệu: Giấy xác nhận số 12/GXN" in review
        assert "Tải lên: to-khai.pdf" in review
        response = self.client.post(reverse("submission_submit", args=[draft.key]))
        dossier = Dossier.objects.get()
        assert response["Location"] == reverse("submission_receipt", args=[dossier.pk])
        assert dossier.channel == Channel.ONLINE
        assert dossier.status == DossierStatus.SUBMITTED
        reused = dossier.components.get(component=self.paper)
        assert reused.arrival == Arrival.REUSED
        assert reused.files.get().reused_from == item
        uploaded = dossier.components.get(component=self.form)
        assert uploaded.arrival == Arrival.UPLOADED
        assert uploaded.files.get().filename == "to-khai.pdf"
        assert not dossier.components.filter(component=self.optional).exists()
        assert Document.objects.filter(dossier=None, kind=DocumentKind.COMPONENT).count() == 0
        assert not SubmissionDraft.objects.exists()
        event = dossier.events.get(kind=EventKind.SUBMITTED)
        assert event.data["declared"] == {"date_of_birth": "1990-05-17"}

    def test_submitting_twice_makes_one_dossier_and_shows_the_same_receipt(self) -> None:
        draft = self.start()
        self.fill(draft, self.stored_item())
        submit = reverse("submission_submit", args=[draft.key])
        first = self.client.post(submit)
        second = self.client.post(submit)
        assert Dossier.objects.count() == 1
        dossier = Dossier.objects.get()
        assert dossier.idempotency_key == str(draft.key)
        assert first["Location"] == second["Location"]
        receipt = self.client.get(first["Location"]).content.decode()
        assert dossier.code in receipt
        assert dossier.lookup_secret in receipt
        assert "Đã nộp, chờ tiếp nhận" in receipt
        assert "<svg" in receipt
        assert reverse("my_dossier", args=[dossier.pk]) in receipt

    def test_an_incomplete_draft_cannot_be_submitted(self) -> None:
        draft = self.start()
        self.client.post(self.url(draft, "nguoi-nop"), self.applicant())
        response = self.client.post(reverse("submission_submit", args=[draft.key]))
        assert response.status_code == 400
        assert "Hồ sơ chưa thể nộp" in response.content.decode()
        assert not Dossier.objects.exists()

    def test_another_citizen_gets_404_on_the_draft_and_the_receipt(self) -> None:
        draft = self.start()
        self.fill(draft, self.stored_item())
        other = Client()
        other.force_login(self.p.ha)
        for slug in ("nguoi-nop", "giay-to", "nhan-ket-qua", "xem-lai"):
            assert other.get(self.url(draft, slug)).status_code == 404
        assert other.post(self.url(draft, "nguoi-nop"), self.applicant()).status_code == 404
        assert other.post(reverse("submission_delete", args=[draft.key])).status_code == 404
        assert other.post(reverse("submission_submit", args=[draft.key])).status_code == 404
        assert not Dossier.objects.exists()
        self.client.post(reverse("submission_submit", args=[draft.key]))
        dossier = Dossier.objects.get()
        assert other.get(reverse("submission_receipt", args=[dossier.pk])).status_code == 404
        assert other.post(reverse("submission_submit", args=[draft.key])).status_code == 404
        assert self.client.get(reverse("submission_receipt", args=[dossier.pk])).status_code == 200

    def test_a_refused_file_is_reported_when_the_citizen_goes_back_without_fixing_it(
        self,
    ) -> None:
        draft = self.start()
        fake = SimpleUploadedFile("anh.png", b"not a png at all", content_type="image/png")
        response = self.client.post(
            self.url(draft, "giay-to"),
            {**self.papers(form={"choice": "upload", "file": fake}), "go": "back"},
            follow=True,
        )
        page = response.content.decode()
        assert "Tệp cho «Tờ khai» không được lưu:" in page
        assert not Document.objects.exists()

    def test_a_draft_of_a_version_no_longer_in_force_is_refused_on_the_review(self) -> None:
        draft = self.start()
        self.fill(draft, self.stored_item())
        make_procedure(CODE, "Cấp giấy xác nhận (sửa đổi)", effective_from=dt.date(2026, 1, 1))
        response = self.client.post(reverse("submission_submit", args=[draft.key]))
        assert response.status_code == 400
        assert "không còn hiệu lực" in response.content.decode()
        assert not Dossier.objects.exists()
        assert SubmissionDraft.objects.filter(pk=draft.pk).exists()

    def test_an_uploaded_paper_the_citizen_keeps_goes_into_their_store_on_acceptance(
        self,
    ) -> None:
        draft = self.start()
        self.client.post(self.url(draft, "nguoi-nop"), self.applicant())
        page = self.client.get(self.url(draft, "giay-to")).content.decode()
        assert f'name="c{self.paper.pk}-keep"' in page
        assert f'name="c{self.form.pk}-keep"' not in page  # untyped: never offered again
        self.client.post(
            self.url(draft, "giay-to"),
            self.papers(
                form={"choice": "upload", "file": pdf()},
                paper={"choice": "upload", "file": pdf("gxn.pdf"), "keep": "on"},
            ),
        )
        self.client.post(self.url(draft, "nhan-ket-qua"), {"return_channel": "desk"})
        review = self.client.get(self.url(draft, "xem-lai")).content.decode()
        assert "Tải lên: gxn.pdf (lưu vào kho dữ liệu khi hồ sơ được tiếp nhận)" in review
        self.client.post(reverse("submission_submit", args=[draft.key]))
        dossier = Dossier.objects.get()
        assert dossier.components.get(component=self.paper).keep_in_store
        assert not dossier.components.get(component=self.form).keep_in_store
        actions.accept(dossier.pk, actor=self.p.binh)
        kept = StoreItem.objects.get(owner=self.p.an)
        assert kept.document_type == self.kind
        assert kept.source == StoreSource.COMPONENT
        assert kept.document.filename == "gxn.pdf"
