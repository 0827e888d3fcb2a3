"""Money (金额): ``Decimal`` yuan, rounded half-up (四舍五入) to the fen.

Where totals must balance across databases (SQLite stores decimals as floating point),
store whole fen as integers with :func:`to_fen` and :func:`from_fen`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """Return ``value`` (str, int, Decimal; not float) as yuan rounded half-up to the fen.

    Raises ValueError for a float (inexact) or text that is not a number.
    """
    if isinstance(value, float):
        raise ValueError("money must not be given as float")
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(value: object) -> int:
    """Return ``value`` in whole fen (int), after rounding half-up."""
    return int(to_money(value) * 100)


def from_fen(fen: int) -> Decimal:
    """Return ``fen`` (int) as yuan (Decimal with two places)."""
    return (Decimal(fen) / 100).quantize(FEN)
