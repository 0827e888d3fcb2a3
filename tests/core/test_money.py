"""Money: Decimal yuan rounded half-up to the fen; floats refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuoyu.core.money import from_fen, to_fen, to_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("2.675", "2.68"), ("0.124", "0.12"), ("-0.125", "-0.13"), (3, "3.00")],
)
def test_rounds_half_up_to_the_fen(value, expected):
    assert to_money(value) == Decimal(expected)


def test_accepts_yuan_sign_and_thousands_separator():
    assert to_money("¥1,234.565") == Decimal("1234.57")


def test_refuses_float():
    with pytest.raises(ValueError):
        to_money(0.1)


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity"])
def test_refuses_text_that_is_not_an_amount(value):
    with pytest.raises(ValueError):
        to_money(value)


def test_fen_round_trip():
    assert to_fen("12.345") == 1235
    assert from_fen(1235) == Decimal("12.35")
