"""Representative selection (代表性遴选): choose K candidates, maximise the total score.

The rule being served: the 全国爱心托育用人单位 rounds choose units "for coverage,
representativeness and exemplarity across industry, ownership type, region, size and
population served" (2022: 75 of 189 candidates, 27 provinces, 15 industries, five
models; policy facts §5; issue 5 "Representative selection").

Method (docs/adr/0060, 0061):

1. Phase 1 — maximise Σ score_i·x_i subject to Σ x_i = K and the rules (per-province caps,
   at least one per province, coverage targets, extra rules), solved exactly by HiGHS
   (``scipy.optimize.milp``, relative gap 0). Decimal scores are scaled to integers
   (×10^places, divided by their common divisor), so the optimum is an exact integer.
2. Phase 2 — tie-break: keep the total at that optimum (Σ score_i·x_i ≥ optimum) and
   minimise the sum of the candidates' ranks in id order (:func:`id_key`). The tie-break
   can never cost score, because the total is fixed first. The model is always built
   from the candidates sorted by id, so the same candidates in any order give the same
   model and the same answer.
   Shortcut: when the plain top-K (ties by id) already meets every rule it is the
   answer of both phases, and no solve runs.
3. Explanation — the plain top-K by score (ties by id), the score given up, coverage per
   dimension against the top-K, and for each constraint group the score gained if it were
   dropped (a re-solve without it) plus its tight constraints.
4. Infeasible targets — an elastic re-solve: every constraint gets a slack, every group a
   switch; minimise the number of groups switched on, then the total slack. The groups
   switched on are a smallest set of groups to relax, with the shortfall of each
   constraint.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tuoyu.core.errors import DomainError
from tuoyu.designation.errors import (
    DES_CANDIDATES_INVALID,
    DES_DUPLICATE_ID,
    DES_NO_CANDIDATES,
    DES_SIZE,
    DES_SOLVER_FAILED,
)
from tuoyu.designation.selection.candidates import (
    DIMENSION_LABELS,
    DIMENSIONS,
    Candidate,
    RowError,
    band_of,
    id_key,
)
from tuoyu.designation.selection.model import Constraint, solve
from tuoyu.designation.selection.rules import SelectionRules


@dataclass(frozen=True)
class Message:
    """One sentence of the explanation, in zh-Hans and in English."""

    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        """``{"zh": ..., "en": ...}``."""
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class TightConstraint:
    """A constraint met with equality by the chosen set (bound = value)."""

    group: str
    key: str
    label: tuple[str, str]
    sense: str
    bound: int

    def as_dict(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "group": self.group,
            "key": self.key,
            "label": self.label[0],
            "label_en": self.label[1],
            "sense": self.sense,
            "bound": self.bound,
        }


@dataclass(frozen=True)
class Binding:
    """A constraint group of the selection with what it costs.

    ``score_gain`` is how much the optimal total would rise if the whole group were
    dropped (0: the group does not change the optimum); ``tight`` its constraints met
    with equality.
    """

    group: str
    label: tuple[str, str]
    score_gain: Decimal
    tight: tuple[TightConstraint, ...]

    @property
    def binding(self) -> bool:
        """True when dropping the group would raise the optimal total."""
        return self.score_gain > 0

    def as_dict(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "group": self.group,
            "label": self.label[0],
            "label_en": self.label[1],
            "binding": self.binding,
            "score_gain": str(self.score_gain),
            "tight": [t.as_dict() for t in self.tight],
        }


@dataclass(frozen=True)
class Coverage:
    """Coverage of one dimension: distinct values among all candidates, the chosen set
    and the plain top-K; values gained and lost against the top-K."""

    dimension: str
    available: int
    chosen: int
    top_k: int
    gained: tuple[str, ...]
    lost: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "available": self.available,
            "chosen": self.chosen,
            "top_k": self.top_k,
            "gained": list(self.gained),
            "lost": list(self.lost),
        }


@dataclass(frozen=True)
class RelaxedConstraint:
    """One constraint that cannot be met: its bound and by how much it must move."""

    key: str
    label: tuple[str, str]
    sense: str
    bound: int
    shortfall: int

    def as_dict(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "key": self.key,
            "label": self.label[0],
            "label_en": self.label[1],
            "sense": self.sense,
            "bound": self.bound,
            "shortfall": self.shortfall,
        }


@dataclass(frozen=True)
class Relaxation:
    """A constraint group to relax (放宽) so that the targets can be met."""

    group: str
    label: tuple[str, str]
    constraints: tuple[RelaxedConstraint, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "group": self.group,
            "label": self.label[0],
            "label_en": self.label[1],
            "constraints": [c.as_dict() for c in self.constraints],
        }


@dataclass(frozen=True)
class SelectionResult:
    """The outcome of :func:`select_representatives`.

    ``feasible``: all rules can be met; then ``chosen`` holds K candidates (score
    descending, ties by id), ``total_score`` their total, proven optimal. ``top_k`` is the
    plain top-K by score (ties by id) and ``score_given_up`` = top-K total − chosen total
    (≥ 0). ``binding``: every constraint group with the score it costs; ``coverage`` per
    dimension; ``relaxations`` (only when infeasible): a smallest set of groups to relax;
    ``messages``: the explanation in plain words (zh-Hans and English).
    """

    feasible: bool
    size: int
    candidates: int
    chosen: tuple[Candidate, ...]
    total_score: Decimal
    top_k: tuple[Candidate, ...]
    top_k_score: Decimal
    score_given_up: Decimal
    binding: tuple[Binding, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()
    messages: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """The machine output of ``tuoyu designation select --json`` (docs/designation-select.md)."""
        return {
            "feasible": self.feasible,
            "size": self.size,
            "candidates": self.candidates,
            "chosen": [c.id for c in self.chosen],
            "total_score": str(self.total_score),
            "top_k": [c.id for c in self.top_k],
            "top_k_score": str(self.top_k_score),
            "score_given_up": str(self.score_given_up),
            "binding": [b.as_dict() for b in self.binding],
            "coverage": {c.dimension: c.as_dict() for c in self.coverage},
            "relaxations": [r.as_dict() for r in self.relaxations],
            "messages": [m.as_dict() for m in (*self.notes, *self.messages)],
        }


def value_of(candidate: Candidate, dimension: str, rules: SelectionRules) -> str:
    """The value of ``candidate`` in ``dimension`` (bands computed with the rules' bounds)."""
    if dimension == "size_band":
        return band_of(candidate.headcount, rules.size_bands)
    if dimension == "population_band":
        return band_of(candidate.children_served, rules.population_bands)
    return getattr(candidate, dimension)


def top_k(candidates: Sequence[Candidate], size: int) -> list[Candidate]:
    """The plain top ``size`` by score, ties broken by id order (:func:`id_key`)."""
    return sorted(candidates, key=lambda c: (-c.score, id_key(c.id)))[:size]


def _group_label(group: str, rules: SelectionRules) -> tuple[str, str]:
    if group == "province_cap":
        return ("每省入选上限", "per-province caps")
    if group == "province_min":
        return ("每省至少一家", "at least one per province")
    if group.startswith("coverage."):
        zh, en = DIMENSION_LABELS[group.split(".", 1)[1]]
        return (f"{zh}覆盖要求", f"coverage of {en}")
    index = int(group.split(".", 1)[1])
    label = rules.extra[index - 1].label
    return (f"附加规则：{label}", f"extra rule: {label}")


def build_constraints(
    candidates: Sequence[Candidate], size: int, rules: SelectionRules
) -> tuple[list[Constraint], list[Message]]:
    """Translate ``rules`` into constraints over candidate positions.

    Returns the constraints and notes (e.g. more provinces than K, so "at least one per
    province" becomes "at least K different provinces").
    """
    constraints: list[Constraint] = []
    notes: list[Message] = []
    by_value: dict[str, dict[str, list[int]]] = {d: defaultdict(list) for d in DIMENSIONS}
    for position, candidate in enumerate(candidates):
        for dimension in DIMENSIONS:
            by_value[dimension][value_of(candidate, dimension, rules)].append(position)
    provinces = by_value["province"]
    for province in sorted(provinces):
        cap = rules.cap_for(province)
        if cap is not None and cap < len(provinces[province]):
            constraints.append(
                Constraint(
                    "province_cap",
                    province,
                    "<=",
                    cap,
                    tuple(provinces[province]),
                    label=(f"省份 {province} 至多 {cap} 家", f"province {province}: at most {cap}"),
                )
            )
    if rules.min_one_per_province:
        eligible = [p for p in sorted(provinces) if rules.cap_for(p) != 0]
        if len(eligible) <= size:
            for province in eligible:
                constraints.append(
                    Constraint(
                        "province_min",
                        province,
                        ">=",
                        1,
                        tuple(provinces[province]),
                        label=(f"省份 {province} 至少 1 家", f"province {province}: at least 1"),
                    )
                )
        else:
            constraints.append(
                Constraint(
                    "province_min",
                    "distinct",
                    ">=",
                    size,
                    classes=tuple(tuple(provinces[p]) for p in eligible),
                    label=(f"至少 {size} 个不同省份", f"at least {size} different provinces"),
                )
            )
            notes.append(
                Message(
                    f"有候选的省份（{len(eligible)} 个）多于入选数量 {size}，"
                    f"“每省至少一家”改为“入选单位来自 {size} 个不同省份”。",
                    f"More provinces have candidates ({len(eligible)}) than units to choose "
                    f"({size}), so “at least one per province” becomes “{size} different provinces”.",
                )
            )
    for dimension in DIMENSIONS:
        target = rules.coverage.get(dimension)
        if target is None:
            continue
        group = f"coverage.{dimension}"
        zh, en = DIMENSION_LABELS[dimension]
        values = by_value[dimension]
        if target.distinct:
            constraints.append(
                Constraint(
                    group,
                    "distinct",
                    ">=",
                    target.distinct,
                    classes=tuple(tuple(values[v]) for v in sorted(values)),
                    label=(
                        f"{zh}至少 {target.distinct} 种",
                        f"at least {target.distinct} different {en} values",
                    ),
                )
            )
        required = set(target.values)
        if target.each_present:
            required |= set(values)
        for value in sorted(required):
            constraints.append(
                Constraint(
                    group,
                    value,
                    ">=",
                    1,
                    tuple(values.get(value, ())),
                    label=(f"{zh} {value} 至少 1 家", f"{en} {value}: at least 1"),
                )
            )
    for index, rule in enumerate(rules.extra, start=1):
        matching: set[int] | None = None
        for dimension, allowed in rule.where:
            positions = {p for value in allowed for p in by_value[dimension].get(value, ())}
            matching = positions if matching is None else matching & positions
        members = tuple(sorted(matching or ()))
        for sense, bound in ((">=", rule.at_least), ("<=", rule.at_most)):
            if bound is None:
                continue
            word_zh, word_en = ("至少", "at least") if sense == ">=" else ("至多", "at most")
            constraints.append(
                Constraint(
                    f"rule.{index}",
                    sense,
                    sense,
                    bound,
                    members,
                    label=(
                        f"{rule.label}：{word_zh} {bound} 家",
                        f"{rule.label}: {word_en} {bound}",
                    ),
                )
            )
    return constraints, notes


def _integer_scores(candidates: Sequence[Candidate]) -> tuple[list[int], Decimal]:
    """Scores as integers with the same order and ratios (×10^places, ÷ common divisor),
    and the score (Decimal) that one integer unit stands for."""
    places = 0
    for candidate in candidates:
        exponent = candidate.score.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    factor = Decimal(10) ** places
    scaled = [int(c.score * factor) for c in candidates]
    divisor = math.gcd(*scaled) or 1
    return [s // divisor for s in scaled], divisor / factor


def _check(candidates: Sequence[Candidate], size: int) -> None:
    if not candidates:
        raise DomainError(DES_NO_CANDIDATES)
    seen: dict[str, int] = {}
    errors: list[RowError] = []
    for position, candidate in enumerate(candidates, start=1):
        row = candidate.row or position
        if candidate.id in seen:
            errors.append(
                RowError(
                    row,
                    "id",
                    DES_DUPLICATE_ID,
                    {"value": candidate.id, "first": seen[candidate.id]},
                )
            )
        else:
            seen[candidate.id] = row
    if errors:
        raise DomainError(
            DES_CANDIDATES_INVALID,
            {"count": len(errors)},
            details={"errors": [e.as_dict() for e in errors]},
        )
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= len(candidates):
        raise DomainError(DES_SIZE, {"count": len(candidates), "size": size}, field="size")


def _total(chosen: Sequence[Candidate]) -> Decimal:
    return sum((c.score for c in chosen), Decimal(0))


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def select_representatives(
    candidates: Sequence[Candidate],
    *,
    size: int,
    rules: SelectionRules | None = None,
    explain: bool = True,
    time_limit: float | None = 120.0,
) -> SelectionResult:
    """Choose ``size`` (K) candidates maximising the total score under ``rules``.

    Inputs: checked candidates (see :func:`candidates_parse`; ids unique), K ≥ 1 and ≤ the
    number of candidates, rules (default :class:`SelectionRules`). ``explain=False`` skips
    the re-solves that measure what each group costs (``binding`` is then empty).
    ``time_limit`` bounds each solve (seconds).

    Returns a :class:`SelectionResult`; when the rules cannot all be met it has
    ``feasible=False``, no chosen units, and ``relaxations`` naming a smallest set of
    groups to relax. Raises DomainError DES-004 (duplicate ids, ``details.errors`` row by
    row), DES-001 (K out of range), DES-006 (no candidates), DES-007 (the solver hit its
    time limit or failed). Source of the rule: issue 5; policy facts §5.
    """
    rules = rules or SelectionRules()
    _check(candidates, size)
    ordered = sorted(candidates, key=lambda c: id_key(c.id))
    n = len(ordered)
    scores, unit = _integer_scores(ordered)
    constraints, notes = build_constraints(ordered, size, rules)
    plain = top_k(ordered, size)
    plain_total = _total(plain)

    position = {id(c): i for i, c in enumerate(ordered)}
    plain_set = {position[id(c)] for c in plain}
    # The plain top-K (ties by id) is the best set with the least id-rank sum when no
    # rule is imposed; if it meets every rule it is the answer of both phases.
    shortcut = all(_met(c, plain_set) for c in constraints)
    if shortcut:
        picked = frozenset(plain_set)
        optimum = sum(scores[i] for i in picked)
    else:
        first = solve(n, size, constraints, objective=scores, maximise=True, time_limit=time_limit)
        if first.status == 2:
            return _infeasible(
                ordered, size, rules, constraints, plain, plain_total, notes, time_limit
            )
        if first.status != 0:
            raise DomainError(DES_SOLVER_FAILED, {"detail": first.message})
        optimum = sum(scores[i] for i in first.chosen)
        second = solve(
            n,
            size,
            constraints,
            objective=list(range(n)),
            maximise=False,
            score_floor=(scores, optimum),
            time_limit=time_limit,
        )
        if second.status == 1:  # time limit: the tie-break is not proven, say so
            raise DomainError(DES_SOLVER_FAILED, {"detail": second.message})
        picked = first.chosen
        if second.status == 0 and sum(scores[i] for i in second.chosen) == optimum:
            picked = second.chosen
    chosen = sorted((ordered[i] for i in picked), key=lambda c: (-c.score, id_key(c.id)))
    total = _total(chosen)

    binding: list[Binding] = []
    if explain:
        binding = _binding(
            ordered,
            size,
            rules,
            constraints,
            scores,
            unit,
            optimum,
            set(picked),
            plain_set,
            time_limit,
        )
    coverage = _coverage(ordered, chosen, plain, rules)
    given_up = plain_total - total
    messages = _messages(n, size, total, plain_total, given_up, binding, coverage)
    return SelectionResult(
        feasible=True,
        size=size,
        candidates=n,
        chosen=tuple(chosen),
        total_score=total,
        top_k=tuple(plain),
        top_k_score=plain_total,
        score_given_up=given_up,
        binding=tuple(binding),
        coverage=tuple(coverage),
        messages=tuple(messages),
        notes=tuple(notes),
    )


def _met(constraint: Constraint, chosen: set[int]) -> bool:
    """True when the chosen positions satisfy ``constraint``."""
    value = constraint.activity(chosen)
    return value >= constraint.bound if constraint.sense == ">=" else value <= constraint.bound


def _binding(
    ordered, size, rules, constraints, scores, unit, optimum, picked, plain_set, time_limit
) -> list[Binding]:
    """Per group: re-solve phase 1 without it; the rise of the optimum is its cost.

    No solve is needed when the plain top-K meets every other group: then the optimum
    without the group is the top-K total (no set of K scores more).
    """
    result = []
    ceiling = sum(scores[i] for i in plain_set)
    for group in sorted({c.group for c in constraints}, key=_group_order):
        rest = [c for c in constraints if c.group != group]
        if all(_met(c, plain_set) for c in rest):
            gain = ceiling - optimum
        else:
            again = solve(
                len(ordered), size, rest, objective=scores, maximise=True, time_limit=time_limit
            )
            gain = 0
            if again.status == 0:
                gain = max(sum(scores[i] for i in again.chosen) - optimum, 0)
        tight = tuple(
            TightConstraint(c.group, c.key, c.label, c.sense, c.bound)
            for c in constraints
            if c.group == group and c.activity(picked) == c.bound
        )
        result.append(Binding(group, _group_label(group, rules), unit * gain, tight))
    return result


def _group_order(group: str) -> tuple[int, str]:
    order = ["province_cap", "province_min", "coverage", "rule"]
    head = group.split(".", 1)[0]
    tail = group.split(".", 1)[1] if "." in group else ""
    if head == "rule":
        return (order.index(head), f"{int(tail):06d}")
    if head == "coverage":
        return (order.index(head), f"{DIMENSIONS.index(tail):06d}")
    return (order.index(head), "")


def _coverage(ordered, chosen, plain, rules) -> list[Coverage]:
    result = []
    for dimension in DIMENSIONS:
        available = {value_of(c, dimension, rules) for c in ordered}
        mine = {value_of(c, dimension, rules) for c in chosen}
        theirs = {value_of(c, dimension, rules) for c in plain}
        result.append(
            Coverage(
                dimension,
                len(available),
                len(mine),
                len(theirs),
                tuple(sorted(mine - theirs)),
                tuple(sorted(theirs - mine)),
            )
        )
    return result


def _messages(n, size, total, plain_total, given_up, binding, coverage) -> list[Message]:
    messages = [
        Message(
            f"从 {n} 家候选单位中选出 {size} 家，总分 {_fmt(total)}，已证明为满足全部规则的最高总分。",
            f"Chose {size} of {n} candidates with a total score of {_fmt(total)}, proven the "
            f"highest that meets every rule.",
        )
    ]
    if given_up:
        messages.append(
            Message(
                f"若只按得分取前 {size} 名，总分为 {_fmt(plain_total)}；为满足名额和覆盖要求，少得 {_fmt(given_up)} 分。",
                f"The plain top {size} by score would total {_fmt(plain_total)}; meeting the "
                f"quotas and coverage targets gives up {_fmt(given_up)}.",
            )
        )
    else:
        messages.append(
            Message(
                f"总分与只按得分取前 {size} 名相同，规则没有让总分降低。",
                f"The total equals that of the plain top {size} by score: the rules cost nothing.",
            )
        )
    for item in binding:
        if item.binding:
            messages.append(
                Message(
                    f"“{item.label[0]}”起约束作用：若取消该要求，总分可再提高 {_fmt(item.score_gain)}。",
                    f"“{item.label[1]}” is binding: without it the total could rise by {_fmt(item.score_gain)}.",
                )
            )
    for cov in coverage:
        if cov.gained or cov.lost:
            zh, en = DIMENSION_LABELS[cov.dimension]
            messages.append(
                Message(
                    f"{zh}：覆盖 {cov.chosen} 种（前 {size} 名为 {cov.top_k} 种）"
                    f"{'，新增 ' + '、'.join(cov.gained) if cov.gained else ''}"
                    f"{'，不再包含 ' + '、'.join(cov.lost) if cov.lost else ''}。",
                    f"{en.capitalize()}: {cov.chosen} covered ({cov.top_k} in the plain top {size})"
                    f"{'; gained ' + ', '.join(cov.gained) if cov.gained else ''}"
                    f"{'; dropped ' + ', '.join(cov.lost) if cov.lost else ''}.",
                )
            )
    return messages


def _infeasible(
    ordered, size, rules, constraints, plain, plain_total, notes, time_limit
) -> SelectionResult:
    """Elastic re-solve: a smallest set of groups to relax, with each shortfall."""
    elastic = solve(
        len(ordered),
        size,
        constraints,
        objective=(),
        maximise=False,
        elastic=True,
        time_limit=time_limit,
    )
    if elastic.status != 0:
        raise DomainError(DES_SOLVER_FAILED, {"detail": elastic.message})
    relaxations = []
    for group in sorted(elastic.relaxed, key=_group_order):
        items = tuple(
            RelaxedConstraint(c.key, c.label, c.sense, c.bound, elastic.slack[index])
            for index, c in enumerate(constraints)
            if c.group == group and elastic.slack[index] > 0
        )
        relaxations.append(Relaxation(group, _group_label(group, rules), items))
    names_zh = "、".join(f"“{r.label[0]}”" for r in relaxations)
    names_en = ", ".join(f"“{r.label[1]}”" for r in relaxations)
    messages = [
        Message(
            f"无法在 {len(ordered)} 家候选单位中选出 {size} 家并同时满足全部要求。"
            f"至少需要放宽以下 {len(relaxations)} 组要求：{names_zh}。",
            f"No choice of {size} among {len(ordered)} candidates meets every rule. "
            f"Relax at least these {len(relaxations)} group(s): {names_en}.",
        )
    ]
    for relaxation in relaxations:
        for item in relaxation.constraints:
            if item.sense == ">=":
                messages.append(
                    Message(
                        f"{item.label[0]}：最多只能做到 {item.bound - item.shortfall}，差 {item.shortfall}。",
                        f"{item.label[1]}: at best {item.bound - item.shortfall}, short by {item.shortfall}.",
                    )
                )
            else:
                messages.append(
                    Message(
                        f"{item.label[0]}：需要放宽到 {item.bound + item.shortfall}（多 {item.shortfall}）。",
                        f"{item.label[1]}: must allow {item.bound + item.shortfall} (over by {item.shortfall}).",
                    )
                )
    coverage = _coverage(ordered, [], plain, rules)
    return SelectionResult(
        feasible=False,
        size=size,
        candidates=len(ordered),
        chosen=(),
        total_score=Decimal(0),
        top_k=tuple(plain),
        top_k_score=plain_total,
        score_given_up=Decimal(0),
        coverage=tuple(coverage),
        relaxations=tuple(relaxations),
        messages=tuple(messages),
        notes=tuple(notes),
    )
