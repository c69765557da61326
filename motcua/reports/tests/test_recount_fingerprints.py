"""The set-based recount checks the day table by fingerprints (recount_sql.Fingerprint):
differences that leave every sum over the days unchanged are still found and repaired, and
local days are taken by the zone's fixed offset only where it has one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from motcua.reports.folding import fold_pending, recount
from motcua.reports.models import FLOW_COUNTERS, DailyFlow
from motcua.reports.recount_sql import fixed_offset, local_day
from motcua.reports.tests.helpers import at, desk
from motcua.testing.base import PersonaTestCase
from motcua.testing.dossiers import make_process_procedure

MONDAY, TUESDAY = dt.date(2026, 3, 16), dt.date(2026, 3, 17)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based recount is PostgreSQL's"
)


@postgresql_only
class FingerprintTests(PersonaTestCase):
    def setUp(self) -> None:
        self.version = make_process_procedure()
        with at(2026, 3, 16):  # received Monday and Tuesday: open from the day after
            desk(self.p, self.version)
        with at(2026, 3, 17):
            desk(self.p, self.version)
        fold_pending()
        self.rows = self.day_rows()

    @staticmethod
    def day_rows() -> list[dict[str, object]]:
        rows = DailyFlow.objects.order_by("day").values()
        return [{k: v for k, v in row.items() if k != "id"} for row in rows]

    def assert_repaired(self, differing: int) -> None:
        report = recount(write=False)
        assert (report.facts_differing, report.rows_differing) == (0, differing)
        recount()
        assert self.day_rows() == self.rows
        assert recount(write=False).difference == 0

    def test_a_count_moved_to_another_day_of_the_same_procedure_is_found(self) -> None:
        # the unit's and procedure's totals over the days stay the same, and no row is
        # left all zero (Tuesday's stock still changes)
        DailyFlow.objects.filter(day=MONDAY).update(received_direct=2)
        DailyFlow.objects.filter(day=TUESDAY).update(received_direct=0)
        self.assert_repaired(differing=2)

    def test_counts_swapped_between_two_counters_of_a_day_are_found(self) -> None:
        DailyFlow.objects.filter(day=MONDAY).update(received_direct=0, received_online=1)
        self.assert_repaired(differing=1)

    def test_a_day_row_of_zeros_is_found_and_removed(self) -> None:
        row = next(r for r in self.rows if r["day"] == MONDAY)
        DailyFlow.objects.create(
            **(row | dict.fromkeys(FLOW_COUNTERS, 0) | {"day": TUESDAY + dt.timedelta(days=9)})
        )
        self.assert_repaired(differing=1)

    def test_a_day_row_moved_to_another_unit_is_found_in_both(self) -> None:
        DailyFlow.objects.filter(day=MONDAY).update(unit=self.p.province)
        self.assert_repaired(differing=2)


def test_a_zone_keeps_its_fixed_offset_only_after_its_last_change() -> None:
    assert fixed_offset("Asia/Ho_Chi_Minh") == (dt.datetime(1975, 6, 13, tzinfo=dt.UTC), 7 * 3600)
    assert fixed_offset("UTC") == (dt.datetime(1900, 1, 1, tzinfo=dt.UTC), 0)
    assert fixed_offset("Europe/Paris") is None  # summer time every year


@postgresql_only
@pytest.mark.django_db
def test_local_days_by_the_fixed_offset_agree_with_the_zone_on_both_sides_of_its_change() -> None:
    moments = [  # 1975: UTC+8 until 12/06 16:00 UTC, then UTC+7
        "1975-06-12 15:30+00",
        "1975-06-12 16:30+00",
        "1975-06-12 17:30+00",
        "2026-11-25 16:59:59+00",
        "2026-11-25 17:00:00+00",
    ]
    with connection.cursor() as cursor:
        for moment in moments:
            cursor.execute(
                f"SELECT {local_day('m')}, (m AT TIME ZONE 'Asia/Ho_Chi_Minh')::date "  # noqa: S608
                "FROM (SELECT %s::timestamptz AS m) t",
                [moment],
            )
            mine, zones = cursor.fetchone()
            assert mine == zones, moment
