"""POST /api/v1/dossiers: online submission by the logged-in applicant."""

import datetime as dt
import re

import time_machine
from django.test import Client

from motcua.accounts.models import UnitKind
from motcua.api.tests.dossier_api import URL, body, client_for, submit
from motcua.dossiers.models import Dossier, EventKind
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_procedure, make_unit
from motcua.testing.dossiers import MONDAY_9AM, make_process_procedure


class SubmissionTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        self.an = client_for(self.p.an)

    def test_it_creates_a_submitted_online_dossier_with_a_code_of_the_receiving_centre(
        self,
    ) -> None:
        with time_machine.travel(MONDAY_9AM, tick=False):
            response = submit(self.an, body(self.p, self.version))
        assert response.status_code == 201, response.content
        data = response.json()
        assert re.fullmatch(r"H99\.00001\.01-260316-\d{4}", data["code"])
        assert response["Location"] == f"{URL}/{data['code']}"
        assert data["status"] == {
            "key": "submitted",
            "label": "Mới nộp, chờ tiếp nhận",
            "national_code": 1,
            "colour": "blue",
        }
        assert data["channel"] == "online"
        assert data["procedure"]["code"] == "1.000001"
        assert data["competent_unit"]["code"] == self.p.commune_a.code
        # the competent unit's service centre by default
        assert data["receiving_centre"]["code"] == self.p.centre_a.code
        # applicant data from the profile, the address from the body
        assert data["applicant"]["name"] == "Nguyễn Văn An"
        assert data["applicant"]["identity_number"] == "038090001234"
        assert data["applicant"]["phone"] == "0912345678"
        assert data["applicant"]["address"] == "12 Lê Lợi, phường A"
        assert [c["name"] for c in data["components"]] == ["Tờ khai"]
        assert dt.datetime.fromisoformat(data["submitted_at"]) == MONDAY_9AM
        assert data["submitted_at"].endswith("+07:00")
        assert dt.datetime.fromisoformat(data["intake_due_at"]) == MONDAY_9AM.replace(hour=17)
        assert data["due_at"] is None
        assert [e["kind"] for e in data["events"]] == [EventKind.SUBMITTED]
        assert data["events"][0]["actor"] == "Nguyễn Văn An"
        # the applicant may withdraw, nothing else
        assert [a["name"] for a in data["allowed_actions"]] == ["withdraw"]
        dossier = Dossier.objects.get(code=data["code"])
        assert dossier.applicant == self.p.an
        assert dossier.idempotency_key == "k-1"

    def test_given_applicant_fields_override_the_profile(self) -> None:
        payload = body(
            self.p,
            self.version,
            applicant={"name": "Nguyễn Thị Bé", "phone": "0987654321", "email": "be@example.vn"},
            return_channel="post",
            return_address="5 Trần Phú",
            request_summary="Xác nhận cho con",
        )
        data = submit(self.an, payload).json()
        assert data["applicant"]["name"] == "Nguyễn Thị Bé"
        assert data["applicant"]["phone"] == "0987654321"
        assert data["applicant"]["email"] == "be@example.vn"
        assert data["applicant"]["identity_number"] == "038090001234"
        assert data["return_channel"] == "post"
        assert data["return_address"] == "5 Trần Phú"
        assert data["request_summary"] == "Xác nhận cho con"

    def test_a_named_receiving_centre_is_used(self) -> None:
        other = make_unit(
            "Điểm tiếp nhận B",
            kind=UnitKind.RECEPTION_POINT,
            parent=self.p.commune_b,
            code="H99.B1",
        )
        data = submit(self.an, body(self.p, self.version, receiving_centre_code=other.code)).json()
        assert data["receiving_centre"]["code"] == "H99.B1"
        assert data["code"].startswith("H99.B1-")

    def test_the_same_key_twice_gives_the_same_dossier_with_200(self) -> None:
        first = submit(self.an, body(self.p, self.version), key="same")
        second = submit(self.an, body(self.p, self.version), key="same")
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json()["code"] == second.json()["code"]
        assert Dossier.objects.count() == 1

    def test_different_keys_give_two_dossiers(self) -> None:
        first = submit(self.an, body(self.p, self.version), key="one")
        second = submit(self.an, body(self.p, self.version), key="two")
        assert (first.status_code, second.status_code) == (201, 201)
        assert first.json()["code"] != second.json()["code"]
        assert Dossier.objects.count() == 2

    def test_a_key_is_per_applicant(self) -> None:
        first = submit(self.an, body(self.p, self.version), key="shared")
        second = submit(client_for(self.p.ha), body(self.p, self.version), key="shared")
        assert (first.status_code, second.status_code) == (201, 201)
        assert second.json()["applicant"]["name"] == "Trần Thị Hà"

    def test_without_login_it_answers_401(self) -> None:
        response = submit(Client(), body(self.p, self.version))
        assert response.status_code == 401
        assert response.json() == {"detail": "Bạn cần đăng nhập (phiên đăng nhập Django)."}
        assert not Dossier.objects.exists()

    def test_the_csrf_token_is_required_with_a_session(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.get("/dang-nhap/")  # the login form sets the csrftoken cookie
        token = client.cookies["csrftoken"].value
        client.force_login(self.p.an)
        refused = submit(client, body(self.p, self.version))
        assert refused.status_code == 403
        assert "CSRF" in refused.json()["detail"]
        response = client.post(
            URL,
            body(self.p, self.version),
            content_type="application/json",
            headers={"Idempotency-Key": "k", "X-CSRFToken": token},
        )
        assert response.status_code == 201


class SubmissionValidationTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        self.an = client_for(self.p.an)

    def errors(self, response: object, key: str | None = "k") -> dict[str, str]:
        assert getattr(response, "status_code", None) == 422, getattr(response, "content", "")
        detail = response.json()["detail"]  # type: ignore[attr-defined]
        return {".".join(str(part) for part in e["loc"]): e["msg"] for e in detail}

    def assert_nothing_created(self) -> None:
        assert not Dossier.objects.exists()

    def test_a_missing_field_is_named_in_vietnamese(self) -> None:
        payload = body(self.p, self.version)
        del payload["procedure_code"]
        errors = self.errors(submit(self.an, payload))
        assert errors == {"body.payload.procedure_code": "Trường này là bắt buộc."}
        self.assert_nothing_created()

    def test_wrong_types_and_choices_are_explained_in_vietnamese(self) -> None:
        payload = body(
            self.p,
            self.version,
            variant_id="abc",
            return_channel="fax",
            components=[{"position": 1, "count": 0}],
        )
        errors = self.errors(submit(self.an, payload))
        assert errors["body.payload.variant_id"] == "Phải là số nguyên."
        assert errors["body.payload.return_channel"].startswith("Giá trị không hợp lệ. Chọn một")
        assert errors["body.payload.components.0.count"] == "Phải lớn hơn hoặc bằng 1."

    def test_an_unknown_procedure_is_refused(self) -> None:
        errors = self.errors(submit(self.an, body(self.p, self.version, procedure_code="9.9")))
        assert errors == {
            "body.payload.procedure_code": "Không có thủ tục mã «9.9» đang có hiệu lực."
        }

    def test_a_procedure_without_online_service_is_refused(self) -> None:
        offline = make_procedure("2.000001", "Thủ tục trực tiếp", online_mode="none")
        errors = self.errors(
            submit(self.an, body(self.p, offline, procedure_code=offline.procedure.code))
        )
        assert "không cung cấp dịch vụ công trực tuyến" in errors["body.payload.procedure_code"]

    def test_a_unit_that_does_not_decide_this_procedure_is_refused(self) -> None:
        errors = self.errors(
            submit(self.an, body(self.p, self.version, competent_unit_code=self.p.province.code))
        )
        assert errors == {
            "body.payload.competent_unit_code": (
                "UBND tỉnh Thử Nghiệm không phải cơ quan giải quyết thủ tục này."
            )
        }
        errors = self.errors(
            submit(self.an, body(self.p, self.version, competent_unit_code="KHONGCO"))
        )
        assert errors == {"body.payload.competent_unit_code": "Không có đơn vị mã «KHONGCO»."}

    def test_a_bad_identity_number_and_phone_are_refused(self) -> None:
        payload = body(self.p, self.version, applicant={"identity_number": "12345"})
        errors = self.errors(submit(self.an, payload))
        assert list(errors) == ["body.payload.applicant.identity_number"]
        assert "12" in errors["body.payload.applicant.identity_number"]
        payload = body(self.p, self.version, applicant={"phone": "12"})
        errors = self.errors(submit(self.an, payload))
        assert errors["body.payload.applicant.phone"].startswith("Số điện thoại phải có dạng")

    def test_required_components_must_be_sent(self) -> None:
        errors = self.errors(submit(self.an, body(self.p, self.version, components=[])))
        assert errors == {"body.payload.components": "Thiếu thành phần hồ sơ bắt buộc: Tờ khai."}
        errors = self.errors(
            submit(self.an, body(self.p, self.version, components=[{"position": 7}]))
        )
        assert errors == {
            "body.payload.components.0.position": "Thủ tục không có thành phần hồ sơ số 7."
        }

    def test_post_return_needs_an_address(self) -> None:
        errors = self.errors(submit(self.an, body(self.p, self.version, return_channel="post")))
        assert errors == {
            "body.payload.return_address": "Nhận kết quả qua bưu chính phải có địa chỉ nhận."
        }

    def test_the_idempotency_key_header_is_required(self) -> None:
        errors = self.errors(submit(self.an, body(self.p, self.version), key=None))
        assert errors == {
            "header.Idempotency-Key": (
                "Thiếu tiêu đề Idempotency-Key (khóa chống nộp trùng, tối đa 80 ký tự)."
            )
        }
        errors = self.errors(submit(self.an, body(self.p, self.version), key="x" * 81))
        assert list(errors) == ["header.Idempotency-Key"]
        self.assert_nothing_created()

    def test_a_body_that_is_not_json_is_refused(self) -> None:
        response = self.an.post(
            URL, "{not json", content_type="application/json", headers={"Idempotency-Key": "k"}
        )
        assert response.status_code in (400, 422)
        self.assert_nothing_created()
