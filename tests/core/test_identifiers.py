"""Unified social credit codes (GB 32100-2015) and division-code format."""

from __future__ import annotations

import itertools

import pytest
from stdnum.cn import uscc

from tuoyu.core.errors import DomainError
from tuoyu.core.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    normalize_credit_code,
    normalize_division_code,
    validate_credit_code,
)

WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALID = "91110000600037341L"  # python-stdnum's documented example


def weighted_sum(first17: str) -> int:
    """Σ value × weight over positions 1–17, computed here independently of the library."""
    return sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))


def code_with_check_value_zero() -> str:
    """17 characters (department 9, category 1, region 110108) whose weighted sum ≡ 0 mod 31."""
    for tail in itertools.product("0123456789", repeat=3):
        body = "91110108000000" + "".join(tail)
        if weighted_sum(body) % 31 == 0:
            return body
    raise AssertionError("no body found")


def test_valid_code_is_accepted_and_returned_normalised():
    assert validate_credit_code(VALID) == VALID


def test_lower_case_full_width_and_separators_are_normalised_before_validation():
    messy = "９１１１ 0000-6000 3734 1l"
    assert normalize_credit_code(messy) == VALID
    assert validate_credit_code(messy) == VALID


def test_full_width_letters_and_ideographic_space_are_normalised():
    assert validate_credit_code("９１１１００００\u3000６０００３７３４１Ｌ") == VALID


def test_check_value_of_thirty_one_is_written_as_zero():
    body = code_with_check_value_zero()
    assert weighted_sum(body) % 31 == 0
    assert credit_code_check_character(body) == "0"
    assert validate_credit_code(body + "0") == body + "0"


def test_check_value_zero_code_with_check_character_y_is_rejected():
    # The known bug pattern: 31 − 0 = 31 taken modulo 31 as "Y" (value 30) or out of range.
    body = code_with_check_value_zero()
    with pytest.raises(DomainError) as exc:
        validate_credit_code(body + "Y")
    assert exc.value.code == "IDN-003"
    assert exc.value.params == {"expected": "0", "actual": "Y"}


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_forbidden_letter_is_rejected(letter):
    code = VALID[:10] + letter + VALID[11:]
    with pytest.raises(DomainError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "IDN-002"
    assert exc.value.params["chars"] == letter


def test_wrong_check_character_names_the_expected_one():
    expected = uscc.calc_check_digit(VALID[:17])
    wrong = "M" if expected != "M" else "N"
    with pytest.raises(DomainError) as exc:
        validate_credit_code(VALID[:17] + wrong)
    assert exc.value.code == "IDN-003"
    assert exc.value.params == {"expected": expected, "actual": wrong}
    assert expected in exc.value.message


@pytest.mark.parametrize("value", ["", "91110000600037341", "91110000600037341L0"])
def test_wrong_length_is_rejected(value):
    with pytest.raises(DomainError) as exc:
        validate_credit_code(value)
    assert exc.value.code == "IDN-001"
    assert exc.value.params == {"length": len(value)}


@pytest.mark.parametrize("prefix", ["N2", "Y1", "A1"])
def test_letter_department_with_correct_check_character_is_accepted(prefix):
    body = prefix + "110108" + "MA01ABC3X"
    code = body + credit_code_check_character(body)
    assert validate_credit_code(code) == code


def test_region_part_must_be_digits():
    body = "91" + "11A108" + "600037341"
    with pytest.raises(DomainError) as exc:
        validate_credit_code(body + credit_code_check_character(body))
    assert exc.value.code == "IDN-004"


def test_division_code_accepts_full_width_digits():
    assert normalize_division_code("１１０ １０８") == "110108"


@pytest.mark.parametrize("value", ["11010", "1101080", "11O108", None])
def test_division_code_must_be_six_digits(value):
    with pytest.raises(DomainError) as exc:
        normalize_division_code(value)
    assert exc.value.code == "IDN-005"
