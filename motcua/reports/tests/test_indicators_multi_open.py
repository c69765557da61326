"""Decision 766 2.1 counts a dossier late after more than one supplement request — also
while it is still open within deadline at the end of the period, which form 06 counts
within deadline (indicators.open_after_requests). All in commune A, 3-working-day
procedure:

- A: accepted Monday 16/3 09:00; supplement asked and given Monday 10:00, asked again
  Tuesday 09:00 and never given → waiting (within deadline) at the end: late for 2.1;
- B: accepted Friday 20/3 09:00; supplement asked and given Friday 10:00, asked again on
  Monday 23/3 → one request by Friday: on time; two by Monday 23: late;
- C: accepted Monday 16/3 09:00; supplements asked and given at once on Monday and Tuesday
  → running past its appointment (Thursday) at the end: overdue in form 06, late once;
- D: accepted Friday 20/3 09:00, nothing asked → within deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from motcua.accounts.models import Unit
from motcua.reports.folding import fold_pending
from motcua.reports.indicators import Scores, build_scores, figures_by_unit
from motcua.reports.indicators_drill import indicator_dossiers
from motcua.reports.tests.helpers import ask_supplement, at, desk, procedure
from motcua.reports.tests.test_form06 import END, LATER, START
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import VN

MONDAY_AFTER = dt.date(2026, 3, 23)
FRIDAY_EVENING = dt.datetime(2026, 3, 20, 17, 0, tzinfo=VN)


class OpenAfterTwoRequestsTests(PersonaTestCase):
    ids: ClassVar[dict[str, int]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.p
        civil = procedure("1.000001", "Đăng ký khai sinh", field="Hộ tịch")

        with at(2026, 3, 16):
            a, c = desk(p, civil), desk(p, civil)
        with at(2026, 3, 16, 10):
            ask_supplement(p, a)
            ask_supplement(p, c)
        with at(2026, 3, 17):
            ask_supplement(p, a, give=False)
            ask_supplement(p, c)
        with at(2026, 3, 20):
            b, d = desk(p, civil), desk(p, civil)
        with at(2026, 3, 20, 10):
            ask_supplement(p, b)
        with at(2026, 3, 23):
            ask_supplement(p, b, give=False)
        fold_pending()
        cls.ids = {"a": a.pk, "b": b.pk, "c": c.pk, "d": d.pk}

    def scores(self, end: dt.date, now: dt.datetime) -> Scores:
        return build_scores(self.p.province, START, end, now=now)

    def listed(self, part: str, end: dt.date, now: dt.datetime) -> list[int]:
        return indicator_dossiers(self.p.province, START, end, "2.1", part, now=now)

    def of(self, *names: str) -> list[int]:
        return sorted(self.ids[n] for n in names)

    def test_a_dossier_waiting_after_its_second_request_is_late_for_2_1_only(self) -> None:
        f = self.scores(END, LATER).figures
        assert (f.handled, f.open_end, f.overdue_end) == (4, 4, 1)  # form 06: C overdue
        assert (f.on_time, f.open_multi_supplement, f.on_time_766) == (3, 1, 2)  # A late
        ind = self.scores(END, LATER).indicator("2.1")
        assert (ind.numerator, ind.denominator) == (2, 4)

    def test_the_drill_down_lists_it_late_and_not_on_time(self) -> None:
        assert self.listed("bo_sung", END, LATER) == self.of("a")
        assert self.listed("dat", END, LATER) == self.of("b", "d")
        assert self.listed("tre", END, LATER) == self.of("a", "c")

    def test_only_the_requests_made_by_the_end_count(self) -> None:
        f = self.scores(MONDAY_AFTER, LATER).figures  # B's second request on the last day
        assert (f.on_time, f.open_multi_supplement, f.on_time_766) == (3, 2, 1)
        assert self.listed("bo_sung", MONDAY_AFTER, LATER) == self.of("a", "b")

    def test_a_period_ending_today_judges_the_dossiers_now(self) -> None:
        f = self.scores(END, FRIDAY_EVENING).figures
        assert (f.on_time, f.open_multi_supplement, f.on_time_766) == (3, 1, 2)
        assert self.listed("tre", END, FRIDAY_EVENING) == self.of("a", "c")

    def test_each_unit_of_a_ranking_has_its_own(self) -> None:
        units = Unit.objects.filter(pk__in=[self.p.commune_a.pk, self.p.commune_b.pk])
        figures = figures_by_unit(units, START, END, now=LATER)
        assert figures[self.p.commune_a.pk].open_multi_supplement == 1
        assert (
            self.p.commune_b.pk not in figures
            or figures[self.p.commune_b.pk].open_multi_supplement == 0
        )
