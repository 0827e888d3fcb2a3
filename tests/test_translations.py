"""English is complete: every catalogue entry is translated, none fuzzy, and the compiled
``.mo`` files say the same as their ``.po`` sources (so a stale compile is caught)."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

import tuoyu

ROOT = Path(tuoyu.__file__).parent
CATALOGUES = sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po"))


def _unquote(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode(
        "latin-1").decode("utf-8") if "\\" in text else text


def _entries(po: Path) -> list[dict[str, str]]:
    """Each entry as a dict with flags, msgctxt, msgid, msgstr (continuations joined)."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {"flags": ""}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                fields["flags"] = line
            elif line.startswith(("msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[")):
                current, _, rest = line.partition(" ")
                fields[current] = rest[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            entries.append(fields)
    return entries


def test_there_are_catalogues_for_every_app_with_pages():
    apps = {p.parents[3].name for p in CATALOGUES}
    assert {"tuoyu", "accounts", "facilities", "reference", "standards"} <= apps


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_an_english_translation(po):
    missing = [e["msgid"] for e in _entries(po)
               if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert missing == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_translation_is_left_fuzzy(po):
    assert [e["msgid"] for e in _entries(po) if "fuzzy" in e["flags"]] == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po):
    with open(po.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in _entries(po):
        if "msgid_plural" in e:
            continue
        msgid = _unquote(e["msgid"])
        key = f"{_unquote(e['msgctxt'])}\x04{msgid}" if "msgctxt" in e else msgid
        if compiled._catalog.get(key) != _unquote(e.get("msgstr", "")):
            stale.append(msgid)
    assert stale == []
