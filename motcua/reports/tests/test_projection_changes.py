"""A dossier never paused keeps no stock changes on its fact: they follow from its days,
and count the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from motcua.reports.projection import Fact, changes_of, contribution

TZ = timezone.get_default_timezone()
MONDAY = dt.date(2026, 11, 2)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


NEVER_PAUSED = Fact(
    dossier_id=1,
    unit_id=1,
    procedure_id=1,
    field_id=1,
    level="commune",
    channel="online",
    received_at=at(MONDAY, 9),
    received_on=MONDAY,
    closed_at=at(day(4), 10),  # Friday, two days after its Wednesday appointment
    closed_on=day(4),
    outcome="late",
    due_at=at(day(2), 17),
    paused_at=None,
    supplement_days=(),
    digitised=False,
    result_electronic=False,
    stock_changes=(),
)


def test_a_late_dossier_never_paused_is_open_then_overdue_from_its_days() -> None:
    assert changes_of(NEVER_PAUSED) == (
        (day(1), 1, 0, 0),  # open from Tuesday
        (day(3), 0, 0, 1),  # overdue from Thursday, the day after its appointment
        (day(5), -1, 0, -1),  # neither from Saturday, the day after closing
    )


def test_a_dossier_closed_the_day_it_was_received_changes_no_stock() -> None:
    same_day = replace(NEVER_PAUSED, closed_at=at(MONDAY, 15), closed_on=MONDAY)
    assert changes_of(same_day) == ()


def test_an_open_dossier_past_its_appointment_stays_open_and_overdue() -> None:
    open_one = replace(NEVER_PAUSED, closed_at=None, closed_on=None, outcome="")
    assert changes_of(open_one) == ((day(1), 1, 0, 0), (day(3), 0, 0, 1))


def test_the_changes_a_paused_dossier_keeps_are_the_ones_counted() -> None:
    kept = ((day(1), 1, 0, 0), (day(2), 0, 1, 0), (day(4), 0, -1, 0), (day(5), -1, 0, 0))
    paused = replace(NEVER_PAUSED, stock_changes=kept)
    assert changes_of(paused) == kept
    rows = contribution(paused)
    assert rows[(1, 1, 1, "commune", day(2))]["paused_change"] == 1
    assert (1, 1, 1, "commune", day(3)) not in rows  # no overdue kept: none counted


def test_the_derived_changes_are_counted_like_kept_ones() -> None:
    rows = contribution(NEVER_PAUSED)
    assert rows[(1, 1, 1, "commune", day(1))]["open_change"] == 1
    assert rows[(1, 1, 1, "commune", day(3))]["overdue_change"] == 1
    assert rows[(1, 1, 1, "commune", day(5))]["open_change"] == -1
    assert rows[(1, 1, 1, "commune", day(5))]["overdue_change"] == -1
