"""Selection rules (遴选规则): caps, minimums, coverage targets and extra linear rules.

The rules come from a campaign (``Campaign.selection_rules`` plus its quotas, see
:func:`tuoyu.designation.proposals.campaign_rules`) or from a YAML file
(``--rules RULES.yaml``, see docs/designation-select.md). Every number here is a setting: the per-province quotas,
caps and coverage targets of the 全国爱心托育用人单位 rounds were not published
(policy facts §5: "Per-province quotas … UNVERIFIED"), so nothing is hard-coded beyond
these defaults:

- no per-province cap (``max_per_province: null``);
- at least one unit from every province that has candidates, when K allows
  (``min_one_per_province: true``);
- no coverage targets and no extra rules;
- size bands cut at 300, 1000, 5000 staff; population bands at 30, 60, 100 children.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tuoyu.core.errors import DomainError
from tuoyu.designation.errors import DES_RULES_INVALID, DES_RULES_UNREADABLE
from tuoyu.designation.selection.candidates import (
    DEFAULT_POPULATION_BANDS,
    DEFAULT_SIZE_BANDS,
    DIMENSIONS,
    normalize_value,
)

_TOP_KEYS = {
    "max_per_province",
    "province_quotas",
    "min_one_per_province",
    "size_bands",
    "population_bands",
    "coverage",
    "rules",
}
_COVERAGE_KEYS = {"distinct", "each_present", "values"}
_RULE_KEYS = {"label", "where", "at_least", "at_most"}


@dataclass(frozen=True)
class CoverageTarget:
    """A minimum coverage of one dimension (覆盖要求).

    ``distinct``: at least this many different values among the chosen units;
    ``each_present``: at least one unit of every value some candidate has;
    ``values``: at least one unit of each listed value (infeasible if no candidate has it).
    The forms may be combined.
    """

    distinct: int = 0
    each_present: bool = False
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtraRule:
    """A linear rule on the number of chosen units matching ``where`` (附加规则).

    ``where`` is a tuple of ``(dimension, allowed values)``: a unit matches when, for every
    dimension, its value is one of the allowed ones. ``at_least``/``at_most`` bound the
    count (either may be None, not both). ``label`` names the rule in explanations.
    """

    label: str
    where: tuple[tuple[str, tuple[str, ...]], ...]
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True)
class SelectionRules:
    """All rules of one selection; see the module docstring for the defaults.

    ``max_per_province``: default cap of chosen units per province (None = no cap);
    ``province_quotas``: {2-digit province: cap} overriding the default cap (a campaign's
    provincial quota, 省级名额); ``min_one_per_province``: at least one unit from each
    province with candidates (if there are more such provinces than K, at least K
    different provinces); bands: lower bounds in persons; ``coverage``: {dimension:
    target}; ``extra``: further linear rules.
    """

    max_per_province: int | None = None
    province_quotas: Mapping[str, int] = field(default_factory=dict)
    min_one_per_province: bool = True
    size_bands: tuple[int, ...] = DEFAULT_SIZE_BANDS
    population_bands: tuple[int, ...] = DEFAULT_POPULATION_BANDS
    coverage: Mapping[str, CoverageTarget] = field(default_factory=dict)
    extra: tuple[ExtraRule, ...] = ()

    def cap_for(self, province: str) -> int | None:
        """The cap of ``province``: its quota if set, else the default cap (None = none)."""
        return self.province_quotas.get(province, self.max_per_province)


def _fail(path: str, detail: str) -> DomainError:
    return DomainError(DES_RULES_INVALID, {"path": path, "detail": detail}, field=path)


def _count(value: object, path: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(path, f"expected a whole number ≥ 0, got {value!r}")
    return value


def _bands(value: object, path: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(path, "expected a non-empty list of ascending whole numbers")
    bounds = tuple(_count(v, f"{path}[{i}]") for i, v in enumerate(value))  # type: ignore[misc]
    if any(b <= a for a, b in zip((0, *bounds), bounds, strict=False)):
        raise _fail(path, "bounds must be ascending and above 0")
    return bounds  # type: ignore[return-value]


def _value(dimension: str, raw: object, path: str, sizes, populations) -> str:
    try:
        return normalize_value(dimension, raw, size_bands=sizes, population_bands=populations)
    except ValueError as exc:
        code, params = exc.args
        raise _fail(path, f"{raw!r} is not a {dimension} value ({code})") from None


def rules_from_mapping(data: Mapping | None) -> SelectionRules:
    """Build :class:`SelectionRules` from a mapping (the parsed YAML; None = defaults).

    Raises DomainError DES-002 naming the offending path (e.g. ``coverage.industry``)
    on an unknown key, a wrong type, a negative number, an unknown dimension or value,
    or an extra rule with neither ``at_least`` nor ``at_most``.
    """
    if data is None:
        return SelectionRules()
    if not isinstance(data, Mapping):
        raise _fail("(top)", "expected a mapping")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail(sorted(map(str, unknown))[0], "unknown key")
    sizes = _bands(data["size_bands"], "size_bands") if "size_bands" in data else DEFAULT_SIZE_BANDS
    populations = (
        _bands(data["population_bands"], "population_bands")
        if "population_bands" in data
        else DEFAULT_POPULATION_BANDS
    )
    cap = _count(data.get("max_per_province"), "max_per_province", allow_none=True)
    quotas_raw = data.get("province_quotas") or {}
    if not isinstance(quotas_raw, Mapping):
        raise _fail("province_quotas", "expected a mapping of province code to a number")
    quotas: dict[str, int] = {}
    for key, value in quotas_raw.items():
        path = f"province_quotas.{key}"
        quotas[_value("province", key, path, sizes, populations)] = _count(value, path)  # type: ignore[assignment]
    min_one = data.get("min_one_per_province", True)
    if not isinstance(min_one, bool):
        raise _fail("min_one_per_province", "expected true or false")
    coverage_raw = data.get("coverage") or {}
    if not isinstance(coverage_raw, Mapping):
        raise _fail("coverage", "expected a mapping of dimension to target")
    coverage: dict[str, CoverageTarget] = {}
    for dimension, target in coverage_raw.items():
        path = f"coverage.{dimension}"
        if dimension not in DIMENSIONS:
            raise _fail(path, f"unknown dimension; use one of {', '.join(DIMENSIONS)}")
        if isinstance(target, int) and not isinstance(target, bool):
            target = {"distinct": target}
        if not isinstance(target, Mapping) or set(target) - _COVERAGE_KEYS:
            raise _fail(path, "expected keys distinct, each_present, values")
        each = target.get("each_present", False)
        if not isinstance(each, bool):
            raise _fail(f"{path}.each_present", "expected true or false")
        values = target.get("values") or []
        if not isinstance(values, list):
            raise _fail(f"{path}.values", "expected a list")
        coverage[dimension] = CoverageTarget(
            distinct=_count(target.get("distinct", 0), f"{path}.distinct") or 0,
            each_present=each,
            values=tuple(
                _value(dimension, v, f"{path}.values[{i}]", sizes, populations)
                for i, v in enumerate(values)
            ),
        )
    rules_raw = data.get("rules") or []
    if not isinstance(rules_raw, list):
        raise _fail("rules", "expected a list")
    extra: list[ExtraRule] = []
    for index, rule in enumerate(rules_raw, start=1):
        path = f"rules[{index}]"
        if not isinstance(rule, Mapping) or set(rule) - _RULE_KEYS:
            raise _fail(path, "expected keys label, where, at_least, at_most")
        where_raw = rule.get("where")
        if not isinstance(where_raw, Mapping) or not where_raw:
            raise _fail(f"{path}.where", "expected a mapping of dimension to value(s)")
        where = []
        for dimension, allowed in where_raw.items():
            if dimension not in DIMENSIONS:
                raise _fail(f"{path}.where.{dimension}", "unknown dimension")
            allowed_list = allowed if isinstance(allowed, list) else [allowed]
            where.append(
                (
                    dimension,
                    tuple(
                        _value(dimension, v, f"{path}.where.{dimension}", sizes, populations)
                        for v in allowed_list
                    ),
                )
            )
        at_least = _count(rule.get("at_least"), f"{path}.at_least", allow_none=True)
        at_most = _count(rule.get("at_most"), f"{path}.at_most", allow_none=True)
        if at_least is None and at_most is None:
            raise _fail(path, "give at_least, at_most or both")
        if at_least is not None and at_most is not None and at_least > at_most:
            raise _fail(path, "at_least is above at_most")
        label = str(rule.get("label") or "").strip() or _describe(where, at_least, at_most)
        extra.append(ExtraRule(label, tuple(where), at_least, at_most))
    return SelectionRules(
        max_per_province=cap,
        province_quotas=quotas,
        min_one_per_province=min_one,
        size_bands=sizes,
        population_bands=populations,
        coverage=coverage,
        extra=tuple(extra),
    )


def _describe(where, at_least, at_most) -> str:
    condition = " & ".join(f"{d}={'|'.join(v)}" for d, v in where)
    bounds = []
    if at_least is not None:
        bounds.append(f"≥{at_least}")
    if at_most is not None:
        bounds.append(f"≤{at_most}")
    return f"{condition} {' '.join(bounds)}"


def rules_load(path: str | Path) -> SelectionRules:
    """Read a rules YAML file (UTF-8) and return :class:`SelectionRules`.

    Raises DomainError DES-003 if the file cannot be read or is not YAML, DES-002 if
    its content is not valid rules (see :func:`rules_from_mapping`).
    """
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(DES_RULES_UNREADABLE, {"detail": str(exc)[:200]}) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DomainError(DES_RULES_UNREADABLE, {"detail": str(exc)[:200]}) from exc
    return rules_from_mapping(data)
