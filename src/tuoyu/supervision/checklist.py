"""The inspection checklist (检查清单): the rule table plus the WS/T 821 safety items.

Every rule in force on the visit date (:func:`tuoyu.standards.selectors.rules_in_force`,
provincial overrides merged) becomes one item, followed by the quality standard's
safety items shipped in ``data/safety_items.json`` (托育机构质量评估标准 WS/T 821—2023,
each marked with its certainty like the rule table). Items are copied into the
inspection when it is created, so a later change of the rules does not alter a record.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tuoyu.standards.selectors import rules_in_force

SAFETY_ITEMS_FILE = Path(__file__).resolve().parent / "data" / "safety_items.json"


@dataclass(frozen=True)
class ChecklistEntry:
    """One item to check: ``source`` ``rule`` or ``safety``, stable ``code``, titles,
    ``reference`` (document and article) and ``certainty`` (V, S or U)."""

    source: str
    code: str
    title_zh: str
    title_en: str
    reference: str
    certainty: str


@cache
def _safety_items() -> tuple[dict, ...]:
    with SAFETY_ITEMS_FILE.open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["items"])


def safety_items(as_of: dt.date) -> list[ChecklistEntry]:
    """The WS/T 821 safety items in force on ``as_of`` (those whose ``effective_from`` ≤ ``as_of``)."""
    return [
        ChecklistEntry(
            source="safety",
            code=item["code"],
            title_zh=item["title_zh"],
            title_en=item["title_en"],
            reference=item["reference"],
            certainty=item["certainty"],
        )
        for item in _safety_items()
        if dt.date.fromisoformat(item["effective_from"]) <= as_of
    ]


def checklist_for(*, as_of: dt.date, division_code: str) -> list[ChecklistEntry]:
    """The checklist of a visit on ``as_of`` to a facility in ``division_code`` (6 digits).

    Returns the rules in force (ordered by code) then the safety items, each once.
    Two queries (rules, overrides).
    """
    entries = [
        ChecklistEntry(
            source="rule",
            code=rule.code,
            title_zh=rule.title_zh,
            title_en=rule.title_en,
            reference=rule.source,
            certainty=rule.certainty,
        )
        for rule in rules_in_force(as_of=as_of, province_code=division_code)
    ]
    seen = {e.code for e in entries}
    entries.extend(e for e in safety_items(as_of) if e.code not in seen)
    return entries
