"""Working days: the Chinese holiday calendar with make-up workdays, provisional deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.reference.calendar import (
    LIBRARY_YEARS,
    Deadline,
    add_working_days,
    calendar_year_load,
    is_working_day,
    is_year_known,
    parse_date_list,
    range_is_known,
    register_deadline_recomputer,
    unregister_deadline_recomputer,
    working_days_between,
)
from tuoyu.reference.models import CalendarDay, CalendarYear

D = dt.date
# The first year the installed chinese-calendar does not know (2027 with version 1.11).
UNKNOWN = max(LIBRARY_YEARS) + 1


def weekdays_after(start: dt.date, n: int, *, off=(), on=()) -> dt.date:
    """Oracle: the n-th day after ``start`` that is a weekday not in ``off``, or is in ``on``."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day in on or (day.weekday() < 5 and day not in off):
            n -= 1
    return day


@pytest.fixture
def recorder():
    calls: list[int] = []

    def recompute(year: int) -> None:
        calls.append(year)

    register_deadline_recomputer(recompute)
    yield calls
    unregister_deadline_recomputer(recompute)


def test_2025_spring_festival_make_up_sunday_is_a_working_day():
    assert is_working_day(D(2025, 1, 26))
    assert is_working_day(D(2025, 2, 8))
    assert not is_working_day(D(2025, 1, 28))
    assert not is_working_day(D(2025, 2, 4))


def test_five_working_days_from_friday_24_january_2025_count_the_make_up_sunday():
    # Sun 26 Jan (调休), Mon 27 Jan, [28 Jan–4 Feb holiday], Wed 5, Thu 6, Fri 7 Feb.
    assert add_working_days(D(2025, 1, 24), 5) == Deadline(D(2025, 2, 7), provisional=False)


def test_deadline_unpacks_as_date_and_provisional():
    day, provisional = add_working_days(D(2025, 1, 24), 5)
    assert (day, provisional) == (D(2025, 2, 7), False)


def test_make_up_saturday_8_february_2025_counts():
    # Received Wed 5 Feb: Thu 6, Fri 7, Sat 8 (调休), Mon 10, Tue 11.
    assert add_working_days(D(2025, 2, 5), 5).date == D(2025, 2, 11)


def test_five_working_days_across_the_2026_spring_festival():
    # Received Thu 12 Feb 2026: Fri 13, Sat 14 (调休), [15–23 Feb holiday], Tue 24, Wed 25, Thu 26.
    assert add_working_days(D(2026, 2, 12), 5) == Deadline(D(2026, 2, 26), provisional=False)


def test_counting_starts_the_working_day_after_receipt():
    # Received Monday 3 March 2025: Tuesday is day 1, so one working day ends on Tuesday.
    assert add_working_days(D(2025, 3, 3), 1).date == D(2025, 3, 4)


def test_receipt_on_a_holiday_counts_from_the_next_working_day():
    assert add_working_days(D(2025, 1, 29), 1).date == D(2025, 2, 5)


def test_zero_working_days_is_the_day_itself():
    assert add_working_days(D(2025, 3, 3), 0) == Deadline(D(2025, 3, 3), provisional=False)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 3, 3), -1)


def test_received_at_utc_evening_counts_from_the_shanghai_date():
    # 2025-01-23 17:00 UTC is 01:00 on Friday 24 Jan in Shanghai.
    received = dt.datetime(2025, 1, 23, 17, 0, tzinfo=dt.UTC)
    assert add_working_days(received, 5).date == D(2025, 2, 7)


def test_fifteen_working_days_across_national_day_2025():
    # 2025: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct are make-up workdays.
    off = {D(2025, 10, d) for d in range(1, 9)}
    on = {D(2025, 9, 28), D(2025, 10, 11)}
    assert add_working_days(D(2025, 9, 26), 15).date == weekdays_after(D(2025, 9, 26), 15, off=off, on=on)


def test_working_days_between_inverts_add_working_days():
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 7)) == 5
    assert working_days_between(D(2025, 2, 7), D(2025, 1, 24)) == -5
    assert working_days_between(D(2025, 1, 24), D(2025, 1, 24)) == 0


def test_library_years_are_known_and_the_next_is_not(db):
    assert is_year_known(2025)
    assert is_year_known(2026)
    assert not is_year_known(UNKNOWN)


def test_deadline_into_an_unknown_year_is_provisional(db):
    start = D(UNKNOWN - 1, 12, 31)
    deadline = add_working_days(start, 5)
    assert deadline.provisional
    # Every counted day lies in the unknown year: the weekends-only rule applies.
    assert deadline.date == weekdays_after(start, 5)


