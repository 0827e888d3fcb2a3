"""Benchmark of representative selection (代表性遴选): exact MILP vs plain top-K.

Usage::

    python bench/designation_select.py [--seed 1] [--repeat 3]

Two pools are generated with a fixed seed:

- **2022-like**: 189 candidates over 27 provinces, 17 industry sections, 5 provision
  models, K = 75, cap 5 per province, at least one per province, ≥ 15 industries, every
  model present, every size band present;
- **large**: 2,000 candidates over 31 provinces, 20 sections, 6 models, 6 ownership
  types, K = 300, cap 15 per province, at least one per province, ≥ 18 industries,
  ≥ 5 ownership types, every model and size band present, "at least 30 park models",
  "at most 60 of industry C".

For each pool it prints the median wall time (over ``--repeat`` runs) of the plain top-K
(sort by score, ties by id) — the baseline — and of ``select_representatives`` without and
with the explanation (the explanation re-solves once per constraint group), each as a
ratio to the baseline, with the total score and the score given up.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuoyu.config.settings")

import django  # noqa: E402

django.setup()

from tuoyu.designation.selection.candidates import PROVINCES as PROVINCE_CODES  # noqa: E402

#: The 31 mainland provinces, from the selection module's own table.
PROVINCES = sorted(code for code in PROVINCE_CODES if code < "70")
MODELS = ("employer_built", "park", "third_party", "kindergarten", "medical", "joint")
OWNERSHIP = ("agency", "institution", "state", "private", "foreign", "park")


def pool(rng, n, provinces, industries, models, ownership):
    from tuoyu.designation.selection import Candidate

    return [
        Candidate(
            str(i + 1),
            f"unit {i + 1}",
            rng.choice(provinces),
            Decimal(rng.randint(6000, 9900)) / 100,
            rng.choice(industries),
            rng.choice(models),
            rng.choice(ownership),
            rng.choice((80, 450, 2500, 12000)),
            rng.choice((15, 45, 75, 160)),
        )
        for i in range(n)
    ]


def timed(fn, repeat):
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from tuoyu.designation.selection import rules_from_mapping, select_representatives, top_k

    rng = random.Random(args.seed)
    cases = [
        (
            "2022-like 189/75",
            pool(rng, 189, PROVINCES[:27], "ABCDEFGHIJKLMNOPQ", MODELS[:5], OWNERSHIP[:4]),
            75,
            {
                "max_per_province": 5,
                "coverage": {
                    "industry": 15,
                    "provision_model": {"each_present": True},
                    "size_band": {"each_present": True},
                },
            },
        ),
        (
            "large 2000/300",
            pool(rng, 2000, PROVINCES, "ABCDEFGHIJKLMNOPQRST", MODELS, OWNERSHIP),
            300,
            {
                "max_per_province": 15,
                "coverage": {
                    "industry": 18,
                    "ownership": 5,
                    "provision_model": {"each_present": True},
                    "size_band": {"each_present": True},
                },
                "rules": [
                    {"where": {"provision_model": "park"}, "at_least": 30},
                    {"where": {"industry": "C"}, "at_most": 60},
                ],
            },
        ),
    ]
    for name, candidates, size, raw in cases:
        rules = rules_from_mapping(raw)
        base, plain = timed(lambda c=candidates, k=size: top_k(c, k), args.repeat)
        bare, result = timed(
            lambda c=candidates, k=size, r=rules: select_representatives(
                c, size=k, rules=r, explain=False
            ),
            args.repeat,
        )
        full, _ = timed(
            lambda c=candidates, k=size, r=rules: select_representatives(c, size=k, rules=r),
            args.repeat,
        )
        print(
            f"{name}: top-K {base * 1000:.2f} ms (baseline 1x); "
            f"solve {bare * 1000:.0f} ms ({bare / base:.0f}x); "
            f"solve+explain {full * 1000:.0f} ms ({full / base:.0f}x); "
            f"feasible={result.feasible} total={result.total_score} "
            f"top-K total={sum(c.score for c in plain)} given up={result.score_given_up}"
        )


if __name__ == "__main__":
    main()
