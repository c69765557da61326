"""Report form 06 over a hand-built month: every kind of dossier the counting rules name,
built through the real actions with the clock moved, asserted cell by cell.

Period: Monday 16 to Friday 20 March 2026. Procedures take 3 working days: accepted on a
Monday at 09:00, a dossier is due on Thursday at 09:00.
"""

from __future__ import annotations

import datetime as dt

from motcua.accounts.models import Unit
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Dossier
from motcua.reports.drilldown import cell_dossiers
from motcua.reports.folding import fold_pending, from_row, recount
from motcua.reports.form06 import Cells, Form06, build_form06
from motcua.reports.models import DossierFact
from motcua.reports.projection import changes_of
from motcua.reports.tests.helpers import at, commune_b_team, desk, finish, procedure
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import VN, online_dossier

START, END = dt.date(2026, 3, 16), dt.date(2026, 3, 20)
LATER = dt.datetime(2026, 4, 1, 9, 0, tzinfo=VN)


class Form06Tests(PersonaTestCase):
    civil: ProcedureVersion
    certify: ProcedureVersion
    land: ProcedureVersion

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        cls.civil = procedure("1.000001", "Đăng ký khai sinh", field="Hộ tịch")
        cls.certify = procedure("2.000002", "Chứng thực bản sao", field="Chứng thực")
        cls.land = procedure("3.000003", "Giao đất (ủy quyền)", field="Đất đai", level="province")
        bao = commune_b_team(p)
        civil = cls.civil

        # Before the period.
        with at(2026, 3, 9):  # D2: due Thu 12/03, closed Tue 17/03 → carried over, late
            d2 = desk(p, civil)
        with at(2026, 3, 9):  # D3: closed before the period → not in the form at all
            d3 = desk(p, civil)
        with at(2026, 3, 10):
            finish(p, d3)
        with at(2026, 3, 10):  # D4: due Fri 13/03, never closed → carried over, overdue
            desk(p, civil)
        with at(2026, 3, 11):  # B1: commune B, due Mon 16/03, closed Wed 18/03 → late
            b1 = desk(p, civil, commune_b=True)
        with at(2026, 3, 12):  # D1: due Tue 17/03, closed Mon 16/03 → carried over, early
            d1 = desk(p, civil)

        # In the period.
        with at(2026, 3, 16):
            finish(p, d1)
            d5 = online_dossier(p, civil, key="d5")  # online, closed Thu 19/03 15:00: on time
            actions.accept(d5.pk, actor=p.binh)
            d14 = desk(p, civil)  # supplement: paused one working day, due moves to Fri
            d15 = desk(p, civil)  # extended to 25/03, closed Fri: late against the original
            d13 = desk(p, cls.certify)  # another field, closed Tue: early
        with at(2026, 3, 16, 10):
            d6 = desk(p, civil, channel=Channel.POSTAL)  # by post, closed Wed 18/03: early
            actions.extend(d15.pk, actor=p.hung, new_due=dt.date(2026, 3, 25), reason="Xác minh")
            land = desk(p, cls.land)  # another level, due Thu 19/03 10:00: overdue at the end
        with at(2026, 3, 16, 14):
            desk(p, civil)  # D10: due Thu 19/03 14:00, open → overdue at the end
        with at(2026, 3, 17):
            finish(p, d2)
            finish(p, d13)
            d7 = desk(p, civil)  # withdrawn Wed 18/03: closed, counted on time
            d8 = desk(p, civil)  # supplement asked Wed 18/03, still waiting at the end
            actions.request_supplement(d14.pk, actor=p.binh, missing="Bản sao giấy tờ")
        with at(2026, 3, 18):
            actions.receive_supplement(d14.pk, actor=p.binh)
            finish(p, d6)
            finish(p, b1, bao)
            actions.withdraw(d7.pk, actor=p.an, reason="Không còn nhu cầu")
        with at(2026, 3, 18, 10):
            actions.request_supplement(d8.pk, actor=p.binh, missing="Giấy ủy quyền")
        with at(2026, 3, 19):
            desk(p, civil, commune_b=True)  # B2: due Tue 24/03, open within deadline
        with at(2026, 3, 19, 15):
            finish(p, d5)
        with at(2026, 3, 20):
            desk(p, civil)  # D9: due Wed 25/03, open within deadline
            online_dossier(p, civil, key="d11")  # never accepted: not received
            desk(p, civil, decision="refuse")  # refused: not received
        with at(2026, 3, 20, 10):
            finish(p, d14)
            finish(p, d15)
        del land
        fold_pending()

    def form(self, unit: Unit | None = None, now: dt.datetime = LATER) -> Form06:
        return build_form06(unit or self.p.province, START, END, now=now)

    def rows(self, form: Form06) -> dict[tuple[str, str], dict[int, int]]:
        return {
            (group.level, row.name): row.cells.as_columns()
            for group in form.groups
            for row in group.rows
        }

    def test_the_province_form_counts_every_cell_by_the_rules(self) -> None:
        rows = self.rows(self.form())
        #                         3   4  5  6  7  8  9 10 11 12 13
        civil = dict(zip(range(3, 14), [13, 1, 8, 4, 8, 2, 3, 3, 5, 3, 2], strict=True))
        certify = dict(zip(range(3, 14), [1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0], strict=True))
        land = dict(zip(range(3, 14), [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1], strict=True))
        assert rows == {
            ("commune", "Chứng thực"): certify,
            ("commune", "Hộ tịch"): civil,
            ("province", "Đất đai"): land,
        }

    def test_levels_have_subtotals_and_the_form_a_total(self) -> None:
        form = self.form()
        assert [g.level for g in form.groups] == ["province", "commune"]
        commune = form.groups[1]
        assert [r.name for r in commune.rows] == ["Chứng thực", "Hộ tịch"]
        assert commune.subtotal.as_columns() == {
            3: 14,
            4: 1,
            5: 9,
            6: 4,
            7: 9,
            8: 3,
            9: 3,
            10: 3,
            11: 5,
            12: 3,
            13: 2,
        }
        assert form.total == commune.subtotal + form.groups[0].subtotal
        assert form.total.as_columns()[3] == 15

    def test_columns_add_up(self) -> None:
        for cells in [self.form().total, self.form(self.p.commune_a).total]:
            assert cells.received == cells.received_online + cells.received_direct_postal + (
                cells.carried_over
            )
            assert cells.closed == cells.closed_early + cells.closed_on_time + cells.closed_late
            assert cells.open == cells.received - cells.closed
            assert cells.open == cells.open_within + cells.open_overdue

    def test_a_commune_sees_only_its_own_dossiers(self) -> None:
        rows_a = self.rows(self.form(self.p.commune_a))
        rows_b = self.rows(self.form(self.p.commune_b))
        assert rows_a[("commune", "Hộ tịch")] == dict(
            zip(range(3, 14), [11, 1, 7, 3, 7, 2, 3, 2, 4, 2, 2], strict=True)
        )
        assert rows_b == {
            ("commune", "Hộ tịch"): dict(
                zip(range(3, 14), [2, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0], strict=True)
            )
        }

    def test_a_period_ending_today_splits_the_open_dossiers_as_of_now(self) -> None:
        friday_evening = dt.datetime(2026, 3, 20, 18, 0, tzinfo=VN)
        live = self.form(now=friday_evening)
        assert live.as_of == friday_evening
        assert live.total == self.form().total

    def test_the_live_split_follows_the_day_hour_by_hour(self) -> None:
        """Thursday 19/03: D5, D15 (due 09:00), the land dossier (10:00) and D10 (14:00)
        fall overdue one by one, B2 arrives at 09:00 and D5 closes at 15:00 — seen from the
        rollups of the whole week and the facts of that day."""
        expected = {  # moment: (open, overdue)
            (8, 0): (7, 1),
            (9, 0): (8, 1),  # B2 received at 09:00; D5 and D15 due at 09:00 (not yet late)
            (9, 1): (8, 3),
            (10, 0): (8, 3),
            (10, 1): (8, 4),
            (14, 1): (8, 5),
            (15, 0): (7, 4),  # D5 closed at 15:00
            (23, 59): (7, 4),
        }
        for (hour, minute), (still_open, overdue) in expected.items():
            moment = dt.datetime(2026, 3, 19, hour, minute, tzinfo=VN)
            form = build_form06(self.p.province, START, dt.date(2026, 3, 19), now=moment)
            assert (form.total.open, form.total.open_overdue) == (still_open, overdue), moment
            for column, value in form.total.as_columns().items():
                ids = cell_dossiers(
                    self.p.province, START, dt.date(2026, 3, 19), column, now=moment
                )
                assert len(ids) == value, (moment, column)

    def test_the_day_after_the_period_is_where_the_end_stock_is_taken(self) -> None:
        form = self.form()
        assert form.as_of == dt.datetime(2026, 3, 21, 0, 0, tzinfo=VN)

    def test_an_earlier_period_carries_over_into_a_later_one(self) -> None:
        first = build_form06(self.p.province, dt.date(2026, 3, 9), dt.date(2026, 3, 13), now=LATER)
        assert first.total.open == self.form().total.carried_over == 4

    def test_recount_finds_no_difference(self) -> None:
        assert recount(write=False).difference == 0

    def test_a_past_period_takes_six_queries_however_much_data(self) -> None:
        with self.assertNumQueries(6):
            self.form()

    def test_a_period_ending_today_takes_seven_queries(self) -> None:
        with self.assertNumQueries(7):
            self.form(now=dt.datetime(2026, 3, 20, 18, 0, tzinfo=VN))

    def test_every_cell_drills_down_to_as_many_dossiers_as_it_counts(self) -> None:
        for now in (LATER, dt.datetime(2026, 3, 20, 18, 0, tzinfo=VN)):
            form = self.form(now=now)
            for group in form.groups:
                for row in group.rows:
                    for column, value in row.cells.as_columns().items():
                        ids = cell_dossiers(
                            self.p.province,
                            START,
                            END,
                            column,
                            level=group.level,
                            field_id=row.field_id,
                            now=now,
                        )
                        assert len(ids) == value, (now, group.level, row.name, column)
            for column, value in form.total.as_columns().items():
                assert len(cell_dossiers(self.p.province, START, END, column, now=now)) == value

    def test_the_carried_over_cell_names_the_dossiers_received_before_the_period(self) -> None:
        ids = cell_dossiers(self.p.commune_b, START, END, 6, now=LATER)
        assert [Dossier.objects.get(pk=i).accepted_at.date() for i in ids] == [  # type: ignore[union-attr]
            dt.date(2026, 3, 11)
        ]

    def test_cells_have_the_thirteen_columns_of_the_form(self) -> None:
        assert sorted(Cells().as_columns()) == list(range(3, 14))

    def test_running_totals_give_the_same_cells_as_counting_dossier_by_dossier(self) -> None:
        later = dt.datetime(2026, 6, 1, 9, 0, tzinfo=VN)
        periods = [
            (dt.date(2026, 3, 15), dt.date(2026, 4, 14)),
            (dt.date(2026, 3, 1), dt.date(2026, 3, 14)),
            (dt.date(2026, 3, 10), dt.date(2026, 3, 17)),
            (dt.date(2026, 3, 19), dt.date(2026, 3, 19)),
            (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
            (dt.date(2026, 3, 9), dt.date(2026, 3, 31)),
            (dt.date(2026, 2, 1), dt.date(2026, 4, 30)),
            (dt.date(2026, 3, 18), dt.date(2026, 4, 2)),
            (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
            (START, END),
        ]
        for start, end in periods:
            form = build_form06(self.p.province, start, end, now=later)
            got = {(g.level, r.field_id): r.cells for g in form.groups for r in g.rows}
            assert got == from_facts(start, end), (start, end)


def from_facts(start: dt.date, end: dt.date) -> dict[tuple[str, int], Cells]:
    """Form 06 counted the slow way, dossier by dossier, from the stored facts."""
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for f in DossierFact.objects.all():
        c = counts.setdefault((f.level, f.field_id), dict.fromkeys(Cells.__annotations__, 0))
        closed_on = f.closed_on or dt.date.max
        if start <= f.received_on <= end:
            c["received_online" if f.channel == "online" else "received_direct_postal"] += 1
        if f.received_on < start <= closed_on:
            c["carried_over"] += 1
        if start <= closed_on <= end:
            c["closed_" + ("on_time" if f.outcome == "withdrawn" else f.outcome)] += 1
        if f.received_on <= end < closed_on:
            c["open"] += 1
            boundary = end + dt.timedelta(days=1)
            overdue = sum(v for d, _, _, v in changes_of(from_row(f)) if d <= boundary)
            c["open_overdue" if overdue else "open_within"] += 1
    cells = {}
    for group, c in counts.items():
        c["received"] = c["received_online"] + c["received_direct_postal"] + c["carried_over"]
        c["closed"] = c["closed_early"] + c["closed_on_time"] + c["closed_late"]
        row = Cells(**c)
        if any(row.as_columns().values()):
            cells[group] = row
    return cells
