"""Local dates and the end of a deadline day in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from tuoyu.core.dates import end_of_day, is_overdue, local_date, local_today


def test_local_date_of_utc_evening_is_the_next_day_in_shanghai():
    assert local_date(datetime(2025, 1, 24, 17, 0, tzinfo=UTC)) == date(2025, 1, 25)


@time_machine.travel(datetime(2025, 1, 24, 16, 30, tzinfo=UTC), tick=False)
def test_today_is_the_local_date():
    assert local_today() == date(2025, 1, 25)


def test_deadline_day_is_not_overdue_until_its_last_second():
    assert not is_overdue(date(2025, 2, 7), now=datetime(2025, 2, 7, 15, 59, 59, tzinfo=UTC))
    assert is_overdue(date(2025, 2, 7), now=datetime(2025, 2, 7, 16, 0, 0, tzinfo=UTC))


def test_end_of_day_is_aware():
    assert end_of_day(date(2025, 2, 7)).utcoffset() is not None
