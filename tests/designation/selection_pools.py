"""Builders and an independent brute-force reference for the selection tests."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

from tuoyu.designation.selection import Candidate, SelectionRules, band_of, id_key
from tuoyu.designation.selection.candidates import PROVINCES as PROVINCE_CODES

#: 27 of the mainland provinces (as many as the 2022 list covered), in code order.
PROVINCES_27 = sorted(code for code in PROVINCE_CODES if code < "70")[:27]
MODELS = ("employer_built", "park", "third_party", "kindergarten", "medical", "joint")
OWNERSHIP = ("agency", "institution", "state", "private", "foreign", "park")


def unit(
    ident,
    province="11",
    score="80",
    *,
    industry="C",
    model="employer_built",
    ownership="private",
    headcount=100,
    children=10,
) -> Candidate:
    """A candidate with defaults for everything a test does not care about."""
    return Candidate(
        str(ident),
        f"单位{ident}",
        province,
        Decimal(str(score)),
        industry,
        model,
        ownership,
        headcount,
        children,
    )


def random_pool(
    rng: random.Random, n: int, *, provinces=("11", "31", "44", "51"), industries="ABCDE", places=1
) -> list[Candidate]:
    """``n`` random candidates; scores with ``places`` decimals, few distinct so ties occur."""
    scale = Decimal(10) ** -places
    return [
        unit(
            i + 1,
            rng.choice(provinces),
            Decimal(rng.randint(60, 70)) + scale * rng.randint(0, 2),
            industry=rng.choice(industries),
            model=rng.choice(MODELS[:4]),
            ownership=rng.choice(OWNERSHIP[:4]),
            headcount=rng.choice((50, 500, 2000, 9000)),
            children=rng.choice((10, 40, 80, 150)),
        )
        for i in range(n)
    ]


def _value(c: Candidate, dimension: str, rules: SelectionRules) -> str:
    if dimension == "size_band":
        return band_of(c.headcount, rules.size_bands)
    if dimension == "population_band":
        return band_of(c.children_served, rules.population_bands)
    return getattr(c, dimension)


def meets(chosen, pool, size, rules: SelectionRules) -> bool:
    """Check every rule directly on a chosen set (written apart from the solver's model)."""
    provinces = {c.province for c in pool}
    counts = {p: sum(1 for c in chosen if c.province == p) for p in provinces}
    for p, count in counts.items():
        cap = rules.cap_for(p)
        if cap is not None and count > cap:
            return False
    if rules.min_one_per_province:
        eligible = [p for p in provinces if rules.cap_for(p) != 0]
        if len(eligible) <= size:
            if any(counts[p] == 0 for p in eligible):
                return False
        elif len({c.province for c in chosen if c.province in eligible}) < size:
            return False
    for dimension, target in rules.coverage.items():
        mine = {_value(c, dimension, rules) for c in chosen}
        if len(mine) < target.distinct:
            return False
        required = set(target.values)
        if target.each_present:
            required |= {_value(c, dimension, rules) for c in pool}
        if not required <= mine:
            return False
    for rule in rules.extra:
        count = sum(
            1 for c in chosen if all(_value(c, d, rules) in allowed for d, allowed in rule.where)
        )
        if rule.at_least is not None and count < rule.at_least:
            return False
        if rule.at_most is not None and count > rule.at_most:
            return False
    return True


def brute_force(pool, size, rules: SelectionRules):
    """Best (total score, id-rank sum) over all subsets of ``size``; None if none is feasible."""
    ranks = {c.id: r for r, c in enumerate(sorted(pool, key=lambda c: id_key(c.id)))}
    best = None
    for subset in itertools.combinations(pool, size):
        if not meets(subset, pool, size, rules):
            continue
        key = (sum(c.score for c in subset), -sum(ranks[c.id] for c in subset))
        if best is None or key > best[0]:
            best = (key, subset)
    if best is None:
        return None
    (total, neg_rank), subset = best
    return total, -neg_rank, {c.id for c in subset}


def rank_sum(pool, ids) -> int:
    """Sum of the id-order ranks of ``ids`` within ``pool``."""
    ranks = {c.id: r for r, c in enumerate(sorted(pool, key=lambda c: id_key(c.id)))}
    return sum(ranks[i] for i in ids)
