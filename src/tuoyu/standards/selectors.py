"""Reads of the rule table (规则表): the version of each rule in force on a date, with the
provincial override in force merged in.

Two ways to read:

- :func:`rule_get` reads one rule (two queries) — for a form or a service that needs one
  number;
- :func:`rules_in_force` reads every rule in force for one date and province in two
  queries and returns a :class:`RuleBook` for in-memory lookups — for the compliance
  check, which needs many rules, and for batch checks of many facilities (build one
  book per province and date and pass it on).

The rule table is public data, so these selectors are not scoped to a user.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language

from tuoyu.core.errors import DomainError
from tuoyu.standards.errors import (
    STD_RULE_NOT_IN_FORCE,
    STD_RULE_PARAMETERS_INVALID,
    STD_UNKNOWN_CLASS_TYPE,
)
from tuoyu.standards.models import Rule, RuleOverride
from tuoyu.standards.parameters import parameter_errors

CLASS_TYPES = ("infant", "toddler", "older", "mixed")


def province_of(division_code: str | None) -> str | None:
    """Return the province code (``XX0000``) of any 6-digit division code; None for None/''."""
    if not division_code:
        return None
    code = str(division_code).strip()
    return code[:2] + "0000"


def _english() -> bool:
    return (get_language() or "zh-hans").lower().startswith("en")


@dataclass(frozen=True)
class OverrideInfo:
    """The provincial override (地方规定) that was merged into an :class:`EffectiveRule`."""

    province_code: str
    parameters: dict[str, Any]
    severity: str
    source_document: str
    source_article: str
    effective_from: date
    effective_to: date | None


@dataclass(frozen=True)
class EffectiveRule:
    """A rule as it applies on one date in one province.

    ``parameters`` are the national parameters with the override's parameters laid over
    them (key by key); ``severity`` is the override's when it sets one. ``national_parameters``
    and ``national_severity`` keep the national values; ``override`` is None when no
    override applies.
    """

    code: str
    category: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    parameters: dict[str, Any]
    source_document: str
    source_article: str
    certainty: str
    configurable: bool
    severity: str
    effective_from: date
    effective_to: date | None
    national_parameters: dict[str, Any] = field(default_factory=dict)
    national_severity: str = ""
    override: OverrideInfo | None = None

    @property
    def title(self) -> str:
        """The title in the active language."""
        return self.title_en if _english() else self.title_zh

    @property
    def description(self) -> str:
        """The description in the active language."""
        return self.description_en if _english() else self.description_zh

    @property
    def source(self) -> str:
        """Document and article, e.g. ``托育机构设置标准（试行）（…） 第十九条``."""
        return f"{self.source_document} {self.source_article}".strip()

    @property
    def is_blocking(self) -> bool:
        """True when a failure of this rule blocks a filing."""
        return self.severity == "block"

    def param(self, name: str, default: Any = None) -> Any:
        """One parameter (merged), or ``default`` when absent."""
        return self.parameters.get(name, default)


def _in_force(as_of: date) -> Q:
    return Q(effective_from__lte=as_of) & (Q(effective_to__isnull=True) | Q(effective_to__gt=as_of))


def _effective(rule: Rule, override: RuleOverride | None) -> EffectiveRule:
    params = dict(rule.parameters or {})
    severity = rule.severity
    info = None
    if override is not None:
        params.update(override.parameters or {})
        severity = override.severity or rule.severity
        info = OverrideInfo(
            province_code=override.province_code,
            parameters=dict(override.parameters or {}),
            severity=override.severity,
            source_document=override.source_document,
            source_article=override.source_article,
            effective_from=override.effective_from,
            effective_to=override.effective_to,
        )
    return EffectiveRule(
        code=rule.code,
        category=rule.category,
        title_zh=rule.title_zh,
        title_en=rule.title_en,
        description_zh=rule.description_zh,
        description_en=rule.description_en,
        parameters=params,
        source_document=rule.source_document,
        source_article=rule.source_article,
        certainty=rule.certainty,
        configurable=rule.configurable,
        severity=severity,
        effective_from=rule.effective_from,
        effective_to=rule.effective_to,
        national_parameters=dict(rule.parameters or {}),
        national_severity=rule.severity,
        override=info,
    )


class RuleBook:
    """Every rule in force on ``as_of`` for ``province_code`` (None = national only).

    Built with two queries (rules, overrides); lookups are in memory. Iterating yields the
    :class:`EffectiveRule` rows ordered by code. When two versions of a code overlap (bad
    data), the one that took effect last wins; likewise for overrides.
    """

    def __init__(self, *, as_of: date, province_code: str | None = None) -> None:
        self.as_of = as_of
        self.province_code = province_of(province_code)
        rules: dict[str, Rule] = {}
        for rule in Rule.objects.filter(_in_force(as_of)).order_by("code", "effective_from"):
            rules[rule.code] = rule
        overrides: dict[str, RuleOverride] = {}
        if self.province_code:
            qs = RuleOverride.objects.filter(_in_force(as_of), province_code=self.province_code)
            for ov in qs.order_by("rule_code", "effective_from"):
                overrides[ov.rule_code] = ov
        self._rules = {
            code: _effective(r, overrides.get(code)) for code, r in sorted(rules.items())
        }

    def __iter__(self) -> Iterator[EffectiveRule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def find(self, code: str) -> EffectiveRule | None:
        """The rule ``code`` in force, or None."""
        return self._rules.get(code)

    def get(self, code: str) -> EffectiveRule:
        """The rule ``code`` in force. Raises DomainError ``STD-001`` when none is."""
        rule = self._rules.get(code)
        if rule is None:
            raise DomainError(
                STD_RULE_NOT_IN_FORCE, {"code": code, "as_of": self.as_of.isoformat()}
            )
        return rule


def rules_in_force(*, as_of: date, province_code: str | None = None) -> RuleBook:
    """Return a :class:`RuleBook` of every rule in force on ``as_of`` (two queries).

    ``province_code`` may be any division code of the province (``110108`` → ``110000``);
    None gives the national rules without overrides.
    """
    return RuleBook(as_of=as_of, province_code=province_code)


def rule_get(code: str, *, as_of: date, province_code: str | None = None) -> EffectiveRule:
    """Return the version of rule ``code`` in force on ``as_of`` with the override merged.

    ``province_code``: any division code of the province, or None for national. Two
    queries. Raises DomainError ``STD-001`` when no version is in force on that date.
    """
    rule = Rule.objects.filter(_in_force(as_of), code=code).order_by("-effective_from").first()
    if rule is None:
        raise DomainError(STD_RULE_NOT_IN_FORCE, {"code": code, "as_of": as_of.isoformat()})
    override = None
    province = province_of(province_code)
    if province:
        override = (
            RuleOverride.objects.filter(_in_force(as_of), rule_code=code, province_code=province)
            .order_by("-effective_from")
            .first()
        )
    return _effective(rule, override)


def _class_rule(
    prefix: str, class_type: str, as_of: date, province_code: str | None, rules: RuleBook | None
) -> EffectiveRule:
    if class_type not in CLASS_TYPES:
        raise DomainError(STD_UNKNOWN_CLASS_TYPE, {"class_type": class_type}, field="class_type")
    code = f"{prefix}-{class_type.upper()}"
    if rules is not None:
        rule = rules.get(code)
    else:
        rule = rule_get(code, as_of=as_of, province_code=province_code)
    ensure_usable(rule)
    return rule


def ensure_usable(rule: EffectiveRule) -> None:
    """Raise DomainError ``STD-004`` naming ``rule`` when its (merged) parameters do not fit
    its schema (``standards.parameters``), instead of failing later on a bad value."""
    problems = parameter_errors(rule.code, rule.parameters)
    if problems:
        raise DomainError(
            STD_RULE_PARAMETERS_INVALID, {"code": rule.code, "problems": "; ".join(problems)}
        )


def class_band(
    class_type: str, *, as_of: date, province_code: str | None = None, rules: RuleBook | None = None
) -> tuple[int, int]:
    """Return the age band (lower, upper) in completed months of ``class_type``, half-open.

    E.g. ``class_band("infant", as_of=…)`` → ``(6, 12)``: a child belongs when
    lower ≤ months < upper (设置标准 Art. 19, rules ``STD-BAND-*``). Pass ``rules`` to
    read from a :class:`RuleBook` without queries. Raises ``STD-003`` for an unknown class
    type, ``STD-001`` when no rule is in force.
    """
    rule = _class_rule("STD-BAND", class_type, as_of, province_code, rules)
    return int(rule.param("min_months")), int(rule.param("max_months"))


def class_cap(
    class_type: str, *, as_of: date, province_code: str | None = None, rules: RuleBook | None = None
) -> int:
    """Return the most children a class of ``class_type`` may hold (设置标准 Art. 19, ``STD-CAP-*``).

    Raises ``STD-003`` for an unknown class type, ``STD-001`` when no rule is in force,
    ``STD-004`` when the rule's parameters are unusable.
    """
    rule = _class_rule("STD-CAP", class_type, as_of, province_code, rules)
    return int(rule.param("max_children"))


def carer_ratio(
    class_type: str, *, as_of: date, province_code: str | None = None, rules: RuleBook | None = None
) -> int:
    """Return children per carer for ``class_type`` (1:3 → 3; 设置标准 Art. 20, ``STD-RATIO-*``).

    The mixed-class ratio is not set nationally: it is a configurable default (certainty U).
    Raises ``STD-003`` for an unknown class type, ``STD-001`` when no rule is in force.
    """
    rule = _class_rule("STD-RATIO", class_type, as_of, province_code, rules)
    return int(rule.param("children_per_carer"))


def carers_required(children: int, children_per_carer: int) -> int:
    """Carers needed for ``children`` at ``children_per_carer`` (rounded up; 0 for 0 children)."""
    if children <= 0:
        return 0
    return math.ceil(children / children_per_carer)
