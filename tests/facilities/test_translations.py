"""English is complete: every message of the facilities pages has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import tuoyu

ROOT = Path(tuoyu.__file__).parent
CATALOGUES = [
    ROOT / "facilities" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po",
]


def _untranslated(po_text: str) -> list[str]:
    missing = []
    for block in po_text.split("\n\n"):
        if "fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            missing.append(block)
            continue
        ids = re.findall(r'^msgid (".*")$', block, re.M)
        if not ids or ids[0] == '""':
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? (".*")((?:\n".*")*)', block, re.M)
        if not strs or any(head == '""' and not tail for head, tail in strs):
            missing.append(ids[0])
    return missing


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_an_english_translation(path):
    assert _untranslated(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_present(path):
    assert path.with_suffix(".mo").exists()


def test_filing_status_labels_are_translated():
    from tuoyu.facilities.workflow import FilingStatus

    with translation.override("en"):
        assert [str(label) for label in FilingStatus.labels] == [
            "Draft", "Submitted", "Returned", "Filed", "Change submitted", "Cancelled",
            "Suspended", "Revoked"]
