"""Statistical check: selection frequency follows the risk weights (seeded, deterministic).

Five candidates with weights 1, 2, 3, 4 and 8 (credit class and complaints), two drawn per
run, over 3,000 fixed seeds. For sequential probability-proportional-to-weight sampling
of two without replacement, candidate i is included with probability

    π_i = w_i / W + Σ_{j ≠ i} (w_j / W) · w_i / (W − w_j).

Tolerance: each observed frequency must lie within 4.5 binomial standard deviations
(√(π_i(1 − π_i)/runs)) of π_i; and the chi-square statistic of the observed inclusion
counts against the expected ones must stay below 20 (5 cells). With fixed seeds the test
is deterministic: it either always passes or always fails for a given algorithm.
"""

import math
from fractions import Fraction

from tuoyu.supervision.draw import Entity, Inspector, WeightTable, draw

RUNS = 3000
CANDIDATES = [
    Entity(id="A", credit_class="A"),  # 1
    Entity(id="B", credit_class="B"),  # 2
    Entity(id="C", credit_class="C"),  # 3
    Entity(id="D", credit_class="D"),  # 4
    Entity(id="E", credit_class="D", complaints=3, annual_report_missing=True),  # 4 + 3 complaints + 2 annual report missing = 9
]
INSPECTORS = [Inspector(id="I1")]


def inclusion_probabilities(weights: list[int]) -> list[float]:
    total = sum(weights)
    result = []
    for i, wi in enumerate(weights):
        p = Fraction(wi, total)
        for j, wj in enumerate(weights):
            if j != i:
                p += Fraction(wj, total) * Fraction(wi, total - wj)
        result.append(float(p))
    return result


def observed_counts() -> list[int]:
    counts = dict.fromkeys("ABCDE", 0)
    for run in range(RUNS):
        result = draw(CANDIDATES, INSPECTORS, f"stat-{run}", count=2, per_target=1)
        for target in result.targets:
            counts[target.entity] += 1
    return [counts[k] for k in "ABCDE"]


def test_weights_of_the_candidates_are_as_documented():
    assert [WeightTable().weight(e) for e in CANDIDATES] == [1, 2, 3, 4, 9]


def test_selection_frequency_matches_the_inclusion_probability_under_the_weights():
    expected = inclusion_probabilities([WeightTable().weight(e) for e in CANDIDATES])
    counts = observed_counts()
    for count, p in zip(counts, expected, strict=True):
        sd = math.sqrt(p * (1 - p) / RUNS)
        assert abs(count / RUNS - p) < 4.5 * sd, (counts, expected)
    chi_square = sum((c - p * RUNS) ** 2 / (p * RUNS) for c, p in zip(counts, expected, strict=True))
    assert chi_square < 20, chi_square
    # The heaviest candidate is drawn clearly more often than the lightest.
    assert counts[4] > 3 * counts[0]
