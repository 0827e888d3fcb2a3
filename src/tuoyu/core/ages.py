"""The one age function of the code base (月龄), and the class bands (班型).

Rule (issue 2, and the usual Chinese practice for 月龄): a month of age is complete on the
same day number of a later month or, when that day does not exist in that month, on the
1st of the following month. So a child born 31 Aug is 6 months old on 1 Mar, and one born
29 Feb 2024 is 12 months old on 1 Mar 2025.

Class bands are half-open intervals of completed months (托育机构设置标准（试行）
国卫人口发〔2019〕58号 Art. 19): infant class 乳儿班 [6, 12), toddler class 托小班
[12, 24), older toddler class 托大班 [24, 36); a mixed class 混合编班 takes children from
18 months (to 36). The numbers are read from the standards rule table where it matters;
the defaults here are the national ones.
"""

from __future__ import annotations

import calendar
from datetime import MAXYEAR, date


def month_anniversary(birth_date: date, months: int) -> date:
    """Return the date on which a child born on ``birth_date`` completes ``months`` months.

    ``months`` ≥ 0. When the birth day number does not exist in the target month, the
    anniversary is the 1st of the following month.

    Raises ValueError when ``months`` is negative, or when the anniversary falls after
    9999-12-31 (the last date Python can represent); the message names the birth date and
    the months, so a caller can tell the input is out of range.
    """
    if months < 0:
        raise ValueError("months must be >= 0")
    total = birth_date.month - 1 + months
    year, month = birth_date.year + total // 12, total % 12 + 1
    if year > MAXYEAR:
        raise ValueError(
            f"the {months}-month anniversary of {birth_date.isoformat()} is after "
            f"{date.max.isoformat()}, the last representable date"
        )
    last_day = calendar.monthrange(year, month)[1]
    if birth_date.day <= last_day:
        return date(year, month, birth_date.day)
    if month == 12:
        return date(year + 1, 1, 1)
    return date(year, month + 1, 1)


def age_in_months(birth_date: date, *, as_of: date) -> int:
    """Return the completed months of age on ``as_of`` (int, may be negative before birth).

    Raises TypeError if either argument is not a date. A child not yet born on ``as_of``
    gets a negative number (used for expected births in survey projections).
    """
    if not isinstance(birth_date, date) or not isinstance(as_of, date):
        raise TypeError("birth_date and as_of must be dates")
    if as_of < birth_date:
        return -age_in_months(as_of, as_of=birth_date) - 1
    months = (as_of.year - birth_date.year) * 12 + (as_of.month - birth_date.month)
    while months > 0 and as_of < month_anniversary(birth_date, months):
        months -= 1
    return months


# Default bands (months, half-open). Authoritative values live in the standards table.
DEFAULT_BANDS: dict[str, tuple[int, int]] = {
    "infant": (6, 12),
    "toddler": (12, 24),
    "older": (24, 36),
    "mixed": (18, 36),
}


def in_band(months: int, band: tuple[int, int]) -> bool:
    """True when ``months`` lies in the half-open ``band`` (lower ≤ months < upper)."""
    lower, upper = band
    return lower <= months < upper


def class_type_for_age(months: int) -> str | None:
    """Return the single-age class type (``infant``, ``toddler``, ``older``) for ``months``.

    ``None`` below 6 months or from 36 months on (not served by a childcare facility).
    """
    for class_type in ("infant", "toddler", "older"):
        if in_band(months, DEFAULT_BANDS[class_type]):
            return class_type
    return None
