"""Text normalisation for identifiers and search (文本规范化).

Identifiers (credit codes, division codes, phone numbers): NFKC (full-width → half-width),
separators removed, upper case. Search text: NFKC, traditional → simplified (OpenCC
``t2s``), case-folded, runs of white space (including the ideographic space U+3000)
collapsed to one ASCII space. The same function is applied to stored text and to queries.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s\-_./·•—–]+")
_SPACES = re.compile(r"\s+")


def normalize_identifier(value: str | None) -> str:
    """Return ``value`` as NFKC, without spaces or separators (- _ . / ·), in upper case.

    ``None`` becomes ``""``. Example: ``"９１１１ 0000-6000 3734 1l"`` → ``"91110000600037341L"``.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SEPARATORS.sub("", text).upper()


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(value: str) -> str:
    """Convert traditional Chinese characters in ``value`` to simplified (OpenCC t2s)."""
    return _t2s().convert(value)


def normalize_search(value: str | None) -> str:
    """Return the search form of ``value``: NFKC, simplified, case-folded, spaces collapsed."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = to_simplified(text).casefold()
    return _SPACES.sub(" ", text).strip()
