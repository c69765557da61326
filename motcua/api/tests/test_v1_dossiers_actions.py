"""POST /api/v1/dossiers/{code}/actions/{name}: the pages' rules and actions, over HTTP."""

import datetime as dt

import time_machine

from motcua.api.tests.dossier_api import act, body, client_for, submit
from motcua.api.v1.dossiers import ActionName
from motcua.dossiers import access
from motcua.dossiers.models import Dossier, EventKind
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, make_process_procedure, online_dossier


def test_the_action_names_are_the_access_rules() -> None:
    assert [a.value for a in ActionName] == list(access.RULES)


class ActionAccessTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = online_dossier(self.p, self.version)

    def test_dung_and_another_citizen_get_404_for_every_action(self) -> None:
        for user in (self.p.dung, self.p.ha):
            for name in ActionName:
                response = act(client_for(user), self.dossier.code, name.value, reason="x")
                assert response.status_code == 404, (user, name)
                assert response.json() == {"detail": "Không tìm thấy hồ sơ."}
        self.dossier.refresh_from_db()
        assert self.dossier.status == "submitted"

    def test_the_auditor_gets_403_for_every_action_in_its_status(self) -> None:
        thu = client_for(self.p.thu)
        response = act(thu, self.dossier.code, "accept")
        assert response.status_code == 403
        assert response.json() == {"detail": "Bạn không có quyền «tiếp nhận» đối với hồ sơ này."}
        for name in ("refuse", "request_supplement", "withdraw"):
            assert act(thu, self.dossier.code, name, reason="x").status_code == 403
        assert self.dossier.events.count() == 1

    def test_an_officer_who_sees_it_without_the_role_gets_403(self) -> None:
        response = act(client_for(self.p.chi), self.dossier.code, "accept")
        assert response.status_code == 403

    def test_an_action_the_status_does_not_allow_answers_409(self) -> None:
        response = act(client_for(self.p.binh), self.dossier.code, "return_result")
        assert response.status_code == 409
        assert response.json() == {
            "detail": "Không thể «trả kết quả» khi hồ sơ đang ở trạng thái "
            "«Mới nộp, chờ tiếp nhận»."
        }

    def test_an_unknown_action_name_is_refused(self) -> None:
        response = act(client_for(self.p.binh), self.dossier.code, "approve")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["path", "name"]
        assert response.json()["detail"][0]["msg"].startswith("Giá trị không hợp lệ.")

    def test_a_missing_reason_answers_422_and_changes_nothing(self) -> None:
        response = act(client_for(self.p.binh), self.dossier.code, "refuse")
        assert response.status_code == 422
        assert response.json()["detail"] == [
            {
                "loc": ["body", "payload", "reason"],
                "msg": "Phải ghi rõ lý do từ chối tiếp nhận.",
                "type": "invalid",
            }
        ]
        self.dossier.refresh_from_db()
        assert self.dossier.status == "submitted"

    def test_the_applicant_may_withdraw_online(self) -> None:
        response = act(client_for(self.p.an), self.dossier.code, "withdraw", reason="Nộp nhầm")
        assert response.status_code == 200
        data = response.json()
        assert data["status"]["key"] == "withdrawn"
        assert data["status"]["national_code"] == 7
        assert data["events"][-1]["reason"] == "Nộp nhầm"
        assert data["allowed_actions"] == []

    def test_the_second_of_two_identical_accepts_gets_409(self) -> None:
        binh = client_for(self.p.binh)
        assert act(binh, self.dossier.code, "accept").status_code == 200
        again = act(binh, self.dossier.code, "accept")
        assert again.status_code == 409
        assert "Đã tiếp nhận" in again.json()["detail"]


