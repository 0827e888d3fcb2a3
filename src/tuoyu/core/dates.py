"""Local dates and deadline instants (Asia/Shanghai).

"Today" is the local date in ``settings.TIME_ZONE``. A deadline date is inclusive to
23:59:59.999999 local time. Working-day arithmetic lives in
:mod:`tuoyu.reference.calendar`, because it reads the calendar tables.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone


def local_today() -> date:
    """Return today's date in the platform's time zone."""
    return timezone.localdate()


def local_date(moment: datetime) -> date:
    """Return the local date of an aware datetime."""
    return timezone.localtime(moment).date()


def end_of_day(day: date) -> datetime:
    """Return the last instant (aware) of ``day`` in local time: the end of a deadline."""
    return timezone.make_aware(datetime.combine(day, time.max))


def is_overdue(deadline: date, *, now: datetime | None = None) -> bool:
    """True when ``now`` (default: the current time) is after the end of ``deadline``."""
    return (now or timezone.now()) > end_of_day(deadline)
