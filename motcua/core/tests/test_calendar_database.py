"""Overrides and working hours kept in the database change the calendar, the CLI and the
page at once (the cached calendar is rebuilt when a row is saved or deleted)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from motcua.accounts.models import UnitKind
from motcua.cli import main
from motcua.core.calendars import get_working_calendar
from motcua.core.models import CalendarOverride, CalendarOverrideKind, WorkingHoursProfile
from motcua.core.workdays import VN_TZ, add_working_days
from motcua.testing.builders import make_unit

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VN_TZ)


def cli_due(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    status = main(
        ["deadline", "--start", "2026-03-16T09:00", "--working-days", "2", "--json", *args]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    payload: dict[str, object] = json.loads(out)
    return payload


def test_a_national_day_off_in_the_database_moves_the_cli_due_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli_due(capsys)["due_at"] == "2026-03-18T09:00:00+07:00"
    CalendarOverride.objects.create(
        day=dt.date(2026, 3, 17),
        kind=CalendarOverrideKind.DAY_OFF,
        name="Nghỉ đột xuất do bão",
        legal_source="Công điện 99/CĐ-TTg",
    )
    payload = cli_due(capsys)
    assert payload["due_at"] == "2026-03-19T09:00:00+07:00"
    assert "bỏ qua 17/03/2026: nghỉ Nghỉ đột xuất do bão (Công điện 99/CĐ-TTg)" in str(
        payload["ledger"]
    )


def test_a_make_up_day_in_the_database_counts_as_a_working_day() -> None:
    saturday = dt.date(2026, 3, 21)
    assert add_working_days(
        get_working_calendar(), dt.datetime(2026, 3, 20, 9, tzinfo=VN_TZ), 1
    ).due_at.date() == dt.date(2026, 3, 23)
    CalendarOverride.objects.create(
        day=saturday,
        kind=CalendarOverrideKind.WORKING_DAY,
        name="Làm bù",
        legal_source="Thông báo X",
    )
    calendar = get_working_calendar()
    assert calendar.is_working_day(saturday)
    assert add_working_days(calendar, dt.datetime(2026, 3, 20, 9, tzinfo=VN_TZ), 1).due_at == (
        dt.datetime(2026, 3, 21, 9, tzinfo=VN_TZ)
    )


def test_a_database_row_can_turn_a_package_holiday_back_into_a_working_day() -> None:
    CalendarOverride.objects.create(
        day=dt.date(2026, 9, 1),
        kind=CalendarOverrideKind.WORKING_DAY,
        name="Đi làm",
        legal_source="thử nghiệm",
    )
    assert get_working_calendar().is_working_day(dt.date(2026, 9, 1))
    CalendarOverride.objects.all().delete()
    assert not get_working_calendar().is_working_day(dt.date(2026, 9, 1))


def test_a_province_day_off_applies_to_units_below_the_province_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    province = make_unit("Tỉnh Thử", kind=UnitKind.PROVINCE, code="H99")
    commune = make_unit("Xã Một", parent=province, code="H99.01")
    other = make_unit("Tỉnh Khác", kind=UnitKind.PROVINCE, code="H98")
    CalendarOverride.objects.create(
        day=dt.date(2026, 3, 17),
        kind=CalendarOverrideKind.DAY_OFF,
        name="Ngày giải phóng tỉnh",
        legal_source="Nghị quyết HĐND tỉnh",
        unit=province,
    )
    assert not get_working_calendar(commune).is_working_day(dt.date(2026, 3, 17))
    assert get_working_calendar(other).is_working_day(dt.date(2026, 3, 17))
    assert get_working_calendar().is_working_day(dt.date(2026, 3, 17))
    assert cli_due(capsys, "--unit", commune.code)["due_at"] == "2026-03-19T09:00:00+07:00"
    assert cli_due(capsys, "--unit", other.code)["due_at"] == "2026-03-18T09:00:00+07:00"


def test_a_units_working_hours_profile_changes_its_due_times(
    capsys: pytest.CaptureFixture[str],
) -> None:
    unit = make_unit("Phường Giờ Riêng", code="G01")
    WorkingHoursProfile.objects.create(
        name="Giờ mùa hè",
        unit=unit,
        valid_from=dt.date(2026, 3, 1),
        valid_to=dt.date(2026, 10, 31),
        morning_start=dt.time(7, 0),
        morning_end=dt.time(11, 0),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17, 30),
    )
    # 16 h from Monday 09:00: 2 + 4 Monday, 8 Tuesday, 2 Wednesday → 09:00 Wednesday
    assert cli_due(capsys, "--unit", "G01")["due_at"] == "2026-03-18T09:00:00+07:00"
    status = main(
        ["deadline", "--start", "2026-03-16T11:15", "--same-day", "--unit", "G01", "--json"]
    )
    out, _ = capsys.readouterr()
    assert status == 0
    assert json.loads(out)["due_at"] == "2026-03-16T17:30:00+07:00"
    assert (
        main(
            [
                "deadline",
                "--start",
                "2026-03-16T11:15",
                "--working-hours",
                "1",
                "--json",
                "--unit",
                "G01",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["due_at"] == "2026-03-16T14:30:00+07:00"


def test_a_national_profile_sets_the_cut_off_for_everyone() -> None:
    WorkingHoursProfile.objects.create(name="Chốt 16 giờ", cutoff=dt.time(16, 0))
    assert get_working_calendar().hours_on(dt.date(2026, 3, 16)).cutoff == dt.time(16, 0)


def test_a_profile_with_periods_out_of_order_is_invalid() -> None:
    profile = WorkingHoursProfile(
        name="Sai", morning_start=dt.time(11, 0), morning_end=dt.time(8, 0)
    )
    with pytest.raises(ValidationError):
        profile.full_clean()


@override_settings(MOTCUA_CULTURE_DAY_HOLIDAY=False)
def test_the_culture_day_setting_switches_24_november_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert get_working_calendar().is_working_day(dt.date(2026, 11, 24))
    assert main(["deadline", "--start", "2026-11-23T09:00", "--working-days", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due_at"] == "2026-11-24T09:00:00+07:00"


@override_settings(MOTCUA_CULTURE_DAY_HOLIDAY=True)
def test_with_the_culture_day_setting_on_24_november_is_a_day_off() -> None:
    calendar = get_working_calendar()
    assert not calendar.is_working_day(dt.date(2026, 11, 24))
    exc = calendar.exception_on(dt.date(2026, 11, 24))
    assert exc is not None
    assert exc.name == "Ngày Văn hóa Việt Nam"


def test_administrators_list_and_add_overrides_and_profiles_in_the_admin() -> None:
    from django.test import Client

    from motcua.testing.builders import make_user

    admin = make_user("quantri", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    CalendarOverride.objects.create(
        day=dt.date(2026, 3, 17),
        kind=CalendarOverrideKind.DAY_OFF,
        name="Nghỉ thử",
        legal_source="Văn bản thử",
    )
    for url in [
        "/quan-tri/core/calendaroverride/",
        "/quan-tri/core/calendaroverride/add/",
        "/quan-tri/core/workinghoursprofile/",
        "/quan-tri/core/workinghoursprofile/add/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Nghỉ thử" in client.get("/quan-tri/core/calendaroverride/").content.decode()
    response = client.post(
        "/quan-tri/core/calendaroverride/add/",
        {
            "day": "2026-03-21",
            "kind": "working_day",
            "name": "Làm bù thử",
            "occasion": "",
            "legal_source": "Văn bản thử 2",
            "unit": "",
        },
    )
    assert response.status_code == 302
    assert get_working_calendar().is_working_day(dt.date(2026, 3, 21))
