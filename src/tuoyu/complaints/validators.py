"""Normalisation and validation of what complainants type: contact details (联系方式) and
tracking codes (查询码)."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tuoyu.complaints.errors import CMP_CONTACT
from tuoyu.core.errors import DomainError
from tuoyu.core.text import normalize_identifier

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_contact(value: str | None) -> tuple[str, str]:
    """``(phone, email)`` from one contact field; ``("", "")`` when blank.

    A mobile number is normalised like every identifier (NFKC, separators removed), a
    leading ``+86``/``0086``/``86`` dropped, and must be 11 digits starting 13–19. An
    email address is NFKC'd, trimmed and lower-cased and checked by Django's validator.
    Raises DomainError CMP-003 otherwise.
    """
    raw = (value or "").strip()
    if not raw:
        return "", ""
    if "@" in raw or "＠" in raw:
        email = unicodedata.normalize("NFKC", raw).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(CMP_CONTACT, {"value": raw[:60]}, field="contact") from None
        return "", email
    phone = normalize_identifier(raw).replace("+", "")
    for prefix in ("0086", "86"):
        if len(phone) == 11 + len(prefix) and phone.startswith(prefix):
            phone = phone[len(prefix):]
    if not _MOBILE.match(phone):
        raise DomainError(CMP_CONTACT, {"value": raw[:60]}, field="contact")
    return phone, ""


def normalize_tracking_code(value: str | None) -> str:
    """A tracking code as typed (``None``, spaces anywhere, any case) → upper case without
    white space. Says nothing about validity: an unknown code is simply not found."""
    return "".join(str(value or "").split()).upper()