def test_deadline_inside_a_known_year_near_an_unknown_one_is_not_provisional(db):
    assert not add_working_days(D(UNKNOWN - 1, 12, 1), 3).provisional


def test_unknown_year_uses_monday_to_friday(db):
    first_saturday = next(D(UNKNOWN, 1, d) for d in range(1, 8) if D(UNKNOWN, 1, d).weekday() == 5)
    assert not is_working_day(first_saturday)
    assert is_working_day(first_saturday + dt.timedelta(days=2))


def test_loading_an_unknown_year_makes_its_deadlines_final_and_calls_recomputers(
    db, recorder, django_capture_on_commit_callbacks
):
    start = D(UNKNOWN, 1, 1) - dt.timedelta(days=1)
    holidays = [D(UNKNOWN, 1, 1), D(UNKNOWN, 1, 2), D(UNKNOWN, 1, 3)]
    saturday = next(D(UNKNOWN, 1, d) for d in range(4, 11) if D(UNKNOWN, 1, d).weekday() == 5)
    before = add_working_days(start, 5)
    assert before.provisional

    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(
            actor=None, year=UNKNOWN, holidays=holidays, workdays=[saturday],
            notice="国务院办公厅通知（测试）",
        )

    after = add_working_days(start, 5)
    assert not after.provisional
    assert after.date == weekdays_after(start, 5, off=set(holidays), on={saturday})
    assert recorder == [UNKNOWN]
    assert is_year_known(UNKNOWN)
    assert is_working_day(saturday)
    assert not is_working_day(holidays[0])


def test_recomputers_are_not_called_before_commit(db, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_year_load(actor=None, year=UNKNOWN, holidays=[], workdays=[])
    assert recorder == []
    assert len(callbacks) >= 1


def test_loading_a_year_replaces_its_earlier_entry(db):
    calendar_year_load(actor=None, year=UNKNOWN, holidays=[D(UNKNOWN, 1, 1)], workdays=[])
    calendar_year_load(actor=None, year=UNKNOWN, holidays=[D(UNKNOWN, 5, 3)], workdays=[])
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(UNKNOWN, 5, 3)]
    assert CalendarYear.objects.get(year=UNKNOWN).source == "manual"


def test_loading_a_year_is_audited(db, root):
    calendar_year_load(actor=root, year=UNKNOWN, holidays=[D(UNKNOWN, 1, 1)], workdays=[])
    event = AuditEvent.objects.get(action="calendar_year.load")
    assert event.actor == root
    assert event.after["days"] == [[D(UNKNOWN, 1, 1).isoformat(), "holiday"]]


def test_a_library_year_cannot_be_entered_by_hand(db):
    with pytest.raises(DomainError) as exc:
        calendar_year_load(actor=None, year=2025, holidays=[], workdays=[])
    assert exc.value.code == "REF-010"


def test_a_date_outside_the_year_is_refused(db):
    with pytest.raises(DomainError) as exc:
        calendar_year_load(actor=None, year=UNKNOWN, holidays=[D(UNKNOWN + 1, 1, 1)], workdays=[])
    assert exc.value.code == "REF-011"


def test_a_make_up_workday_on_a_weekday_is_refused(db):
    monday = next(D(UNKNOWN, 3, d) for d in range(1, 8) if D(UNKNOWN, 3, d).weekday() == 0)
    with pytest.raises(DomainError) as exc:
        calendar_year_load(actor=None, year=UNKNOWN, holidays=[], workdays=[monday])
    assert exc.value.code == "REF-013"


def test_a_day_cannot_be_both_holiday_and_workday(db):
    sunday = next(D(UNKNOWN, 3, d) for d in range(1, 8) if D(UNKNOWN, 3, d).weekday() == 6)
    with pytest.raises(DomainError) as exc:
        calendar_year_load(actor=None, year=UNKNOWN, holidays=[sunday], workdays=[sunday])
    assert exc.value.code == "REF-012"


def test_range_is_known_spans_every_year(db):
    assert range_is_known(D(2024, 12, 1), D(2025, 1, 31))
    assert not range_is_known(D(UNKNOWN - 1, 12, 1), D(UNKNOWN, 1, 31))


def test_parse_date_list_expands_ranges():
    assert parse_date_list("2027-02-05..2027-02-07, 2027-01-01") == [
        D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 1, 1)
    ]


def test_parse_date_list_refuses_a_backwards_range():
    with pytest.raises(ValueError):
        parse_date_list("2027-02-07..2027-02-05")
