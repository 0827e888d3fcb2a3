"""Loading the shipped rule table (``data/rules.json``) into ``Rule`` and ``RuleOverride``.

The file is the versioned source of the rule table: every rule version is a row keyed by
(``code``, ``effective_from``), every provincial override by (``rule_code``,
``province_code``, ``effective_from``). Loading upserts on those keys, so running it twice
changes nothing. Used by the data migration ``0002_load_rules`` and by ``tuoyu load_rules``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tuoyu.core.errors import DomainError
from tuoyu.standards.errors import STD_RULES_FILE_INVALID
from tuoyu.standards.parameters import parameter_errors

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.json"

RULE_FIELDS = (
    "category",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "parameters",
    "source_document",
    "source_article",
    "certainty",
    "configurable",
    "severity",
    "effective_to",
)
OVERRIDE_FIELDS = ("parameters", "severity", "source_document", "source_article", "effective_to")
_REQUIRED_RULE_KEYS = {"code", "effective_from", *RULE_FIELDS}
_REQUIRED_OVERRIDE_KEYS = {"rule_code", "province_code", "effective_from", *OVERRIDE_FIELDS}


@dataclass(frozen=True)
class LoadResult:
    """Counts of rows written by :func:`load_rules` (rules and overrides together)."""

    created: int
    updated: int
    unchanged: int


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            STD_RULES_FILE_INVALID, {"detail": f"{where}: bad date {value!r}"}
        ) from exc


def _check_parameters(code: str, parameters: Any, where: str, *, partial: bool) -> None:
    problems = parameter_errors(code, parameters, partial=partial)
    if problems:
        raise DomainError(STD_RULES_FILE_INVALID, {"detail": f"{where}: {'; '.join(problems)}"})


def read_rules_file(path: Path | str | None = None) -> dict[str, Any]:
    """Read and validate the rules file; return ``{"version", "rules": [...], "overrides": [...]}``.

    Dates are returned as :class:`datetime.date`. Raises ``DomainError`` ``STD-002`` when a
    key is missing, parameters do not fit the rule's schema (``standards.parameters``), a date is malformed, a severity or certainty is unknown, or two rows share
    a key.
    """
    path = Path(path) if path else RULES_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError(STD_RULES_FILE_INVALID, {"detail": str(exc)}) from exc
    rules, overrides, seen = [], [], set()
    for i, row in enumerate(raw.get("rules", [])):
        where = f"rules[{i}] {row.get('code', '?')}"
        missing = _REQUIRED_RULE_KEYS - row.keys()
        if missing:
            raise DomainError(
                STD_RULES_FILE_INVALID, {"detail": f"{where}: missing {sorted(missing)}"}
            )
        if row["severity"] not in ("block", "warn") or row["certainty"] not in ("V", "S", "U"):
            raise DomainError(
                STD_RULES_FILE_INVALID, {"detail": f"{where}: bad severity/certainty"}
            )
        _check_parameters(row["code"], row["parameters"], where, partial=False)
        item = dict(
            row,
            effective_from=_date(row["effective_from"], where),
            effective_to=_date(row["effective_to"], where),
        )
        key = (item["code"], item["effective_from"])
        if item["effective_from"] is None or key in seen:
            raise DomainError(STD_RULES_FILE_INVALID, {"detail": f"{where}: duplicate or undated"})
        seen.add(key)
        rules.append(item)
    for i, row in enumerate(raw.get("overrides", [])):
        where = f"overrides[{i}] {row.get('rule_code', '?')}"
        missing = _REQUIRED_OVERRIDE_KEYS - row.keys()
        if missing:
            raise DomainError(
                STD_RULES_FILE_INVALID, {"detail": f"{where}: missing {sorted(missing)}"}
            )
        if row["severity"] not in ("", "block", "warn"):
            raise DomainError(STD_RULES_FILE_INVALID, {"detail": f"{where}: bad severity"})
        _check_parameters(row["rule_code"], row["parameters"], where, partial=True)
        item = dict(
            row,
            effective_from=_date(row["effective_from"], where),
            effective_to=_date(row["effective_to"], where),
        )
        key = ("override", item["rule_code"], item["province_code"], item["effective_from"])
        if item["effective_from"] is None or key in seen:
            raise DomainError(STD_RULES_FILE_INVALID, {"detail": f"{where}: duplicate or undated"})
        seen.add(key)
        overrides.append(item)
    return {"version": raw.get("version", ""), "rules": rules, "overrides": overrides}


def _upsert(model, key: dict[str, Any], values: dict[str, Any], keep: tuple[str, ...]) -> str:
    """Create or update one row; fields in ``keep`` are left as they are on an existing row."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        model.objects.create(**key, **values)
        return "created"
    changed = [f for f, v in values.items() if f not in keep and getattr(obj, f) != v]
    if not changed:
        return "unchanged"
    for f in changed:
        setattr(obj, f, values[f])
    obj.save(update_fields=changed)
    return "updated"


def load_rules(
    Rule,
    RuleOverride,
    data: dict[str, Any] | None = None,
    *,  # noqa: N803
    reset_configured: bool = False,
) -> LoadResult:
    """Upsert the rules and overrides of ``data`` (default: the shipped file).

    ``Rule``/``RuleOverride`` are model classes (historical ones in a migration). On an
    existing *configurable* rule version the stored ``parameters`` are kept (an
    administrator may have set them) unless ``reset_configured`` is True. Returns the
    counts of created, updated and unchanged rows.
    """
    data = data if data is not None else read_rules_file()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in data["rules"]:
        keep = ("parameters",) if row["configurable"] and not reset_configured else ()
        outcome = _upsert(
            Rule,
            {"code": row["code"], "effective_from": row["effective_from"]},
            {f: row[f] for f in RULE_FIELDS},
            keep,
        )
        counts[outcome] += 1
    for row in data["overrides"]:
        outcome = _upsert(
            RuleOverride,
            {
                "rule_code": row["rule_code"],
                "province_code": row["province_code"],
                "effective_from": row["effective_from"],
            },
            {f: row[f] for f in OVERRIDE_FIELDS},
            (),
        )
        counts[outcome] += 1
    return LoadResult(**counts)
