"""Identifier normalisation and validation (标识符).

Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from the 31-
character set ``0-9 A-H J-N P-R T U W-Y`` (no I, O, S, V, Z). Position 1 is the
registration department (登记管理部门), 2 the organisation category (机构类别), 3–8 the
GB/T 2260 division of the registering authority, 9–17 the organisation code, 18 the check
character ``31 − (Σ value×weight mod 31)``, with 31 written as ``0``.

The check character is computed by python-stdnum (``stdnum.cn.uscc.calc_check_digit``).
stdnum's own ``validate`` insists that positions 1–8 are digits, but the standard's
department codes include letters (A, G, J, N, Q, Y), so the format check here follows the
standard and only the check-character arithmetic is delegated (see docs/adr/0003).
"""

from __future__ import annotations

import re

from stdnum.cn import uscc

from tuoyu.core.errors import DomainError, message_for, register
from tuoyu.core.text import normalize_identifier

IDN_CREDIT_LENGTH = register(
    "IDN-001",
    "统一社会信用代码应为18位，实际为{length}位。",
    "A unified social credit code has 18 characters; this one has {length}.",
)
IDN_CREDIT_CHARS = register(
    "IDN-002",
    "统一社会信用代码含有不允许的字符“{chars}”（不使用 I、O、S、V、Z）。",
    "The unified social credit code contains characters that are not allowed: “{chars}” (I, O, S, V and Z are never used).",
)
IDN_CREDIT_CHECK = register(
    "IDN-003",
    "统一社会信用代码校验码错误：应为“{expected}”，实际为“{actual}”。",
    "Wrong check character in the unified social credit code: expected “{expected}”, got “{actual}”.",
)
IDN_CREDIT_REGION = register(
    "IDN-004",
    "统一社会信用代码第3–8位应为行政区划代码（6位数字）。",
    "Characters 3–8 of the unified social credit code must be a 6-digit division code.",
)
IDN_DIVISION_FORMAT = register(
    "IDN-005",
    "行政区划代码应为6位数字：“{value}”。",
    "A division code has 6 digits: “{value}”.",
)

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ALLOWED = set(CREDIT_CODE_ALPHABET)
_DIVISION_RE = re.compile(r"^\d{6}$")


def normalize_credit_code(value: str | None) -> str:
    """Return the credit code after NFKC, separator removal and upper-casing (no validation)."""
    return normalize_identifier(value)


def credit_code_check_character(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters (python-stdnum)."""
    return uscc.calc_check_digit(first17)


def validate_credit_code(value: str | None, *, field: str = "credit_code") -> str:
    """Normalise and validate a unified social credit code; return the normalised 18 chars.

    Raises DomainError IDN-001 (length), IDN-002 (characters outside the set, e.g. I O S V
    Z), IDN-004 (positions 3–8 not digits) or IDN-003 (check character). Source: GB
    32100-2015 §4–5.
    """
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise DomainError(IDN_CREDIT_LENGTH, {"length": len(code)}, field=field)
    bad = sorted({c for c in code if c not in _ALLOWED})
    if bad:
        raise DomainError(IDN_CREDIT_CHARS, {"chars": "".join(bad)}, field=field)
    if not code[2:8].isdigit():
        raise DomainError(IDN_CREDIT_REGION, field=field)
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise DomainError(
            IDN_CREDIT_CHECK, {"expected": expected, "actual": code[17]}, field=field
        )
    return code


def normalize_division_code(value: str | None, *, field: str = "division") -> str:
    """Return a 6-digit division code after NFKC and separator removal.

    Raises DomainError IDN-005 if the result is not 6 digits. Whether the code exists (or
    is retired) is checked against the reference table by
    :func:`tuoyu.reference.selectors.division_resolve`.
    """
    code = normalize_identifier(value)
    if not _DIVISION_RE.match(code):
        raise DomainError(IDN_DIVISION_FORMAT, {"value": value or ""}, field=field)
    return code


IDN_CHILD_REF_CHARS = register(
    "IDN-006",
    "婴幼儿编号只能由字母、数字、“-”和“_”组成，最多40个字符，不得包含姓名。",
    "A child reference may contain only letters, digits, “-” and “_”, at most 40 characters, and never a name.",
)
IDN_CHILD_REF_ID_NUMBER = register(
    "IDN-007",
    "婴幼儿编号不得使用身份证号码或类似的长数字串。",
    "A child reference may not be an ID number or a similar long run of digits.",
)

#: What a child reference (婴幼儿编号) may look like: letters, digits, ``-`` and ``_``, 1–40.
CHILD_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# A run that looks like a resident ID number (居民身份证号码: 18 characters, the last a digit
# or X; or the old 15-digit form), which must never be used as a child reference.
_ID_NUMBER_RE = re.compile(r"\d{17}[\dXx]|\d{15}")


def validate_child_ref(value: str) -> None:
    """Django field validator of ``Enrolment.child_ref``: an opaque, non-identifying reference.

    Allowed: ASCII letters, digits, ``-`` and ``_``, at most 40 characters (e.g.
    ``C2024-001``). Refused: anything else (Chinese characters, spaces — a name has no
    place here) and any run that looks like an ID number (15 digits or more). The
    reference is shown on check pages, so it must say nothing about the child (个人信息保护法
    Art. 28: minors' data is sensitive personal information). Raises
    ``django.core.exceptions.ValidationError`` (codes ``child_ref_chars``,
    ``child_ref_id_number``).
    """
    from django.core.exceptions import ValidationError

    text = value or ""
    if not CHILD_REF_RE.match(text):
        raise ValidationError(message_for(IDN_CHILD_REF_CHARS), code="child_ref_chars")
    if _ID_NUMBER_RE.search(text):
        raise ValidationError(message_for(IDN_CHILD_REF_ID_NUMBER), code="child_ref_id_number")
