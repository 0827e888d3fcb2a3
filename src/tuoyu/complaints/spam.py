"""Spam score of a submission (垃圾信息评分), ADR 0084.

Each signal adds points; at ``COMPLAINT_SPAM_THRESHOLD`` (default 5) the submission waits
in the moderation queue instead of going to an office. Signals: links (http/https/www,
bare domains, ``javascript:`` and ``data:`` URLs), markup (tags, event-handler
attributes), words from the shipped list ``data/spam_words.txt`` (adult content,
gambling, SEO and ad vocabulary, in Chinese and English), long runs of one character or
one phrase repeated, and a Latin text mostly in capitals.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from pathlib import Path

from tuoyu.core.text import normalize_search

WORDS_FILE = Path(__file__).with_name("data") / "spam_words.txt"

_URL = re.compile(r"(?:https?://|www\.|javascript:|data:|vbscript:)", re.IGNORECASE)
_DOMAIN = re.compile(r"\b[a-z0-9-]{2,}\.(?:com|net|org|cn|top|xyz|vip|cc|info|io|me|app)\b", re.IGNORECASE)
_ACTIVE = re.compile(r"(?:javascript:|data:|vbscript:)", re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*[a-z!][^>]*>", re.IGNORECASE)
_HANDLER = re.compile(r"\bon[a-z]{3,}\s*=", re.IGNORECASE)
_RUN = re.compile(r"(.)\1{9,}", re.DOTALL)
_PHRASE = re.compile(r"(.{2,30}?)\1{3,}", re.DOTALL)


@cache
def spam_words() -> tuple[str, ...]:
    """The shipped spam vocabulary, normalised like search text (one entry a line, ``#`` comments)."""
    words = []
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(normalize_search(line))
    return tuple(words)


def spam_score(text: str) -> tuple[int, list[str]]:
    """Return ``(score, reasons)`` for ``text`` (the complaint's free text).

    ``reasons`` are short stable keys (``links``, ``many_links``, ``active_url``,
    ``markup``, ``vocabulary:<word>``, ``repeated``, ``capitals``) kept for the moderator.
    """
    text = text or ""
    score, reasons = 0, []
    links = len(_URL.findall(text)) + len(_DOMAIN.findall(text))
    if links:
        score += 3
        reasons.append("links")
    if links >= 3:
        score += 3
        reasons.append("many_links")
    if _ACTIVE.search(text):
        score += 5
        reasons.append("active_url")
    if _TAG.search(text) or _HANDLER.search(text):
        score += 5
        reasons.append("markup")
    normalised = normalize_search(text)
    # Zero-width and other format characters would split a listed word: drop them too.
    compact = "".join(c for c in normalised if not c.isspace() and unicodedata.category(c) != "Cf")
    hits = [w for w in spam_words() if w and w in compact]
    if hits:
        score += 3 * min(len(hits), 3)
        reasons.extend(f"vocabulary:{w}" for w in hits[:5])
    if _RUN.search(compact) or _PHRASE.search(compact):
        score += 3
        reasons.append("repeated")
    latin = [c for c in text if c.isascii() and c.isalpha()]
    if len(latin) >= 20 and sum(c.isupper() for c in latin) / len(latin) > 0.7:
        score += 2
        reasons.append("capitals")
    return score, reasons


def text_key(text: str) -> str:
    """Key for duplicate detection: the normalised text without spaces or punctuation, hashed (hex)."""
    compact = re.sub(r"[\W_]+", "", normalize_search(text or ""))
    return hashlib.sha256(compact.encode()).hexdigest()
