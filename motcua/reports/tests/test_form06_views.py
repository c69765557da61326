"""Report form 06 on screen, its cells' dossiers and its Excel and PDF files, over the
hand-built month of `test_form06` (16–20 March 2026), built by that test's own code."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import ClassVar
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.models import Role, User
from motcua.reports import exports, form06_views
from motcua.reports.form06 import build_form06
from motcua.reports.form06_views import reporting_month, reporting_quarter, reporting_year
from motcua.reports.tests import test_form06
from motcua.reports.tests.test_form06 import END, START
from motcua.testing.base import PersonaTestCase
from motcua.testing.builders import make_officer

PERIOD = f"tu={START.isoformat()}&den={END.isoformat()}"
#                    3   4  5  6  7  8  9 10 11 12 13
CIVIL_PROVINCE = [13, 1, 8, 4, 8, 2, 3, 3, 5, 3, 2]
CIVIL_COMMUNE_A = [11, 1, 7, 3, 7, 2, 3, 2, 4, 2, 2]
TOTAL_PROVINCE = [15, 1, 10, 4, 9, 3, 3, 3, 6, 3, 3]

LINE = re.compile(r'<tr class="line-(\w+)" data-line="([^"]*)">(.*?)</tr>', re.DOTALL)
CELL = re.compile(r'<td class="num" data-column="(\d+)">(?:<a href="([^"]+)"[^>]*>)?(\d+)')
LABEL = re.compile(r'<th scope="row">([^<]*)</th>')


def shown(html: str) -> dict[str, tuple[str, list[int], dict[int, str]]]:
    """Each line of the shown form by its data-line key: label, values of columns 3–13,
    and the link of each linked cell."""
    out = {}
    for _kind, key, body in LINE.findall(html):
        label = LABEL.search(body)
        cells = CELL.findall(body)
        out[key] = (
            label.group(1) if label else "",
            [int(v) for _, _, v in cells],
            {int(c): href.replace("&amp;", "&") for c, href, _ in cells if href},
        )
    return out


class Form06PageTests(PersonaTestCase):
    hung_b: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        # The hand-built month of test_form06, built by its own setUpTestData.
        dataset: type[test_form06.Form06Tests] = type(
            "HandBuiltMonth", (test_form06.Form06Tests,), {}
        )
        dataset.setUpTestData()
        cls.p = dataset.p
        cls.hung_b = make_officer("hung_b", "Lý Văn Hưng", cls.p.commune_b, Role.SIGNING_LEADER)

    def as_user(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def page(self, user: User, unit_id: int, period: str = PERIOD) -> str:
        response = self.as_user(user).get(f"/bao-cao/bieu-06/?don_vi={unit_id}&{period}")
        assert response.status_code == 200
        return response.content.decode()

    def test_the_page_shows_the_hand_built_months_numbers_for_the_province(self) -> None:
        lines = shown(self.page(self.p.thu, self.p.province.pk))
        civil = next(v for k, v in lines.items() if v[0] == "Hộ tịch")
        assert civil[1] == CIVIL_PROVINCE
        assert lines["total::"][1] == TOTAL_PROVINCE
        labels = [v[0] for v in lines.values()]
        assert labels == ["Cấp tỉnh", "Đất đai", "Cấp xã", "Chứng thực", "Hộ tịch", "Tổng cộng"]
        assert lines["level:commune:"][1] == [14, 1, 9, 4, 9, 3, 3, 3, 5, 3, 2]

    def test_a_commune_leader_sees_the_communes_numbers(self) -> None:
        lines = shown(self.page(self.p.hung, self.p.commune_a.pk))
        civil = next(v for v in lines.values() if v[0] == "Hộ tịch")
        assert civil[1] == CIVIL_COMMUNE_A

    def test_the_page_shows_the_two_row_heading_the_period_and_the_definitions(self) -> None:
        html = self.page(self.p.thu, self.p.province.pk)
        assert '<th scope="colgroup" colspan="4">Số hồ sơ nhận giải quyết</th>' in html
        assert '<th scope="colgroup" colspan="3">Số hồ sơ đang giải quyết</th>' in html
        assert html.count('rowspan="2"') == 2
        assert "<caption" in html
        assert "Từ ngày 16/03/2026 đến ngày 20/03/2026" in html
        assert "tính đến 00:00 21/03/2026" in html
        # Each link names its line, its column and its number for screen readers.
        name = "Hộ tịch, Số hồ sơ nhận giải quyết – Từ kỳ trước chuyển qua (cột 6): 4 hồ sơ"
        assert f'aria-label="{name}"' in html
        for column in range(3, 14):
            assert str(exports.DEFINITIONS[column]) in html

    def test_every_shown_cell_links_to_exactly_as_many_dossiers(self) -> None:
        client = self.as_user(self.p.thu)
        lines = shown(self.page(self.p.thu, self.p.province.pk))
        links = 0
        for label, values, hrefs in lines.values():
            for column, value in zip(range(3, 14), values, strict=True):
                if not value:
                    assert column not in hrefs, (label, column)
                    continue
                response = client.get(hrefs[column])
                assert response.status_code == 200
                html = response.content.decode()
                assert html.count("data-dossier=") == value, (label, column)
                assert f"<strong>{value} hồ sơ</strong>" in html
                links += 1
        assert links == sum(1 for v in lines.values() for n in v[1] if n)

    def test_a_cells_list_links_each_dossier_to_its_back_office_page(self) -> None:
        lines = shown(self.page(self.p.hung, self.p.commune_a.pk))
        civil = next(v for v in lines.values() if v[0] == "Hộ tịch")
        html = self.as_user(self.p.hung).get(civil[2][6]).content.decode()
        ids = re.findall(r'data-dossier="(\d+)"', html)
        assert len(ids) == 3
        for pk in ids:
            assert f'href="/can-bo/ho-so/{pk}/"' in html
        assert "Nguyễn Văn An" in html  # officers see the names of dossiers they may see

    def test_a_long_list_is_paged(self) -> None:
        query = f"don_vi={self.p.province.pk}&{PERIOD}&cot=3"
        client = self.as_user(self.p.thu)
        with mock.patch.object(form06_views, "PAGE_SIZE", 10):
            first = client.get(f"/bao-cao/bieu-06/ho-so/?{query}").content.decode()
            second = client.get(f"/bao-cao/bieu-06/ho-so/?{query}&trang=2").content.decode()
        assert first.count("data-dossier=") == 10
        assert second.count("data-dossier=") == 5
        assert "Trang 2/2" in second

    def test_without_dates_the_current_reporting_month_is_shown(self) -> None:
        response = self.as_user(self.p.hung).get("/bao-cao/bieu-06/")
        assert response.status_code == 200
        start, end = reporting_month(dt.date.today())  # noqa: DTZ011 -- a day, not a moment
        assert response.context["start"] == start
        assert response.context["end"] == end
        assert response.context["unit"] == self.p.commune_a

    def test_an_end_before_the_start_is_refused(self) -> None:
        response = self.as_user(self.p.hung).get(
            f"/bao-cao/bieu-06/?don_vi={self.p.commune_a.pk}&tu=2026-03-20&den=2026-03-16"
        )
        assert response.status_code == 400
        assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()

    def test_the_excel_cells_equal_the_screen_numbers(self) -> None:
        lines = shown(self.page(self.p.thu, self.p.province.pk))
        response = self.as_user(self.p.thu).get(
            f"/bao-cao/bieu-06/excel/?don_vi={self.p.province.pk}&{PERIOD}"
        )
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            'attachment; filename="bieu-06-H99-20260316-20260320.xlsx"'
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        assert sheet.title == "Biểu 06-VPCP-KSTT"
        rows = [
            list(row)
            for row in sheet.iter_rows(
                min_row=exports.FIRST_LINE_ROW,
                max_row=exports.FIRST_LINE_ROW + len(lines) - 1,
                max_col=13,
                values_only=True,
            )
        ]
        assert [[r[1], *r[2:]] for r in rows] == [[v[0], *v[1]] for v in lines.values()]
        assert all(isinstance(n, int) for r in rows for n in r[2:])
        merged = {str(r) for r in sheet.merged_cells.ranges}
        top = exports.HEADING_ROW
        assert {f"A{top}:A{top + 1}", f"B{top}:B{top + 1}", f"C{top}:F{top}"} <= merged
        assert {f"G{top}:J{top}", f"K{top}:M{top}"} <= merged
        assert sheet.cell(row=top, column=3).value == "Số hồ sơ nhận giải quyết"
        assert sheet.cell(row=top + 1, column=8).value == "Trước hạn"

    def test_the_pdf_names_the_form_and_its_totals(self) -> None:
        response = self.as_user(self.p.hung).get(
            f"/bao-cao/bieu-06/pdf/?don_vi={self.p.commune_a.pk}&{PERIOD}"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="bieu-06-H99.00001-20260316-20260320.pdf"'
        )
        text = " ".join(
            page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages
        )
        text = " ".join(text.split())
        assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
        assert "Biểu số 06/VPCP/KSTT" in text
        total = build_form06(self.p.commune_a, START, END).total
        values = " ".join(str(v) for v in total.as_columns().values())
        assert f"Tổng cộng {values}" in text

    def test_another_units_officer_gets_404_for_a_unit_they_cannot_see(self) -> None:
        client = self.as_user(self.hung_b)
        query = f"don_vi={self.p.commune_a.pk}&{PERIOD}"
        for path in ("", "ho-so/", "excel/", "pdf/"):
            extra = "&cot=3" if path == "ho-so/" else ""
            assert client.get(f"/bao-cao/bieu-06/{path}?{query}{extra}").status_code == 404
        own = f"don_vi={self.p.commune_b.pk}&{PERIOD}"
        assert client.get(f"/bao-cao/bieu-06/?{own}").status_code == 200

    def test_a_citizen_gets_404(self) -> None:
        client = self.as_user(self.p.an)
        query = f"don_vi={self.p.commune_a.pk}&{PERIOD}"
        for path in ("", "ho-so/", "excel/", "pdf/"):
            assert client.get(f"/bao-cao/bieu-06/{path}?{query}&cot=3").status_code == 404
        assert client.get("/bao-cao/bieu-06/").status_code == 404

    def test_a_bad_cell_is_not_found(self) -> None:
        client = self.as_user(self.p.hung)
        query = f"don_vi={self.p.commune_a.pk}&{PERIOD}"
        for extra in ("cot=2", "cot=14", "cot=3&cap=galaxy", "cot=3&linh_vuc=999999", ""):
            assert client.get(f"/bao-cao/bieu-06/ho-so/?{query}&{extra}").status_code == 404

    def test_the_index_links_each_unit_to_its_form(self) -> None:
        html = self.as_user(self.p.hung).get("/bao-cao/").content.decode()
        assert f'href="/bao-cao/bieu-06/?don_vi={self.p.commune_a.pk}"' in html

    def test_cell_links_carry_the_unit_period_line_and_column(self) -> None:
        lines = shown(self.page(self.p.thu, self.p.province.pk))
        href = lines["level:commune:"][2][13]
        query = parse_qs(urlsplit(href).query)
        assert query == {
            "don_vi": [str(self.p.province.pk)],
            "tu": ["2026-03-16"],
            "den": ["2026-03-20"],
            "cap": ["commune"],
            "cot": ["13"],
        }

    def test_the_page_and_a_cells_list_take_a_fixed_number_of_queries(self) -> None:
        # Session, user, roles and units (the header's and the unit's), then form 06's six.
        client = self.as_user(self.p.thu)
        query = f"don_vi={self.p.province.pk}&{PERIOD}"
        with self.assertNumQueries(16):
            client.get(f"/bao-cao/bieu-06/?{query}")
        with self.assertNumQueries(11):
            client.get(f"/bao-cao/bieu-06/ho-so/?{query}&cot=3")


def test_a_reporting_month_runs_from_the_15th_to_the_14th() -> None:
    assert reporting_month(dt.date(2026, 11, 26)) == (dt.date(2026, 11, 15), dt.date(2026, 12, 14))
    assert reporting_month(dt.date(2026, 11, 14)) == (dt.date(2026, 10, 15), dt.date(2026, 11, 14))
    assert reporting_month(dt.date(2026, 1, 3)) == (dt.date(2025, 12, 15), dt.date(2026, 1, 14))
    assert reporting_month(dt.date(2026, 12, 20)) == (dt.date(2026, 12, 15), dt.date(2027, 1, 14))


def test_a_reporting_quarter_ends_on_the_14th_of_its_last_month() -> None:
    assert reporting_quarter(dt.date(2026, 11, 26)) == (dt.date(2026, 9, 15), dt.date(2026, 12, 14))
    assert reporting_quarter(dt.date(2026, 3, 14)) == (dt.date(2025, 12, 15), dt.date(2026, 3, 14))
    assert reporting_quarter(dt.date(2026, 3, 15)) == (dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    assert reporting_quarter(dt.date(2026, 12, 15)) == (dt.date(2026, 12, 15), dt.date(2027, 3, 14))


def test_a_reporting_year_runs_from_15_december() -> None:
    assert reporting_year(dt.date(2026, 11, 26)) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    assert reporting_year(dt.date(2026, 12, 15)) == (dt.date(2026, 12, 15), dt.date(2027, 12, 14))
