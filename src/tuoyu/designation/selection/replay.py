"""Replay of the 2022 round (2022 年度全国爱心托育用人单位遴选复盘) on a synthetic pool.

The 2022 round of 全国爱心托育用人单位 (ACFTU + NHC) named 75 units out of 189 candidates
recommended by provincial unions; the named units cover 27 provinces, 15 industries and
the five provision models. Only these totals were published: no candidate list, no
scores, no per-province numbers. This module builds a 189-candidate pool *shaped like*
that round (:func:`pool_build`, deterministic for a seed), chooses 75 with the same
service as ``tuoyu designation select`` (:func:`select_representatives`) and compares the
coverage of the choice with the published figures and with the plain top 75 by score
(:func:`replay_run`). ``tuoyu designation replay-2022`` prints the result.

Every shape of the pool that is not one of the published totals is an **assumption** of
this platform, written down in docs/adr/0090 and in the constants below: candidates per
province (3 each plus the rest in proportion to the 2020 census population), the weights
of the industry sections, provision models and ownership types, the headcount and
children-served distributions and the score distribution (normal, mean 85, s.d. 5 on a
100-point sheet). The province codes, province populations and industry sections are read
from the reference tables (``tuoyu.reference``: GB/T 2260, the 2020 census, GB/T 4754—2017);
the provision models and ownership types from their choice classes.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tuoyu.accounts.choices import OwnershipType
from tuoyu.core.errors import DomainError
from tuoyu.designation.errors import DES_REPLAY_REFERENCE_MISSING, DES_SOLVER_FAILED
from tuoyu.designation.selection.candidates import DIMENSIONS, Candidate
from tuoyu.designation.selection.rules import SelectionRules, rules_from_mapping
from tuoyu.designation.selection.service import (
    SelectionResult,
    select_representatives,
    top_k,
    value_of,
)
from tuoyu.facilities.choices import ProvisionModel

# --- Published figures -----------------------------------------------------------------

#: Candidates recommended by provincial unions in the 2022 round (189).
PUBLISHED_CANDIDATES = 189
#: Units named in the 2022 round (75).
PUBLISHED_NAMED = 75
#: Provinces covered by the named units (27).
PUBLISHED_PROVINCES = 27
#: Industries covered by the named units (15; read here as GB/T 4754 sections).
PUBLISHED_INDUSTRIES = 15
#: Provision models covered by the named units (five: 用人单位自建, 园区集中托育,
#: 用人单位+第三方服务, 幼儿园托班, 医育结合).
PUBLISHED_MODELS = 5
#: Where the five figures above come from.
PUBLISHED_SOURCE = (
    "工人日报 2023-05-05 (acftu.people.com.cn): 2022 年度全国爱心托育用人单位, "
    "75 of 189 candidates recommended by provincial unions, 27 provinces, 15 industries, "
    "five provision models"
)
#: The published coverage per selection dimension (None: not published).
PUBLISHED_COVERAGE: Mapping[str, int | None] = {
    "province": PUBLISHED_PROVINCES,
    "industry": PUBLISHED_INDUSTRIES,
    "provision_model": PUBLISHED_MODELS,
    "ownership": None,
    "size_band": None,
    "population_band": None,
}

#: Default seed of the pool (the year of the round).
DEFAULT_SEED = 2022

# --- Assumptions (not published; docs/adr/0090) ----------------------------------------

#: Candidates every mainland provincial union recommends before the population share.
PROVINCE_BASE = 3
#: Census year of the province populations that apportion the rest of the pool.
POPULATION_YEAR = 2020
#: Relative weight of each GB/T 4754 section among employer-childcare candidates;
#: a section not listed weighs 1, T (国际组织) 0.
SECTION_WEIGHTS: Mapping[str, float] = {
    "A": 1,
    "B": 2,
    "C": 22,
    "D": 6,
    "E": 3,
    "F": 3,
    "G": 6,
    "H": 1,
    "I": 7,
    "J": 6,
    "K": 1,
    "L": 4,
    "M": 4,
    "N": 1,
    "O": 1,
    "P": 8,
    "Q": 18,
    "R": 1,
    "S": 10,
    "T": 0,
}
#: Provision-model weights by section ("*" = any other section).
MODEL_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "*": {"employer_built": 45, "third_party": 30, "kindergarten": 10, "park": 10, "medical": 5},
    "Q": {"medical": 55, "employer_built": 25, "third_party": 15, "kindergarten": 5},
    "L": {"park": 60, "employer_built": 20, "third_party": 20},
    "P": {"kindergarten": 45, "employer_built": 35, "third_party": 20},
    "S": {"employer_built": 45, "third_party": 30, "kindergarten": 25},
}
#: Ownership-type weights by section ("*" = any other section). Only types eligible in
#: the round (机关, 企事业单位, 产业园区; policy facts §5) appear.
OWNERSHIP_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "*": {"private": 50, "state": 30, "collective": 10, "foreign": 5, "hmt": 5},
    "S": {"agency": 85, "institution": 15},
    "Q": {"institution": 85, "private": 10, "state": 5},
    "P": {"institution": 90, "private": 10},
    "M": {"institution": 50, "state": 30, "private": 20},
    "B": {"state": 80, "private": 15, "collective": 5},
    "D": {"state": 80, "private": 15, "collective": 5},
    "G": {"state": 80, "private": 15, "collective": 5},
    "J": {"state": 70, "private": 20, "foreign": 10},
    "C": {"private": 45, "state": 30, "foreign": 15, "hmt": 5, "collective": 5},
    "I": {"private": 75, "state": 15, "foreign": 10},
    "L": {"park": 60, "state": 30, "private": 10},
}
#: Median employer headcount (persons) by section; log-normal with σ = HEADCOUNT_SIGMA.
HEADCOUNT_MEDIANS: Mapping[str, int] = {"*": 1500, "C": 3000, "Q": 2500, "S": 600, "P": 1200}
HEADCOUNT_SIGMA = 0.9
HEADCOUNT_RANGE = (50, 300_000)
#: Median children under 3 cared for (persons); log-normal with σ = CHILDREN_SIGMA.
CHILDREN_MEDIAN = 45
CHILDREN_SIGMA = 0.55
CHILDREN_RANGE = (8, 400)
#: Expert score on a 100-point sheet: normal(mean, s.d.), clipped, one decimal place.
SCORE_MEAN = 85.0
SCORE_SD = 5.0
SCORE_RANGE = (60.0, 99.0)

#: The rules of the replay: the service's defaults (no cap, at least one per province
#: with candidates) plus every industry section and provision model present in the pool.
REPLAY_RULES: Mapping[str, object] = {
    "min_one_per_province": True,
    "coverage": {
        "industry": {"each_present": True},
        "provision_model": {"each_present": True},
    },
}

@dataclass(frozen=True)
class ReplayFrame:
    """What the pool is drawn over.

    ``provinces``: ``(2-digit code, name, population)`` of each mainland province, by
    code; ``sections``: GB/T 4754 section letters; ``models``: provision-model values;
    ``ownership``: ownership-type values.
    """

    provinces: tuple[tuple[str, str, int], ...]
    sections: tuple[str, ...]
    models: tuple[str, ...]
    ownership: tuple[str, ...]


def replay_frame() -> ReplayFrame:
    """Read the frame of the pool from the reference tables and the choice classes.

    Provinces: the 31 mainland province-level divisions in use (GB/T 2260) with their
    2020 census population; sections: the GB/T 4754—2017 sections (门类); models: the five
    named provision models of the programme (:class:`ProvisionModel` without ``joint``,
    which the 2022 round did not list); ownership: :class:`OwnershipType` values.
    Raises DomainError DES-090 when the reference tables do not exist or are empty, or a
    province has no population row.
    """
    from django.db import DatabaseError

    from tuoyu.reference.choices import IndustryLevel
    from tuoyu.reference.models import Industry, Population
    from tuoyu.reference.selectors import provinces

    try:
        rows = list(provinces().values_list("code", "name"))
    except DatabaseError as exc:  # tables not created yet (no migrate)
        raise DomainError(
            DES_REPLAY_REFERENCE_MISSING, {"detail": f"reference tables ({exc})"}
        ) from None
    if not rows:
        raise DomainError(DES_REPLAY_REFERENCE_MISSING, {"detail": "provinces (GB/T 2260)"})
    population = dict(
        Population.objects.filter(year=POPULATION_YEAR).values_list("division_code", "population")
    )
    missing = [code for code, _ in rows if code not in population]
    if missing:
        raise DomainError(
            DES_REPLAY_REFERENCE_MISSING,
            {"detail": f"{POPULATION_YEAR} population of {', '.join(missing)}"},
        )
    sections = tuple(
        Industry.objects.filter(level=IndustryLevel.SECTION)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not sections:
        raise DomainError(DES_REPLAY_REFERENCE_MISSING, {"detail": "industry sections (GB/T 4754)"})
    return ReplayFrame(
        provinces=tuple((code[:2], name, population[code]) for code, name in rows),
        sections=sections,
        models=tuple(v for v in ProvisionModel.values if v != ProvisionModel.JOINT),
        ownership=tuple(OwnershipType.values),
    )


def province_counts(
    provinces: Sequence[tuple[str, str, int]], total: int, base: int = PROVINCE_BASE
) -> dict[str, int]:
    """Candidates per province: ``base`` each, the rest by population share.

    The rest (``total − base × provinces``) is apportioned by largest remainder (Hamilton),
    in exact integer arithmetic; equal remainders go to the lower code. Returns
    ``{2-digit code: count}`` summing to ``total``. Raises ValueError when ``total`` is
    below ``base × provinces``.
    """
    rest = total - base * len(provinces)
    if rest < 0:
        raise ValueError(
            f"{total} candidates cannot give {base} to each of {len(provinces)} provinces"
        )
    weight = sum(pop for _, _, pop in provinces) or 1
    counts = {code: base + rest * pop // weight for code, _, pop in provinces}
    left = total - sum(counts.values())
    by_remainder = sorted(provinces, key=lambda p: (-(rest * p[2] % weight), p[0]))
    for code, _, _ in by_remainder[:left]:
        counts[code] += 1
    return counts


def _pick(rng: random.Random, weights: Mapping[str, float], allowed: Sequence[str]) -> str:
    """One value drawn with ``weights`` among ``allowed`` (uses one ``rng.random()``)."""
    items = [(value, weights.get(value, 0)) for value in allowed if weights.get(value, 0) > 0]
    if not items:
        items = [(value, 1.0) for value in allowed]
    point = rng.random() * sum(w for _, w in items)
    for value, w in items:
        point -= w
        if point < 0:
            return value
    return items[-1][0]


def _normal(rng: random.Random) -> float:
    """A standard normal deviate (Box–Muller on two ``rng.random()`` draws), so the pool
    depends only on ``random.random``, whose sequence for an integer seed is stable."""
    u1 = 1.0 - rng.random()
    u2 = rng.random()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def _clip(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def pool_build(
    frame: ReplayFrame, *, seed: int = DEFAULT_SEED, size: int = PUBLISHED_CANDIDATES
) -> list[Candidate]:
    """Build the synthetic pool: ``size`` candidates (default 189), the same for a seed.

    Per province (by code) its :func:`province_counts` share; each candidate draws a
    section (:data:`SECTION_WEIGHTS`), a provision model and an ownership type given the
    section (:data:`MODEL_WEIGHTS`, :data:`OWNERSHIP_WEIGHTS`), a headcount and children
    served (log-normal, persons) and a score (normal on 100 points, one decimal). Ids are
    ``001`` … in that order; names say the unit is simulated (模拟单位). Returns a list of
    :class:`Candidate`. Raises ValueError when ``size`` is too small for the provinces.
    """
    rng = random.Random(seed)
    counts = province_counts(frame.provinces, size)
    section_weights = {s: SECTION_WEIGHTS.get(s, 1) for s in frame.sections}
    pool: list[Candidate] = []
    for code, name, _ in frame.provinces:
        for _ in range(counts[code]):
            number = len(pool) + 1
            section = _pick(rng, section_weights, frame.sections)
            model = _pick(rng, MODEL_WEIGHTS.get(section, MODEL_WEIGHTS["*"]), frame.models)
            ownership = _pick(
                rng, OWNERSHIP_WEIGHTS.get(section, OWNERSHIP_WEIGHTS["*"]), frame.ownership
            )
            median = HEADCOUNT_MEDIANS.get(section, HEADCOUNT_MEDIANS["*"])
            headcount = round(
                _clip(median * math.exp(HEADCOUNT_SIGMA * _normal(rng)), HEADCOUNT_RANGE)
            )
            children = round(
                _clip(CHILDREN_MEDIAN * math.exp(CHILDREN_SIGMA * _normal(rng)), CHILDREN_RANGE)
            )
            score = _clip(SCORE_MEAN + SCORE_SD * _normal(rng), SCORE_RANGE)
            pool.append(
                Candidate(
                    id=f"{number:03d}",
                    name=f"模拟单位{number:03d}（{name}）",
                    province=code,
                    score=Decimal(f"{score:.1f}"),
                    industry=section,
                    provision_model=model,
                    ownership=ownership,
                    headcount=int(headcount),
                    children_served=int(children),
                )
            )
    return pool


@dataclass(frozen=True)
class CoverageRow:
    """Distinct values of one dimension in the pool, the selection (None when no optimum
    was proven), the plain top-K and the published round (None when not published)."""

    dimension: str
    pool: int
    selection: int | None
    top_k: int
    published: int | None

    def as_dict(self) -> dict[str, int | None]:
        """JSON shape: ``{"pool", "selection", "top_k", "published"}``."""
        return {
            "pool": self.pool,
            "selection": self.selection,
            "top_k": self.top_k,
            "published": self.published,
        }


@dataclass(frozen=True)
class ReplayReport:
    """The outcome of :func:`replay_run`.

    ``pool``: the candidates; ``size``: K; ``result``: the :class:`SelectionResult`
    (None when the solver stopped at the time limit without proving an optimum; then
    ``error`` holds the DES-007 error); ``seconds``: wall time of the selection (s);
    ``coverage``: one :class:`CoverageRow` per dimension.
    """

    seed: int
    size: int
    pool: tuple[Candidate, ...]
    rules: Mapping[str, object]
    result: SelectionResult | None
    seconds: float
    coverage: tuple[CoverageRow, ...]
    top_k: tuple[Candidate, ...]
    error: DomainError | None = field(default=None)

    @property
    def proven_optimal(self) -> bool:
        """True when the selection is proven optimal (the service uses a zero gap and
        raises DES-007 when it cannot prove it)."""
        return self.result is not None and self.result.feasible

    def pool_summary(self) -> dict[str, object]:
        """Candidates, distinct values per dimension, candidates per province, score range."""
        scores = [c.score for c in self.pool]
        per_province = Counter(c.province for c in self.pool)
        return {
            "candidates": len(self.pool),
            "per_province": dict(sorted(per_province.items())),
            "score_min": str(min(scores)),
            "score_max": str(max(scores)),
            "score_mean": str((sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))),
        }

    def as_dict(self) -> dict[str, object]:
        """The machine output of ``tuoyu designation replay-2022 --json``.

        Keys: ``seed``, ``size``, ``published`` (the figures and their source), ``pool``
        (:meth:`pool_summary`), ``rules`` (as in a rules file), ``coverage`` ({dimension:
        {pool, selection, top_k, published}}), ``total_score``, ``top_k_score``,
        ``score_given_up`` (decimal strings; None without an optimum), ``solve_seconds``,
        ``proven_optimal``, ``chosen`` and ``top_k`` (ids, score order), ``binding``,
        ``messages`` (zh/en), ``error`` (None, or code and messages).
        """
        result = self.result
        solved = result if self.proven_optimal else None
        return {
            "seed": self.seed,
            "size": self.size,
            "published": {
                "candidates": PUBLISHED_CANDIDATES,
                "named": PUBLISHED_NAMED,
                "provinces": PUBLISHED_PROVINCES,
                "industries": PUBLISHED_INDUSTRIES,
                "provision_models": PUBLISHED_MODELS,
                "source": PUBLISHED_SOURCE,
            },
            "pool": self.pool_summary(),
            "rules": self.rules,
            "coverage": {row.dimension: row.as_dict() for row in self.coverage},
            "total_score": str(solved.total_score) if solved else None,
            "top_k_score": str(sum((c.score for c in self.top_k), Decimal(0))),
            "score_given_up": str(solved.score_given_up) if solved else None,
            "solve_seconds": round(self.seconds, 3),
            "proven_optimal": self.proven_optimal,
            "chosen": [c.id for c in solved.chosen] if solved else [],
            "top_k": [c.id for c in self.top_k],
            "binding": [b.as_dict() for b in solved.binding] if solved else [],
            "messages": [m.as_dict() for m in (*result.notes, *result.messages)] if result else [],
            "error": self.error.as_dict() if self.error else None,
        }


def _distinct(candidates: Sequence[Candidate], dimension: str, rules: SelectionRules) -> int:
    return len({value_of(c, dimension, rules) for c in candidates})


def replay_run(
    *,
    seed: int = DEFAULT_SEED,
    time_limit: float | None = 120.0,
    frame: ReplayFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReplayReport:
    """Build the pool for ``seed`` and choose :data:`PUBLISHED_NAMED` (75) units.

    ``time_limit`` bounds each solve (seconds); ``frame`` defaults to
    :func:`replay_frame` (reads the reference tables); ``progress`` receives one line per
    step. The selection is :func:`select_representatives` with :data:`REPLAY_RULES`, as
    ``tuoyu designation select`` runs it. Returns a :class:`ReplayReport`; when the solver
    stops at ``time_limit`` the report has no result and carries the DES-007 error.
    Raises DomainError DES-090 (reference data missing).
    """
    say = progress or (lambda _line: None)
    frame = frame or replay_frame()
    say(f"building the pool: {PUBLISHED_CANDIDATES} candidates, seed {seed}")
    pool = pool_build(frame, seed=seed)
    rules = rules_from_mapping(REPLAY_RULES)
    say(
        f"selecting {PUBLISHED_NAMED} (exact integer programme, time limit {time_limit} s per solve)"
    )
    start = time.perf_counter()
    result: SelectionResult | None = None
    error: DomainError | None = None
    try:
        result = select_representatives(
            pool, size=PUBLISHED_NAMED, rules=rules, time_limit=time_limit
        )
    except DomainError as exc:
        if exc.code != DES_SOLVER_FAILED:
            raise
        error = exc
    seconds = time.perf_counter() - start
    say(f"selection done in {seconds:.2f} s")
    plain = tuple(top_k(pool, PUBLISHED_NAMED))
    chosen = result.chosen if result is not None and result.feasible else None
    coverage = tuple(
        CoverageRow(
            dimension,
            _distinct(pool, dimension, rules),
            _distinct(chosen, dimension, rules) if chosen is not None else None,
            _distinct(plain, dimension, rules),
            PUBLISHED_COVERAGE.get(dimension),
        )
        for dimension in DIMENSIONS
    )
    return ReplayReport(
        seed=seed,
        size=PUBLISHED_NAMED,
        pool=tuple(pool),
        rules=REPLAY_RULES,
        result=result,
        seconds=seconds,
        coverage=coverage,
        top_k=plain,
        error=error,
    )
