"""The reception desk: choose the procedure, find the applicant, tick the papers, decide."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from motcua.catalog.models import Component, ProcedureVersion
from motcua.dossiers.models import Dossier, EventKind
from motcua.dossiers.status import DossierStatus as S
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import make_process_procedure

from .journeys import at

DESK = reverse("backoffice:desk")


class DeskTests(PersonaTestCase):
    version: ProcedureVersion
    components: list[Component]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = make_process_procedure()
        Component.objects.create(
            version=cls.version,
            position=2,
            name="Bản sao giấy khai sinh",
            copy_type="certified_copy",
            count=1,
            required=False,
        )
        cls.components = list(cls.version.components.order_by("position"))

    def form(self, decision: str = "accept", /, **overrides: object) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": self.version.pk,
            "channel": "direct",
            "identity_number": "079301001111",
            "name": "Võ Thị Lan",
            "phone": "0987654321",
            "email": "",
            "address": "5 Trần Phú, phường A",
            "representative_name": "",
            "representative_identity_number": "",
            "request_summary": "",
            "receiving_centre": self.p.centre_a.pk,
            "competent_unit": self.p.commune_a.pk,
            "return_channel": "desk",
            "return_address": "",
            "refuse_reason": "",
            "missing": "",
            "decision": decision,
            "tp-TOTAL_FORMS": len(self.components),
            "tp-INITIAL_FORMS": len(self.components),
        }
        for i, c in enumerate(self.components):
            data[f"tp-{i}-component"] = c.pk
            data[f"tp-{i}-received"] = "on"
            data[f"tp-{i}-copy_type"] = c.copy_type
            data[f"tp-{i}-count"] = 1
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def test_the_desk_finds_a_procedure_by_name_without_accents(self) -> None:
        self.client.force_login(self.p.binh)
        page = self.client.get(DESK, {"q": "cap giay xac nhan"}).content.decode()
        assert f"?thu-tuc={self.version.pk}" in page
        form = self.client.get(DESK, {"thu-tuc": self.version.pk}).content.decode()
        assert "Bản sao giấy khai sinh" in form  # the pinned version's components
        assert "Trung tâm PVHCC phường A" in form  # Bình's reception unit

    def test_binh_accepts_a_direct_dossier_and_sees_its_code_and_appointment(self) -> None:
        self.client.force_login(self.p.binh)
        with at(0):
            response = self.client.post(DESK, self.form(**{"tp-1-received": None}))
        assert response.status_code == 302, response.content.decode()[-3000:]
        dossier = Dossier.objects.get()
        assert response["Location"] == reverse("backoffice:dossier_detail", args=[dossier.pk])
        assert dossier.status == S.ACCEPTED
        assert dossier.channel == "direct"
        assert dossier.applicant_name == "Võ Thị Lan"
        assert dossier.applicant is None  # nobody has this identity number
        assert list(dossier.components.values_list("name", flat=True)) == ["Tờ khai"]
        assert dossier.events.filter(kind=EventKind.RECEIVED, actor=self.p.binh).exists()
        page = self.client.get(response["Location"]).content.decode()
        assert f"Đã tiếp nhận hồ sơ {dossier.code} (mẫu 01)." in page
        assert "09:00 19/03/2026" in page  # the appointment: 3 working days

    def test_looking_up_an_identity_number_fills_in_the_applicant_and_keeps_the_rest(
        self,
    ) -> None:
        self.client.force_login(self.p.binh)
        data = self.form(
            "lookup",
            identity_number=self.p.an.identity_number,
            name="",
            phone="",
            address="Số 1 đường Mới",
            **{"tp-1-received": None},
        )
        response = self.client.post(DESK, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Đã tìm thấy người nộp: Nguyễn Văn An." in page
        assert 'value="Nguyễn Văn An"' in page
        assert 'value="0912345678"' in page
        assert 'value="Số 1 đường Mới"' in page  # what the officer typed is kept
        assert not Dossier.objects.exists()
        with at(0):
            done = self.client.post(DESK, self.form(identity_number=self.p.an.identity_number))
        assert done.status_code == 302
        assert Dossier.objects.get().applicant == self.p.an  # An sees it on the portal

    def test_an_unknown_identity_number_asks_for_the_applicants_details(self) -> None:
        self.client.force_login(self.p.binh)
        page = self.client.post(DESK, self.form("lookup", name="")).content.decode()
        assert "Không có tài khoản nào với số định danh này" in page

    def test_errors_are_shown_next_to_the_fields_and_nothing_is_created(self) -> None:
        self.client.force_login(self.p.binh)
        data = self.form(identity_number="12345", name="", phone="abc", **{"tp-0-count": 0})
        response = self.client.post(DESK, data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="id_identity_number-error"' in page
        assert 'id="id_name-error"' in page
        assert "Nhập họ và tên người nộp hồ sơ." in page
        assert 'id="id_phone-error"' in page
        assert 'value="5 Trần Phú, phường A"' in page  # nothing typed is lost
        assert 'value="12345"' in page
        assert not Dossier.objects.exists()

    def test_a_required_paper_not_received_cannot_be_accepted(self) -> None:
        self.client.force_login(self.p.binh)
        response = self.client.post(DESK, self.form(**{"tp-0-received": None}))
        assert response.status_code == 400
        assert "Chưa nhận «Tờ khai» (bắt buộc)" in response.content.decode()
        assert not Dossier.objects.exists()

    def test_asking_for_supplements_needs_what_is_missing(self) -> None:
        self.client.force_login(self.p.binh)
        response = self.client.post(DESK, self.form("supplement", **{"tp-0-received": None}))
        assert response.status_code == 400
        assert 'id="id_missing-error"' in response.content.decode()
        with at(0):
            done = self.client.post(
                DESK,
                self.form("supplement", missing="Tờ khai có chữ ký", **{"tp-0-received": None}),
            )
        assert done.status_code == 302
        dossier = Dossier.objects.get()
        assert dossier.status == S.SUPPLEMENT_REQUESTED
        assert dossier.events.get(kind=EventKind.SUPPLEMENT_REQUESTED).form == "02"

    def test_refusing_needs_a_reason(self) -> None:
        self.client.force_login(self.p.binh)
        assert self.client.post(DESK, self.form("refuse")).status_code == 400
        with at(0):
            done = self.client.post(
                DESK, self.form("refuse", refuse_reason="Không thuộc thẩm quyền")
            )
        assert done.status_code == 302
        assert Dossier.objects.get().status == S.REFUSED

    def test_a_postal_dossier_with_result_by_post_needs_the_address(self) -> None:
        self.client.force_login(self.p.binh)
        data = self.form(channel="postal", return_channel="post")
        response = self.client.post(DESK, data)
        assert response.status_code == 400
        assert 'id="id_return_address-error"' in response.content.decode()
        with at(0):
            self.client.post(DESK, {**data, "return_address": "5 Trần Phú"})
        assert Dossier.objects.get().channel == "postal"

    def test_a_centre_outside_the_officers_units_is_refused(self) -> None:
        self.client.force_login(self.p.binh)
        response = self.client.post(DESK, self.form(receiving_centre=self.p.commune_b.pk))
        assert response.status_code == 400
        assert 'id="id_receiving_centre-error"' in response.content.decode()
        assert not Dossier.objects.exists()

    def test_only_reception_officers_have_a_desk(self) -> None:
        for user in (self.p.chi, self.p.thu, self.p.an, self.p.ha):
            self.client.force_login(user)
            assert self.client.get(DESK).status_code == 404
            assert self.client.post(DESK, self.form()).status_code == 404
        assert not Dossier.objects.exists()

    def test_dung_receives_at_his_own_centre_only(self) -> None:
        self.client.force_login(self.p.dung)
        page = self.client.get(DESK, {"thu-tuc": self.version.pk}).content.decode()
        assert "Trung tâm PVHCC phường A" not in page
        assert "UBND phường B" in page
