"""The set-based recount checks the stored facts and the day table by fingerprints
(recount_sql.FactPrint, Fingerprint): differences that leave every sum unchanged are still
found and repaired, only the blocks of dossiers found differing are compared column by
column, and local days are taken by the zone's fixed offset only where it has one."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from motcua.reports import recount_sql
from motcua.reports.folding import RecountReport, fold_pending, recount
from motcua.reports.models import FLOW_COUNTERS, DailyFlow, DossierFact
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


@postgresql_only
class FactPrintTests(PersonaTestCase):
    """Nine dossiers received on one day; with blocks of one dossier id, a fact differing
    flags one block in nine, and only that block's dossiers are computed again."""

    def setUp(self) -> None:
        self.version = make_process_procedure()
        for hour in range(8, 17):
            with at(2026, 3, 16, hour):
                desk(self.p, self.version)
        fold_pending()
        self.facts = self.stored()
        self.ids = sorted(self.facts)

    @staticmethod
    def stored() -> dict[int, dict[str, object]]:
        return {f["dossier_id"]: dict(f) for f in DossierFact.objects.values()}

    def recount(self, *, block: int, write: bool = False) -> tuple[RecountReport, bool]:
        """The report, and whether only the flagged blocks were compared."""
        with (
            mock.patch.object(recount_sql, "BLOCK", block),
            CaptureQueriesContext(connection) as queries,
        ):
            report = recount(write=write)
        diff = [q["sql"] for q in queries if "CREATE UNLOGGED TABLE reports_rc_diff" in q["sql"]]
        return report, "reports_rc_fflag b" in diff[0]

    def assert_repaired(self, differing: int, *, block: int = 1) -> None:
        report, by_blocks = self.recount(block=block)
        assert (report.facts_differing, report.rows_differing) == (differing, 0)
        assert by_blocks == (block == 1)
        self.recount(block=block, write=True)
        assert self.stored() == self.facts
        assert self.recount(block=block)[0].difference == 0

    def test_nothing_differs_and_no_dossier_is_computed_again(self) -> None:
        report, by_blocks = self.recount(block=1)
        assert (report.dossiers, report.difference, by_blocks) == (9, 0, True)

    def test_a_moment_one_microsecond_off_is_found_in_its_block(self) -> None:
        DossierFact.objects.filter(pk=self.ids[4]).update(
            received_at=F("received_at") + dt.timedelta(microseconds=1)
        )
        self.assert_repaired(differing=1)

    def test_values_swapped_between_two_facts_of_one_block_are_found(self) -> None:
        first, second = (self.facts[i]["received_at"] for i in self.ids[:2])
        DossierFact.objects.filter(pk=self.ids[0]).update(received_at=second)
        DossierFact.objects.filter(pk=self.ids[1]).update(received_at=first)
        self.assert_repaired(differing=2, block=4096)  # every dossier in one block

    def test_stock_changes_written_into_a_fact_never_paused_are_found(self) -> None:
        DossierFact.objects.filter(pk=self.ids[2]).update(stock_changes=[["2026-03-17", 1, 0, 0]])
        self.assert_repaired(differing=1)

    def test_a_supplement_day_written_into_a_fact_is_found(self) -> None:
        DossierFact.objects.filter(pk=self.ids[7]).update(supplement_days=["2026-03-16"])
        self.assert_repaired(differing=1)

    def test_a_missing_fact_is_found_in_its_block(self) -> None:
        DossierFact.objects.filter(pk=self.ids[3]).delete()
        self.assert_repaired(differing=1)

    def test_a_fact_of_a_dossier_not_received_is_found_and_removed(self) -> None:
        with at(2026, 3, 16, 10):
            refused = desk(self.p, self.version, decision="refuse")
        DossierFact.objects.create(**(self.facts[self.ids[5]] | {"dossier_id": refused.pk}))
        self.assert_repaired(differing=1)


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