class FullFlowTests(PersonaTestCase):
    def test_an_online_dossier_goes_through_every_step_over_the_api(self) -> None:
        p = self.p
        version = make_process_procedure()
        an, binh, giang, chi = (client_for(u) for u in (p.an, p.binh, p.giang, p.chi))
        dung, hung = client_for(p.dung), client_for(p.hung)

        def at(hours: float) -> time_machine.travel:
            return time_machine.travel(MONDAY_9AM + dt.timedelta(hours=hours), tick=False)

        with at(0):
            code = submit(an, body(p, version), key="flow").json()["code"]
        with at(0.5):
            data = act(binh, code, "accept").json()
        assert data["status"]["key"] == "accepted"
        assert data["due_at"] is not None
        with at(1):
            data = act(binh, code, "forward", note="Đủ giấy tờ").json()
        assert data["status"]["key"] == "processing"
        with at(2):
            response = act(giang, code, "forward", assignee_id=p.chi.pk)
        assert response.status_code == 200, response.content
        assert response.json()["steps"][2]["assignee"] == "Phạm Minh Chi"

        # a supplement round: the clock stops, then the due time moves by the time waited
        due_before = response.json()["due_at"]
        with at(3):
            data = act(chi, code, "request_supplement", missing="Bản sao giấy khai sinh").json()
        assert data["status"]["key"] == "supplement_requested"
        assert data["paused_at"] is not None
        assert [a["name"] for a in data["allowed_actions"]] == []
        with at(5):
            data = act(an, code, "receive_supplement", note="Đã nộp bổ sung").json()
        assert data["status"]["key"] == "processing"
        # 12:00 to 14:00 holds one working hour (the lunch break is not counted)
        assert dt.datetime.fromisoformat(data["due_at"]) == dt.datetime.fromisoformat(
            due_before
        ) + dt.timedelta(hours=1)
        assert any(
            "tạm dừng chờ bổ sung" in line["reason"]
            for line in data["ledger"]
            if line["step"] is None
        )

        # an inter-agency consultation with commune B, which then sees the dossier
        assert dung.get(f"/api/v1/dossiers/{code}").status_code == 404
        with at(6):
            response = act(
                chi,
                code,
                "consult",
                unit_code=p.commune_b.code,
                hours=4,
                question="Xác minh cư trú",
            )
        assert response.status_code == 200, response.content
        consultation = [s for s in response.json()["steps"] if s["kind"] == "consultation"]
        assert consultation[0]["unit"]["code"] == p.commune_b.code
        assert consultation[0]["parent_position"] == 3
        with at(6.5):
            blocked = act(chi, code, "forward")
        assert blocked.status_code == 409
        assert blocked.json()["detail"].startswith("Còn ý kiến phối hợp chưa được trả lời")
        assert dung.get(f"/api/v1/dossiers/{code}").status_code == 200
        with at(7):
            response = act(dung, code, "answer_consultation", answer="Có cư trú tại địa phương")
        assert response.status_code == 200, response.content
        with at(8):
            assert act(chi, code, "forward", note="Đủ điều kiện").status_code == 200

        with at(24):
            refused = act(hung, code, "forward")
        assert refused.status_code == 409
        assert refused.json()["detail"] == (
            "Phải ghi kết quả giải quyết trước khi chuyển trả kết quả."
        )
        with at(24):
            data = act(
                hung, code, "forward", result_summary="Giấy xác nhận", result_number="12/GXN"
            ).json()
        assert data["status"]["key"] == "result_ready"
        assert data["result_number"] == "12/GXN"

        with at(25):
            missing = act(binh, code, "return_result", via="post")
        assert missing.status_code == 422
        assert missing.json()["detail"][0]["loc"] == ["body", "payload", "tracking_number"]
        with at(25):
            data = act(binh, code, "return_result", via="post", tracking_number="EM123VN").json()
        assert data["status"] == {
            "key": "returned",
            "label": "Đã trả kết quả",
            "national_code": 10,
            "colour": "green",
        }
        assert data["postal_tracking_number"] == "EM123VN"
        assert data["allowed_actions"] == []
        assert all(s["punctuality"] for s in data["steps"])
        assert [e["kind"] for e in data["events"]] == [
            EventKind.SUBMITTED,
            EventKind.ACCEPTED,
            EventKind.FORWARDED,
            EventKind.FORWARDED,
            EventKind.SUPPLEMENT_REQUESTED,
            EventKind.SUPPLEMENT_RECEIVED,
            EventKind.CONSULTATION_OPENED,
            EventKind.CONSULTATION_ANSWERED,
            EventKind.FORWARDED,
            EventKind.APPROVED,
            EventKind.RESULT_READY,
            EventKind.RETURNED,
        ]
        assert Dossier.objects.get(code=code).closed_at is not None

    def test_extension_and_payment_payloads_reach_the_actions(self) -> None:
        p = self.p
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            dossier = online_dossier(p, version)
            binh, hung = client_for(p.binh), client_for(p.hung)
            act(binh, dossier.code, "accept")
            bad = act(hung, dossier.code, "extend", reason="Cần xác minh thêm", new_due="mai")
            assert bad.status_code == 422
            assert bad.json()["detail"][0]["loc"][:3] == ["body", "payload", "new_due"]
            data = act(
                hung, dossier.code, "extend", reason="Cần xác minh thêm", new_due="2026-03-25"
            ).json()
            assert dt.datetime.fromisoformat(data["due_at"]).date() == dt.date(2026, 3, 25)
            assert dt.datetime.fromisoformat(data["original_due_at"]).date() == dt.date(2026, 3, 19)
            again = act(hung, dossier.code, "extend", reason="Lần nữa", new_due="2026-03-30")
            assert again.status_code == 409
            assert again.json()["detail"].startswith("Hồ sơ đã được gia hạn một lần")
            act(binh, dossier.code, "forward")
            data = act(
                binh, dossier.code, "request_payment", description="Lệ phí", amount="50000"
            ).json()
            assert data["status"]["key"] == "awaiting_payment"
            assert data["payments"][0]["amount"] == "50000"
            data = act(binh, dossier.code, "record_payment", receipt_number="BL-01").json()
            assert data["status"]["key"] == "processing"
            assert data["payments"][0]["receipt_number"] == "BL-01"


