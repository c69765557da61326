"""The public working-calendar page (portal)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from motcua.core.models import CalendarOverride, CalendarOverrideKind

pytestmark = pytest.mark.django_db


def cell(html: str, day: str) -> str:
    start = html.index(f'data-date="{day}"')
    return html[html.rindex("<td", 0, start) : html.index("</td>", start)]


def test_the_2026_calendar_marks_tet_the_swapped_days_and_the_make_up_saturdays() -> None:
    response = Client().get("/lich-lam-viec/2026/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    for day in ["2026-02-16", "2026-02-17", "2026-02-20"]:  # Tết
        assert "day--holiday" in cell(html, day)
    assert "Tết Nguyên đán" in cell(html, "2026-02-17")
    for day in ["2026-01-02", "2026-08-31"]:  # weekdays swapped for a Saturday
        assert "day--holiday" in cell(html, day)
        assert "Nghỉ hoán đổi" in cell(html, day)
    for day in ["2026-01-10", "2026-08-22"]:  # make-up Saturdays
        assert "day--makeup" in cell(html, day)
        assert "làm bù" in cell(html, day)
    assert "day--holiday" in cell(html, "2026-04-27")  # Hùng Kings, observed Monday
    assert "day--weekend" in cell(html, "2026-03-14")
    assert "day--work" in cell(html, "2026-03-16")
    assert "Công văn 12729/VPCP-KGVX" in html
    assert "Thông báo 9441/TB-BNV" in html
    assert html.count('class="month"') == 12


def test_the_calendar_list_shows_a_database_override_with_its_source() -> None:
    CalendarOverride.objects.create(
        day=dt.date(2026, 3, 17),
        kind=CalendarOverrideKind.DAY_OFF,
        name="Nghỉ đột xuất",
        legal_source="Công điện 1/CĐ-TTg",
    )
    html = Client().get("/lich-lam-viec/2026/").content.decode()
    assert "day--holiday" in cell(html, "2026-03-17")
    assert "Công điện 1/CĐ-TTg" in html


@time_machine.travel(dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_without_a_year_the_page_shows_the_current_year_and_marks_today() -> None:
    html = Client().get("/lich-lam-viec/").content.decode()
    assert "Lịch làm việc năm 2025" in html
    assert 'aria-current="date"' in cell(html, "2025-06-01")
    assert "day--makeup" in cell(html, "2025-04-26")


def test_a_year_out_of_range_is_not_found() -> None:
    assert Client().get("/lich-lam-viec/1800/").status_code == 404
