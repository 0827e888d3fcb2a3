"""Age in completed months (月龄) and class bands at their edges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tuoyu.core.ages import age_in_months, class_type_for_age, in_band, month_anniversary

BIRTH = date(2024, 5, 15)


@pytest.mark.parametrize("months", [6, 12, 24, 36])
def test_month_is_not_complete_the_day_before_the_anniversary(months):
    anniversary = month_anniversary(BIRTH, months)
    assert anniversary == date(2024 + (4 + months) // 12, (4 + months) % 12 + 1, 15)
    assert age_in_months(BIRTH, as_of=anniversary - timedelta(days=1)) == months - 1


@pytest.mark.parametrize("months", [6, 12, 24, 36])
def test_month_is_complete_on_the_anniversary(months):
    assert age_in_months(BIRTH, as_of=month_anniversary(BIRTH, months)) == months


def test_born_31_august_is_six_months_old_on_1_march():
    assert age_in_months(date(2024, 8, 31), as_of=date(2025, 3, 1)) == 6


def test_born_31_august_is_five_months_old_on_28_february():
    assert age_in_months(date(2024, 8, 31), as_of=date(2025, 2, 28)) == 5


def test_born_31_august_is_five_months_old_on_29_february_in_a_leap_year():
    assert age_in_months(date(2023, 8, 31), as_of=date(2024, 2, 29)) == 5
    assert age_in_months(date(2023, 8, 31), as_of=date(2024, 3, 1)) == 6


def test_born_29_february_is_twelve_months_old_on_1_march_next_year():
    assert age_in_months(date(2024, 2, 29), as_of=date(2025, 3, 1)) == 12


def test_born_29_february_is_eleven_months_old_on_28_february_next_year():
    assert age_in_months(date(2024, 2, 29), as_of=date(2025, 2, 28)) == 11


def test_born_29_february_is_forty_eight_months_old_on_29_february_four_years_later():
    assert age_in_months(date(2024, 2, 29), as_of=date(2028, 2, 29)) == 48
    assert age_in_months(date(2024, 2, 29), as_of=date(2028, 2, 28)) == 47


def test_born_31_january_completes_one_month_on_1_march():
    assert month_anniversary(date(2025, 1, 31), 1) == date(2025, 3, 1)
    assert age_in_months(date(2025, 1, 31), as_of=date(2025, 3, 1)) == 1


def test_age_before_birth_is_negative():
    assert age_in_months(date(2025, 3, 15), as_of=date(2025, 3, 14)) == -1


def test_age_needs_explicit_dates():
    with pytest.raises(TypeError):
        age_in_months("2024-01-01", as_of=date(2025, 1, 1))


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (5, None),
        (6, "infant"),
        (11, "infant"),
        (12, "toddler"),
        (23, "toddler"),
        (24, "older"),
        (35, "older"),
        (36, None),
    ],
)
def test_class_type_for_age_at_band_edges(months, expected):
    assert class_type_for_age(months) == expected


@pytest.mark.parametrize(("months", "inside"), [(17, False), (18, True), (35, True), (36, False)])
def test_mixed_band_takes_children_from_eighteen_months(months, inside):
    assert in_band(months, (18, 36)) is inside


def test_month_anniversary_past_year_9999_raises_a_clear_value_error():
    with pytest.raises(ValueError, match="after 9999-12-31"):
        month_anniversary(date(9999, 6, 15), 7)


def test_month_anniversary_in_december_9999_is_still_computed():
    assert month_anniversary(date(9999, 6, 15), 6) == date(9999, 12, 15)
