"""Half-months, the buckets of the rollups between days and years: the 1st to the 14th and
the 15th to the end of a month. Calendar months and the reporting months of the reporting
regime (NĐ 09/2019/NĐ-CP Art. 12: from the 15th of one month to the 14th of the next) are
both whole half-months, so neither reads day rows."""

from __future__ import annotations

import datetime as dt

SPLIT = 15  # the second half starts on this day of the month


def half_of(day: dt.date) -> dt.date:
    """The first day of the half-month holding `day`."""
    return day.replace(day=1 if day.day < SPLIT else SPLIT)


def next_half(start: dt.date) -> dt.date:
    """The first day of the half-month after the one starting on `start`."""
    if start.day < SPLIT:
        return start.replace(day=SPLIT)
    return (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
