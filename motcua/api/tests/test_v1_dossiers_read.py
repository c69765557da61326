"""GET /api/v1/dossiers/{code} and GET /api/v1/dossiers?unit=…: who sees what, and what."""

import datetime as dt

import time_machine

from motcua.api.tests.dossier_api import URL, client_for
from motcua.dossiers import access, actions
from motcua.dossiers.models import Dossier
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import MONDAY_9AM, desk_dossier, make_process_procedure, online_dossier

NOT_FOUND = {"detail": "Không tìm thấy hồ sơ."}
UNIT_NOT_FOUND = {"detail": "Không tìm thấy đơn vị."}


class DetailTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.dossier = desk_dossier(self.p, self.version)
        self.url = f"{URL}/{self.dossier.code}"

    def test_the_applicant_sees_status_due_times_ledger_steps_and_events(self) -> None:
        response = client_for(self.p.an).get(self.url)
        assert response.status_code == 200
        data = response.json()
        assert data["status"]["key"] == "accepted"
        assert data["status"]["national_code"] == 2
        assert data["status"]["label"] == "Đã tiếp nhận"
        due = dt.datetime.fromisoformat(data["due_at"])
        assert due == dt.datetime.fromisoformat("2026-03-19T09:00:00+07:00")
        assert data["original_due_at"] == data["due_at"]
        dossier_lines = [line for line in data["ledger"] if line["step"] is None]
        assert len(dossier_lines) == 1
        assert dossier_lines[0]["reason"] == "hẹn trả kết quả khi tiếp nhận"
        assert dossier_lines[0]["explanation"]  # the engine's explanation of the due time
        assert [s["position"] for s in data["steps"]] == [1, 2, 3, 4, 5]
        assert data["steps"][0]["status"] == "active"
        assert data["steps"][0]["unit"]["code"] == self.p.centre_a.code
        assert data["steps"][0]["punctuality"] == ""
        assert [e["kind"] for e in data["events"]] == ["received", "accepted"]
        assert data["events"][1]["form"] == "01"
        assert data["events"][1]["actor"] == "Lê Thị Bình"
        assert [a["name"] for a in data["allowed_actions"]] == ["withdraw"]

    def test_officers_get_their_own_allowed_actions(self) -> None:
        binh = client_for(self.p.binh).get(self.url).json()
        assert [a["name"] for a in binh["allowed_actions"]] == [
            "request_supplement",
            "forward",
            "withdraw",
        ]
        assert binh["allowed_actions"][1]["label"] == "Chuyển bước tiếp theo"
        assert client_for(self.p.hung).get(self.url).json()["allowed_actions"] == [
            {"name": "stop", "label": "Dừng giải quyết"},
            {"name": "extend", "label": "Xin lỗi và gia hạn"},
        ]

    def test_the_auditor_sees_it_and_may_do_nothing(self) -> None:
        data = client_for(self.p.thu).get(self.url).json()
        assert data["code"] == self.dossier.code
        assert data["allowed_actions"] == []

    def test_dung_of_another_commune_gets_the_same_404_as_a_missing_code(self) -> None:
        response = client_for(self.p.dung).get(self.url)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        missing = client_for(self.p.dung).get(f"{URL}/H99.00001.01-260316-9999")
        assert missing.status_code == 404
        assert missing.json() == NOT_FOUND

    def test_another_citizen_gets_404(self) -> None:
        response = client_for(self.p.ha).get(self.url)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    def test_without_login_it_answers_401(self) -> None:
        assert client_for(None).get(self.url).status_code == 401


class ListTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with time_machine.travel(MONDAY_9AM, tick=False):
            self.accepted = desk_dossier(self.p, self.version)
            self.submitted = online_dossier(self.p, self.version, key="a")
            self.refused = desk_dossier(self.p, self.version, decision="refuse", reason="Sai")

    def get(self, user: object, **params: object) -> object:
        return client_for(user).get(URL, params)  # type: ignore[arg-type]

    def codes(self, response: object) -> list[str]:
        assert response.status_code == 200, response.content  # type: ignore[attr-defined]
        return [i["code"] for i in response.json()["items"]]  # type: ignore[attr-defined]

    def test_an_officer_lists_the_units_dossiers_by_due_time_with_counts(self) -> None:
        with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=1), tick=False):
            response = self.get(self.p.binh, unit=self.p.centre_a.code)
        # due time first, dossiers without one after, then by id
        assert self.codes(response) == [
            self.accepted.code,
            self.submitted.code,
            self.refused.code,
        ]
        data = response.json()  # type: ignore[attr-defined]
        assert data["next_cursor"] is None
        assert data["counts"]["accepted"] == 1
        assert data["counts"]["submitted"] == 1
        assert data["counts"]["refused"] == 1
        assert data["counts"]["returned"] == 0
        assert data["items"][0]["status"]["national_code"] == 2
        assert data["items"][0]["overdue"] is False

    def test_status_filters_accept_keys_and_groups(self) -> None:
        unit = self.p.commune_a.code
        assert self.codes(self.get(self.p.binh, unit=unit, status="open")) == [
            self.accepted.code,
            self.submitted.code,
        ]
        assert self.codes(self.get(self.p.binh, unit=unit, status="closed")) == [self.refused.code]
        assert self.codes(self.get(self.p.binh, unit=unit, status="submitted,refused")) == [
            self.submitted.code,
            self.refused.code,
        ]

    def test_the_overdue_filter_uses_the_due_time(self) -> None:
        unit = self.p.commune_a.code
        with time_machine.travel(MONDAY_9AM + dt.timedelta(days=10), tick=False):
            late = self.get(self.p.binh, unit=unit, overdue="true")
            on_time = self.get(self.p.binh, unit=unit, overdue="false")
        assert self.codes(late) == [self.accepted.code]
        assert late.json()["items"][0]["overdue"] is True  # type: ignore[attr-defined]
        assert self.codes(on_time) == [self.submitted.code, self.refused.code]

    def test_every_listed_dossier_is_visible_to_the_officer(self) -> None:
        codes = self.codes(self.get(self.p.chi, unit=self.p.commune_a.code))
        visible = access.dossiers_for_officer(self.p.chi).filter(code__in=codes)
        assert visible.count() == len(codes) == 3

    def test_a_unit_the_officer_cannot_see_answers_404_like_a_missing_one(self) -> None:
        for user in (self.p.dung, self.p.ha, self.p.an):
            response = self.get(user, unit=self.p.commune_a.code)
            assert response.status_code == 404  # type: ignore[attr-defined]
            assert response.json() == UNIT_NOT_FOUND  # type: ignore[attr-defined]
        missing = self.get(self.p.binh, unit="KHONGCO")
        assert missing.json() == UNIT_NOT_FOUND  # type: ignore[attr-defined]

    def test_dung_sees_his_own_commune_only(self) -> None:
        assert self.codes(self.get(self.p.dung, unit=self.p.commune_b.code)) == []

    def test_bad_parameters_are_explained_in_vietnamese(self) -> None:
        response = self.get(self.p.binh, unit=self.p.commune_a.code, limit=0, status="x")
        assert response.status_code == 422  # type: ignore[attr-defined]
        detail = response.json()["detail"]  # type: ignore[attr-defined]
        assert detail == [
            {
                "loc": ["query", "limit"],
                "msg": "Phải lớn hơn hoặc bằng 1.",
                "type": "greater_than_equal",
            }
        ]
        response = self.get(self.p.binh, unit=self.p.commune_a.code, status="x")
        assert response.json()["detail"][0]["msg"].startswith(  # type: ignore[attr-defined]
            "Trạng thái không hợp lệ."
        )
        response = self.get(self.p.binh, unit=self.p.commune_a.code, cursor="!!")
        assert response.json()["detail"] == [  # type: ignore[attr-defined]
            {
                "loc": ["query", "cursor"],
                "msg": "Con trỏ phân trang không hợp lệ; hãy dùng next_cursor.",
                "type": "invalid",
            }
        ]
        response = self.get(self.p.binh)
        assert response.json()["detail"] == [  # type: ignore[attr-defined]
            {"loc": ["query", "unit"], "msg": "Trường này là bắt buộc.", "type": "missing"}
        ]


class KeysetPaginationTests(PersonaTestCase):
    """Pages follow (due time, id): rows inserted while a client pages through neither
    duplicate nor hide the rows that were there when it started."""

    def make(self, count: int, start: dt.datetime, *, accept_every: int = 2) -> list[Dossier]:
        made = []
        for i in range(count):
            # several dossiers share a moment, hence a due time: ties are broken by id
            with time_machine.travel(start + dt.timedelta(hours=i // 3), tick=False):
                dossier = online_dossier(self.p, self.version, key=f"{start:%d%H}-{i}")
                if i % accept_every == 0:
                    dossier = actions.accept(dossier.pk, actor=self.p.binh)
            made.append(dossier)
        return made

    def setUp(self) -> None:
        self.version = make_process_procedure()

    def test_no_duplicates_and_no_gaps_while_rows_are_inserted(self) -> None:
        original = self.make(14, MONDAY_9AM)
        client = client_for(self.p.binh)
        seen: list[dict[str, object]] = []
        cursor = ""
        inserted = 0
        pages = 0
        while True:
            params: dict[str, str | int] = {"unit": self.p.centre_a.code, "limit": 4}
            if cursor:
                params["cursor"] = cursor
            data = client.get(URL, params).json()
            seen.extend(data["items"])
            pages += 1
            if data["next_cursor"] is None:
                break
            cursor = data["next_cursor"]
            # between pages, new dossiers arrive: due earlier, later, and without due time
            self.make(2, MONDAY_9AM - dt.timedelta(days=7 - pages), accept_every=1)
            self.make(2, MONDAY_9AM + dt.timedelta(days=pages), accept_every=2)
            inserted += 4
        codes = [item["code"] for item in seen]
        assert len(codes) == len(set(codes)), "a dossier appeared twice"
        assert {d.code for d in original} <= set(codes), "a dossier was skipped"
        assert pages >= 4
        assert inserted > 0

        def key(item: dict[str, object]) -> tuple[bool, str, int]:
            dossier = Dossier.objects.get(code=item["code"])
            due = dossier.due_at.isoformat() if dossier.due_at else ""
            return (dossier.due_at is None, due, dossier.pk)

        keys = [key(item) for item in seen]
        assert keys == sorted(keys)

    def test_the_last_page_has_no_cursor_and_pages_do_not_overlap(self) -> None:
        self.make(6, MONDAY_9AM)
        client = client_for(self.p.binh)
        params: dict[str, str | int] = {"unit": self.p.centre_a.code, "limit": 3}
        first = client.get(URL, params).json()
        second = client.get(
            URL, {"unit": self.p.centre_a.code, "limit": 3, "cursor": first["next_cursor"]}
        ).json()
        assert len(first["items"]) == len(second["items"]) == 3
        assert second["next_cursor"] is None
        assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
