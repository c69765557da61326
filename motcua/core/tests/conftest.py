from __future__ import annotations

from collections.abc import Iterator

import pytest

from motcua.core.calendars import invalidate_calendars


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    """Each test rolls its rows back; the per-process calendar cache must not outlive them."""
    invalidate_calendars()
    yield
    invalidate_calendars()
