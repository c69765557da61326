"""Documents issued by the dossier's transitions: forms, the signed result, the store and
reuse, scans and the digitisation level — through the real actions and pages."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Role, UnitKind
from motcua.catalog import versions
from motcua.catalog.models import Component, DocumentType, ProcedureVersion, Step
from motcua.documents import pki
from motcua.documents.models import Document, DocumentKind, StoreItem, StoreSource
from motcua.documents.tests.signed_pdfs import pdfsig, small_pdf
from motcua.documents.verification import verify_pdf
from motcua.dossiers import actions
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Arrival, Digitisation, Dossier
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_officer, make_procedure
from motcua.testing.dossiers import (
    MONDAY_9AM,
    PROCESS,
    desk_dossier,
    make_process_procedure,
    submission,
)


def pdf_of(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        content: bytes = handle.read()
    return content


class IssuingTests(PersonaTestCase):
    tmp_path: Path

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def setUp(self) -> None:
        super().setUp()
        self.kind = DocumentType.objects.create(
            code="giay_xac_nhan", name="Giấy xác nhận", valid_days=180
        )
        self.version = make_process_procedure()
        ProcedureVersion.objects.filter(pk=self.version.pk).update(
            result_electronic=True, result_document_type=self.kind
        )
        self.version.refresh_from_db()

    def certify(self, *users: object) -> None:
        authority = pki.create_demo_authority()
        for user in users:
            pki.issue_demo_certificate(user, authority)  # type: ignore[arg-type]

    def finish(self, dossier: Dossier) -> Dossier:
        p = self.p
        actions.forward(dossier.pk, actor=p.binh)
        actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
        actions.forward(dossier.pk, actor=p.chi, note="Hồ sơ hợp lệ")
        actions.forward(dossier.pk, actor=p.hung, result_summary="Giấy xác nhận số 12/GXN")
        actions.return_result(dossier.pk, actor=p.binh)
        dossier.refresh_from_db()
        return dossier

    def test_accepting_stores_form_01_unsigned_when_the_officer_has_no_certificate(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(self.p, self.version)
        form = dossier.documents.get(kind=DocumentKind.FORM)
        assert form.form == "01"
        assert form.signed_at is None
        assert pdf_of(form).startswith(b"%PDF-")
        assert form.filename == f"mau-01-{dossier.code}.pdf"

    def test_accepting_stores_form_01_signed_by_the_receiving_officer(self) -> None:
        self.certify(self.p.binh)
        dossier = desk_dossier(self.p, self.version)
        form = dossier.documents.get(form="01")
        assert form.signed_by == self.p.binh
        report = verify_pdf(pdf_of(form))
        assert report.verdict == "valid"
        assert "Signature is Valid" in pdfsig(pdf_of(form), self.tmp_path)

    def test_supplement_request_and_refusal_store_forms_02_and_03(self) -> None:
        asked = desk_dossier(self.p, self.version, "supplement", "Bản sao giấy khai sinh")
        refused = desk_dossier(self.p, self.version, "refuse", "Không thuộc thẩm quyền")
        assert list(asked.documents.values_list("form", flat=True)) == ["02"]
        assert list(refused.documents.values_list("form", flat=True)) == ["03"]

    def test_the_result_is_signed_by_the_leader_and_kept_in_the_applicants_store(self) -> None:
        self.certify(self.p.binh, self.p.hung)
        dossier = self.finish(desk_dossier(self.p, self.version))
        result = dossier.documents.get(kind=DocumentKind.RESULT)
        assert result.signed_by == self.p.hung
        assert dossier.result_electronic
        assert "Signature is Valid" in pdfsig(pdf_of(result), self.tmp_path)
        assert verify_pdf(pdf_of(result)).verdict == "valid"
        assert dossier.documents.filter(form="06").exists()  # the final control slip
        item = StoreItem.objects.get(owner=self.p.an)
        assert item.source == StoreSource.RESULT
        assert item.document == result
        assert item.document_type == self.kind
        assert item.valid_until == timezone.localdate() + dt.timedelta(days=180)

    def test_when_the_registry_closes_the_process_the_result_carries_the_leaders_signature(
        self,
    ) -> None:
        khanh = make_officer("khanh", "Vũ Thị Khánh", self.p.commune_a, Role.REGISTRY)
        steps = [*PROCESS[:3], ("Ký duyệt kết quả", Role.SIGNING_LEADER, UnitKind.COMMUNE, 3, True)]
        steps.append(("Vào sổ, đóng dấu", Role.REGISTRY, UnitKind.COMMUNE, 1, True))
        version = make_procedure(
            "1.000003", "Cấp giấy xác nhận (văn thư)", limit="3", publish=False
        )
        version.steps.all().delete()
        for position, (name, role, kind, hours, counted) in enumerate(steps, start=1):
            Step.objects.create(
                version=version,
                position=position,
                name=name,
                role=role,
                unit_kind=kind,
                budget_hours=Decimal(hours),
                counted=counted,
            )
        ProcedureVersion.objects.filter(pk=version.pk).update(result_electronic=True)
        versions.publish(version.pk)
        self.certify(self.p.binh, self.p.hung, khanh)
        dossier = desk_dossier(self.p, version)
        p = self.p
        actions.forward(dossier.pk, actor=p.binh)
        actions.forward(dossier.pk, actor=p.giang, assignee_id=p.chi.pk)
        actions.forward(dossier.pk, actor=p.chi)
        actions.forward(dossier.pk, actor=p.hung)
        actions.forward(dossier.pk, actor=khanh, result_summary="Giấy xác nhận số 13/GXN")
        result = Document.objects.get(dossier=dossier, kind=DocumentKind.RESULT)
        assert result.signed_by == p.hung
        assert "Nguyễn Quốc Hùng" in pdfsig(pdf_of(result), self.tmp_path)

    def test_without_a_certificate_the_result_is_stored_but_not_electronic(self) -> None:
        dossier = self.finish(desk_dossier(self.p, self.version))
        assert dossier.documents.filter(kind=DocumentKind.RESULT, signed_at=None).exists()
        assert not dossier.result_electronic
        assert not StoreItem.objects.exists()

    def test_a_later_dossier_reuses_the_stored_result_and_the_citizen_is_told(self) -> None:
        self.certify(self.p.binh, self.p.hung)
        self.finish(desk_dossier(self.p, self.version))
        item = StoreItem.objects.get(owner=self.p.an)
        later = make_process_procedure("1.000002", "Đăng ký kết hôn")
        needed = Component.objects.create(
            version=later, position=1, name="Giấy xác nhận", copy_type="original", count=1
        )
        Component.objects.filter(pk=needed.pk).update(document_type=self.kind)
        given = [
            actions.ReceivedComponent(
                name=c.name,
                copy_type=c.copy_type,
                component_id=c.pk,
                store_item_id=item.pk if c.pk == needed.pk else None,
                exemption="" if c.pk == needed.pk else "shown",
            )
            for c in later.components.all()
        ]
        dossier = actions.receive_at_desk(
            submission(self.p, later, components=given),
            officer=self.p.binh,
            applicant_user=self.p.an,
        )
        reused = dossier.components.get(component=needed)
        assert reused.arrival == Arrival.REUSED
        assert reused.files.get().reused_from == item
        assert dossier.digitisation == Digitisation.FULL
        self.client.force_login(self.p.an)
        page = self.client.get(reverse("my_dossier", args=[dossier.pk])).content.decode()
        assert "Bạn không phải mang giấy tờ này" in page
        self.client.force_login(self.p.ha)
        assert self.client.get(reverse("my_dossier", args=[dossier.pk])).status_code == 404

    def test_reusing_another_persons_paper_is_refused_and_leaves_nothing(self) -> None:
        self.certify(self.p.binh, self.p.hung)
        self.finish(desk_dossier(self.p, self.version))
        item = StoreItem.objects.get(owner=self.p.an)
        component = self.version.components.first()
        assert component is not None
        Component.objects.filter(pk=component.pk).update(document_type=self.kind)
        given = [
            actions.ReceivedComponent(
                name=component.name,
                copy_type=component.copy_type,
                component_id=component.pk,
                store_item_id=item.pk,
            )
        ]
        before = Dossier.objects.count()
        with pytest.raises(
            actions.ActionRefused if hasattr(actions, "ActionRefused") else Exception
        ):
            actions.receive_at_desk(
                submission(self.p, self.version, components=given),
                officer=self.p.binh,
                applicant_user=self.p.ha,
            )
        assert Dossier.objects.count() == before

    def test_a_scan_at_the_desk_is_stored_and_the_dossier_partly_digitised(self) -> None:
        components = list(self.version.components.all())
        scan = SimpleUploadedFile("to-khai.pdf", small_pdf(), content_type="application/pdf")
        given = [
            actions.ReceivedComponent(
                name=c.name,
                copy_type=c.copy_type,
                component_id=c.pk,
                upload=scan if i == 0 else None,
            )
            for i, c in enumerate(components)
        ]
        dossier = actions.receive_at_desk(
            submission(self.p, self.version, components=given),
            officer=self.p.binh,
            applicant_user=self.p.an,
        )
        first = dossier.components.order_by("position").first()
        assert first is not None
        assert first.arrival == Arrival.SCANNED
        assert len(first.files.get().sha256) == 64
        expected = Digitisation.FULL if len(components) == 1 else Digitisation.PARTIAL
        assert dossier.digitisation == expected

    def test_a_refused_intake_leaves_no_scan_in_the_storage(self) -> None:
        components = list(self.version.components.all())
        scan_bytes = small_pdf("Bản quét duy nhất của phép thử này")
        scan = SimpleUploadedFile("to-khai.pdf", scan_bytes, content_type="application/pdf")
        given = [
            actions.ReceivedComponent(
                name=c.name, copy_type=c.copy_type, component_id=c.pk, upload=scan
            )
            for c in components[:1]
        ]
        count = Document.objects.count()
        with pytest.raises(ActionRefused, match="lý do"):
            actions.receive_at_desk(
                submission(self.p, self.version, components=given),
                officer=self.p.binh,
                decision="refuse",
                reason="",
            )
        assert Document.objects.count() == count
        stored = [
            p
            for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")
            if p.stat().st_size == len(scan_bytes)
        ]
        assert stored == []

    def test_the_officer_downloads_the_control_slip_and_the_tracking_book(self) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = desk_dossier(self.p, self.version)
        self.client.force_login(self.p.binh)
        slip = self.client.get(reverse("backoffice:control_slip", args=[dossier.pk]))
        assert slip.status_code == 200
        assert slip["Content-Disposition"].startswith("attachment")
        book = self.client.get(
            reverse("backoffice:tracking_book", args=[self.p.commune_a.pk]),
            {"tu": "2026-03-01", "den": "2026-03-31", "dinh_dang": "xlsx"},
        )
        assert book.status_code == 200
        assert book["Content-Type"].startswith("application/vnd.openxmlformats")
        self.client.force_login(self.p.dung)
        assert (
            self.client.get(reverse("backoffice:control_slip", args=[dossier.pk])).status_code
            == 404
        )
