"""Dates of the surveys app: month arithmetic and the bounds of a date a user may give.

Children are recorded by birth (or due) month, stored as the 1st of the month; the
projection, the results' age bands and the paper import step through months with
:func:`add_months` and take the **last day** of a birth month (:func:`month_end`) as the
representative birth date (ADR 0053, 0055).
"""

from __future__ import annotations

import calendar
from datetime import date

#: Earliest and latest date accepted wherever a user gives one (open and close dates,
#: age dates, projection starts, answer dates): a typing error such as 1900 or 9999 is
#: refused rather than stored or computed with.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)


def date_in_bounds(value: date) -> bool:
    """True when ``value`` lies in :data:`DATE_MIN` … :data:`DATE_MAX` (both inclusive)."""
    return DATE_MIN <= value <= DATE_MAX


def month_start(day: date) -> date:
    """The 1st of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The 1st of the month ``months`` after ``day``'s month (``months`` may be negative).

    Raises ValueError when the result is outside years 1–9999.
    """
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)
