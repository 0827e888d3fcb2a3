"""Working-day calendar (工作日历) and deadlines in working days (工作日期限).

Where a day's status comes from:

1. years the ``chinesecalendar`` library knows (it follows the State Council General
   Office's yearly holiday notices, 国务院办公厅关于节假日安排的通知): its statutory
   holidays (法定节假日) and make-up workdays (调休上班日) are used directly;
2. years the library does not know but an administrator has entered
   (:class:`~tuoyu.reference.models.CalendarYear` with ``source=manual`` plus
   :class:`~tuoyu.reference.models.CalendarDay` exceptions, loaded by
   :func:`calendar_year_load`);
3. any other year is *unknown*: Monday–Friday are taken as working days, and every
   deadline that runs through such a year is marked provisional. When the year is
   loaded, every function registered with :func:`register_deadline_recomputer` is
   called with the year so the modules holding provisional deadlines recompute them.

Counting rule (托育机构登记和备案办法（试行）Art. 9, "5个工作日内"): the day the materials
are received is day 0; counting starts on the first working day *after* it, and the
deadline is the n-th working day, inclusive to 23:59:59 local time (Asia/Shanghai; see
:func:`tuoyu.core.dates.end_of_day`). Received Friday 24 Jan 2025, 5 working days:
Sun 26 Jan (make-up workday), Mon 27 Jan, then 5, 6, 7 Feb after the Spring Festival
holiday (28 Jan–4 Feb) → 7 Feb 2025.

Nothing here reads the clock: every function takes its dates as arguments. An aware
``datetime`` passed as a start is first converted to its local date.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import NamedTuple

import chinese_calendar
from django.db import transaction

from tuoyu.core.dates import local_date
from tuoyu.core.errors import DomainError, register
from tuoyu.reference.choices import CalendarDayKind, CalendarSource
from tuoyu.reference.models import CalendarDay, CalendarYear

logger = logging.getLogger(__name__)

REF_CALENDAR_LIBRARY_YEAR = register(
    "REF-010",
    "{year}年的工作日历已由 chinese-calendar 库提供，无需录入。",
    "The working-day calendar of {year} comes from the chinese-calendar library; it cannot be entered by hand.",
)
REF_CALENDAR_WRONG_YEAR = register(
    "REF-011",
    "日期{day}不属于{year}年。",
    "The date {day} is not in {year}.",
)
REF_CALENDAR_BOTH = register(
    "REF-012",
    "日期{day}不能既是节假日又是调休工作日。",
    "The date {day} cannot be both a holiday and a make-up workday.",
)
REF_CALENDAR_WORKDAY_WEEKDAY = register(
    "REF-013",
    "调休工作日{day}应为周六或周日。",
    "The make-up workday {day} must be a Saturday or a Sunday.",
)
REF_CALENDAR_BAD_YEAR = register(
    "REF-014",
    "年份{year}无效。",
    "{year} is not a valid year.",
)

MAX_WORKING_DAYS = 3660  # a guard against runaway loops (about 14 years of working days)

_LIBRARY_HOLIDAY_YEARS = {d.year for d in chinese_calendar.holidays}
_LIBRARY_WORKDAY_YEARS = {d.year for d in chinese_calendar.workdays}
#: Years whose calendar the installed chinese-calendar library knows (e.g. 2004–2026).
LIBRARY_YEARS: frozenset[int] = frozenset(
    range(min(_LIBRARY_HOLIDAY_YEARS), max(_LIBRARY_HOLIDAY_YEARS | _LIBRARY_WORKDAY_YEARS) + 1)
)


class Deadline(NamedTuple):
    """A deadline date (inclusive to 23:59:59 local time) and whether it is provisional.

    ``provisional`` is True when the count ran through a year whose calendar is not
    known; the date was then computed with the Monday–Friday rule and may move when
    the year's calendar is loaded. A named tuple: ``day, provisional = deadline`` works.
    """

    date: dt.date
    provisional: bool


class _Calendar:
    """One lookup session: reads each manual year from the database at most once."""

    def __init__(self) -> None:
        self._manual: dict[int, dict[dt.date, str] | None] = {}

    def _manual_year(self, year: int) -> dict[dt.date, str] | None:
        if year not in self._manual:
            if CalendarYear.objects.filter(year=year, source=CalendarSource.MANUAL).exists():
                days = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
                self._manual[year] = dict(days)
            else:
                self._manual[year] = None
        return self._manual[year]

    def is_year_known(self, year: int) -> bool:
        return year in LIBRARY_YEARS or self._manual_year(year) is not None

    def is_working_day(self, day: dt.date) -> bool:
        if day.year in LIBRARY_YEARS:
            return bool(chinese_calendar.is_workday(day))
        manual = self._manual_year(day.year)
        kind = manual.get(day) if manual else None
        if kind == CalendarDayKind.HOLIDAY:
            return False
        if kind == CalendarDayKind.WORKDAY:
            return True
        return day.weekday() < 5


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return local_date(value)
    if not isinstance(value, dt.date):
        raise TypeError("expected a date")
    return value


def is_year_known(year: int) -> bool:
    """True when the working-day calendar of ``year`` is known (library or entered by hand)."""
    return _Calendar().is_year_known(year)


def is_working_day(day: dt.date) -> bool:
    """True when ``day`` is a working day (工作日), make-up workdays included.

    In an unknown year Monday–Friday are working days. A datetime is taken at its
    local date.
    """
    return _Calendar().is_working_day(_as_date(day))


def add_working_days(start: dt.date, days: int) -> Deadline:
    """Return the date ``days`` working days after ``start`` (``start`` itself not counted).

    ``start``: the day of receipt (a date, or an aware datetime taken at its local date).
    ``days``: working days ≥ 0; 0 returns ``start``. The deadline is provisional when any
    day counted lies in a year whose calendar is unknown. Raises ValueError when ``days``
    is negative or larger than :data:`MAX_WORKING_DAYS`. Source of the rule: 托育机构登记
    和备案办法（试行）Art. 9 ("5个工作日内"); see the module docstring.
    """
    start = _as_date(start)
    if days < 0 or days > MAX_WORKING_DAYS:
        raise ValueError(f"days must be between 0 and {MAX_WORKING_DAYS}")
    cal = _Calendar()
    day, left, provisional = start, days, False
    while left:
        day += dt.timedelta(days=1)
        if not cal.is_year_known(day.year):
            provisional = True
        if cal.is_working_day(day):
            left -= 1
    return Deadline(date=day, provisional=provisional)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Number of working days ``d`` with ``a < d ≤ b`` (negative when ``b`` is before ``a``).

    Consistent with :func:`add_working_days`: for a working day ``b``,
    ``add_working_days(a, working_days_between(a, b)).date == b``. Unknown years use the
    Monday–Friday rule (see :func:`range_is_known`).
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    cal = _Calendar()
    count, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count


def range_is_known(a: dt.date, b: dt.date) -> bool:
    """True when every year from ``a`` to ``b`` (inclusive, either order) has a known calendar."""
    a, b = _as_date(a), _as_date(b)
    lo, hi = min(a.year, b.year), max(a.year, b.year)
    cal = _Calendar()
    return all(cal.is_year_known(y) for y in range(lo, hi + 1))


# --- recomputing provisional deadlines -------------------------------------------------

DeadlineRecomputer = Callable[[int], None]
_RECOMPUTERS: list[DeadlineRecomputer] = []


def register_deadline_recomputer(fn: DeadlineRecomputer) -> DeadlineRecomputer:
    """Register ``fn(year: int) -> None``, called after a calendar year has been loaded.

    Call it from an app's ``AppConfig.ready()`` (or use it as a decorator). ``fn`` should
    recompute the provisional deadlines it holds that run through ``year``. Registering
    the same function twice has no effect. Returns ``fn``.
    """
    if fn not in _RECOMPUTERS:
        _RECOMPUTERS.append(fn)
    return fn


def unregister_deadline_recomputer(fn: DeadlineRecomputer) -> None:
    """Remove ``fn`` from the registry (no error when it is not registered)."""
    if fn in _RECOMPUTERS:
        _RECOMPUTERS.remove(fn)


def deadline_recomputers() -> tuple[DeadlineRecomputer, ...]:
    """The registered recomputers, in registration order."""
    return tuple(_RECOMPUTERS)


# --- loading a year by hand ------------------------------------------------------------

def parse_date_list(text: str) -> list[dt.date]:
    """Parse dates separated by commas, spaces or new lines; ``A..B`` is an inclusive range.

    Dates are ISO (``2027-02-05``). Raises ValueError naming the first item that is not a
    date or a range that runs backwards.
    """
    result: list[dt.date] = []
    for item in text.replace("，", ",").replace(",", " ").split():
        if ".." in item:
            first, last = (dt.date.fromisoformat(p) for p in item.split("..", 1))
            if last < first:
                raise ValueError(item)
            day = first
            while day <= last:
                result.append(day)
                day += dt.timedelta(days=1)
        else:
            result.append(dt.date.fromisoformat(item))
    return result



def calendar_year_check(year: int, holidays: list[dt.date], workdays: list[dt.date]) -> None:
    """Validate a hand-entered year without writing; raises the errors of :func:`calendar_year_load`."""
    if not isinstance(year, int) or not 1900 <= year <= 2999:
        raise DomainError(REF_CALENDAR_BAD_YEAR, {"year": year}, field="year")
    if year in LIBRARY_YEARS:
        raise DomainError(REF_CALENDAR_LIBRARY_YEAR, {"year": year}, field="year")
    for day in [*holidays, *workdays]:
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise DomainError("GEN-004", {"detail": repr(day)}, field="days")
        if day.year != year:
            raise DomainError(
                REF_CALENDAR_WRONG_YEAR, {"day": day.isoformat(), "year": year}, field="days"
            )
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise DomainError(REF_CALENDAR_BOTH, {"day": both[0].isoformat()}, field="workdays")
    for day in sorted(set(workdays)):
        if day.weekday() < 5:
            raise DomainError(
                REF_CALENDAR_WORKDAY_WEEKDAY, {"day": day.isoformat()}, field="workdays"
            )


@transaction.atomic
def calendar_year_load(
    *,
    actor,
    year: int,
    holidays: Iterable[dt.date],
    workdays: Iterable[dt.date],
    notice: str = "",
    names: dict[dt.date, str] | None = None,
) -> CalendarYear:
    """Enter (or replace) the working-day calendar of a year the library does not know.

    ``holidays``: weekdays (or any days) off (法定节假日, weekends inside a holiday period
    may be listed too); ``workdays``: weekend days that are working days (调休上班).
    ``notice``: the State Council notice it comes from (e.g. 国办发明电〔2026〕N号).
    ``names``: optional label per date (e.g. 春节). Replaces any earlier manual entry of the
    year. Writes an audit event. After commit, calls every registered deadline recomputer
    with ``year``. Returns the saved :class:`CalendarYear`.

    Raises DomainError REF-010 (year known to the library), REF-011 (a date outside the
    year), REF-012 (a date in both lists), REF-013 (a make-up workday on a weekday),
    REF-014 (year outside 1900–2999).
    """
    from tuoyu.audit.services import audit_record, snapshot

    holidays, workdays = list(holidays), list(workdays)
    calendar_year_check(year, holidays, workdays)
    names = names or {}

    existing = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None
    if existing is not None:
        before = snapshot(existing) | {"days": _days_snapshot(year)}
    obj = existing or CalendarYear(year=year)
    obj.source = CalendarSource.MANUAL
    obj.notice = notice
    obj.full_clean()
    obj.save()

    CalendarDay.objects.filter(date__year=year).delete()
    rows = [
        CalendarDay(date=d, kind=CalendarDayKind.HOLIDAY, name=names.get(d, ""))
        for d in sorted(set(holidays))
    ] + [
        CalendarDay(date=d, kind=CalendarDayKind.WORKDAY, name=names.get(d, ""))
        for d in sorted(set(workdays))
    ]
    for row in rows:
        row.full_clean(validate_unique=False)
    CalendarDay.objects.bulk_create(rows)

    audit_record(
        actor=actor,
        action="calendar_year.load",
        obj=obj,
        before=before,
        after=snapshot(obj) | {"days": _days_snapshot(year)},
        note=notice,
    )
    for fn in deadline_recomputers():
        transaction.on_commit(partial(fn, year), robust=True)
    return obj


def _days_snapshot(year: int) -> list[list[str]]:
    return [
        [d.isoformat(), kind]
        for d, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
    ]