class ExpectedVersionTests(PersonaTestCase):
    def setUp(self) -> None:
        version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = online_dossier(self.p, version)

    def test_an_action_on_the_version_the_client_saw_succeeds(self) -> None:
        binh = client_for(self.p.binh)
        seen = binh.get(f"/api/v1/dossiers/{self.dossier.code}").json()["version"]
        response = act(binh, self.dossier.code, "accept", expected_version=seen)
        assert response.status_code == 200
        assert response.json()["version"] > seen

    def test_an_action_on_a_stale_version_answers_409_and_changes_nothing(self) -> None:
        binh = client_for(self.p.binh)
        seen = binh.get(f"/api/v1/dossiers/{self.dossier.code}").json()["version"]
        act(client_for(self.p.an), self.dossier.code, "withdraw", reason="Nộp nhầm")
        assert act(binh, self.dossier.code, "refuse", reason="x", expected_version=seen).json() == {
            "detail": "Không thể «từ chối tiếp nhận» khi hồ sơ đang ở trạng thái «Đã rút hồ sơ»."
        }
        # same status, someone else acted in between: the domain's stale refusal
        other = online_dossier(self.p, make_process_procedure("1.000002", "Khác"), key="k-2")
        seen = binh.get(f"/api/v1/dossiers/{other.code}").json()["version"]
        act(binh, other.code, "request_supplement", missing="Tờ khai")
        act(client_for(self.p.an), other.code, "receive_supplement")
        response = act(binh, other.code, "accept", expected_version=seen)
        assert response.status_code == 409
        assert response.json() == {
            "detail": "Hồ sơ vừa được người khác cập nhật; hãy xem lại trước khi xử lý."
        }
        other.refresh_from_db()
        assert other.status == "submitted"
