"""English is complete for the accounts and audit apps."""

from __future__ import annotations

from pathlib import Path

import pytest

import tuoyu

APPS = ["accounts", "audit"]


def _entries(po: Path) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of each entry, continuation lines joined."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = "", {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith(("msgid ", "msgstr ", "msgctxt ")):
                current, _, rest = line.partition(" ")
                fields[current] = rest.strip('"')
            elif line.startswith('"') and current:
                fields[current] += line.strip('"')
        if fields.get("msgid"):
            entries.append((flags, fields["msgid"], fields.get("msgstr", "")))
    return entries


def _untranslated(po: Path) -> list[str]:
    return [msgid for _flags, msgid, msgstr in _entries(po) if not msgstr]


@pytest.mark.parametrize("app", APPS)
def test_every_message_has_an_english_translation(app):
    po = Path(tuoyu.__file__).parent / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert _untranslated(po) == []


@pytest.mark.parametrize("app", APPS)
def test_no_translation_is_left_fuzzy(app):
    po = Path(tuoyu.__file__).parent / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert [msgid for flags, msgid, _ in _entries(po) if "fuzzy" in flags] == []


def test_error_codes_of_the_accounts_app_have_both_languages():
    from tuoyu.accounts import errors  # noqa: F401 - registers the codes
    from tuoyu.core.errors import CATALOGUE

    codes = {c: m for c, m in CATALOGUE.items() if c.startswith("ACC-")}
    assert codes and all(m.zh and m.en and m.zh != m.en for m in codes.values())


def _doubled(text: str) -> bool:
    half = len(text) // 2
    return len(text) >= 4 and len(text) % 2 == 0 and text[:half] == text[half:]


@pytest.mark.parametrize(
    "po",
    sorted(Path(tuoyu.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po")),
    ids=lambda p: str(p.relative_to(Path(tuoyu.__file__).parent)),
)
def test_no_english_message_repeats_its_own_text(po):
    assert [msgid for _, msgid, msgstr in _entries(po) if _doubled(msgstr)] == []
