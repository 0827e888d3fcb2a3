"""Benchmark of the double-random draw (双随机抽取) at national scale (issue 6, item 5).

Usage::

    python bench/draw.py [--facilities 126000] [--inspectors 2000] [--counties 2844]
                         [--seed 2026] [--repeat 3] [--profile] [--stored]

Synthetic lists, generated with a fixed ``random.Random`` seed (every run draws the same
lists):

- ``--facilities`` entities (default 126,000) in ``--counties`` counties (default 2,844,
  the county-level divisions of the mainland) of 31 provinces, spread unevenly (log-normal
  county sizes), each with one of 6 provision models; strata = county × provision model;
  85 % run by their own organisation, 15 % by one of 2,000 chains;
- risk factors: credit class A 40 % / B 35 % / C 15 % / D 5 % / blank 5 %; complaints
  0–5 (80 % none); open rectifications 0–3 (90 % none); annual report missing 6 %;
- ``--inspectors`` inspectors (default 2,000), each in their county's health bureau;
  10 % also belong to a chain (in conflict with all its facilities), 5 % to one facility,
  and each was assigned to 6 facilities last time (never again now).

The draw: 5 % (rounded up), stratified by county and provision model, risk-weighted
(the default weight table), 2 inspectors per target, seed text fixed in advance.

Measured in the same run (median of ``--repeat``; wall time, CPU time beside it):

- **lists** — building the ``Entity``/``Inspector`` objects (input checks), once;
- **draw** — :func:`tuoyu.supervision.draw.draw` on those objects (canonical lists,
  hashes, allocation, weighted sampling, inspector assignment);
- **verify-draw** — :func:`tuoyu.supervision.selectors.draw_verify`, the code behind
  ``tuoyu inspections verify-draw``, on a stored draw held in memory (the frozen JSON
  records of the lists and the stored JSON result, no database): re-hash the frozen lists,
  re-run the draw, compare field by field;
- **verify from files** — what anyone can do with the published canonical lists: read
  the two TSV files (:func:`read_entities`, :func:`read_inspectors`, as
  ``tuoyu inspections draw`` does), re-run the draw, compare the JSON text;
- baselines: ``random.sample`` of the same number of targets and, per target, of 2
  inspectors (an unverifiable draw); SHA-256 of the two canonical lists alone.

Target of the issue: draw + verification under 2 s. ``--profile`` prints a cProfile of
one draw and one verify-draw (top functions by internal time).

``--stored`` adds the stored path through the services on a database: a fresh SQLite
database in a temporary ``TUOYU_DATA_DIR`` (or the empty, migrated-here database of
``TUOYU_DATABASE_URL``, e.g. ``postgres://postgres@127.0.0.1:5432/tuoyu_bench_b``; it is
migrated and filled, so never point it at a database that matters). It bulk-inserts the
same number of filed facilities in the 16 districts of Beijing (the plan scope must lie in
one province), ``--inspectors`` inspectors of the provincial health commission (10 % also
members of a provider), then times ``draw_lists_freeze`` (population query, canonical lists, JSON
records), ``draw_perform`` (draw on the frozen records, stored result, audit) and
``draw_verify`` on the draw as loaded from the database (``verify-draw``).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import itertools
import json
import math
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuoyu.config.settings")

TARGET_SECONDS = 2.0
SEED_TEXT = "福彩3D 2026-12-01 478 plan 12"
STRATA = ("county", "provision_model")
PROVINCES = tuple(
    f"{code}"
    for code in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45)
    + (46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65)
)
MODELS = ("employer_built", "park", "third_party", "kindergarten", "medical", "joint")
MODEL_WEIGHTS = (30, 8, 25, 20, 7, 10)
CREDIT = ("A", "B", "C", "D", "")
CREDIT_WEIGHTS = (40, 35, 15, 5, 5)


def make_lists(seed: int, facilities: int, inspectors: int, counties: int):
    """Plain data for the two lists: tuples of entity and inspector fields (not yet checked)."""
    rng = random.Random(seed)
    county_codes = []
    for index in range(counties):
        province = PROVINCES[index % len(PROVINCES)]
        number = index // len(PROVINCES)
        county_codes.append(f"{province}{number // 20 + 1:02d}{number % 20 + 1:02d}")
    county_cum = list(itertools.accumulate(rng.lognormvariate(0, 1) for _ in county_codes))
    model_cum = list(itertools.accumulate(MODEL_WEIGHTS))
    credit_cum = list(itertools.accumulate(CREDIT_WEIGHTS))
    chains = [f"O{900000 + c}" for c in range(2000)]
    numbers = rng.sample(range(1, 10_000_000), facilities)
    entity_rows = []
    for n in numbers:
        county = rng.choices(county_codes, cum_weights=county_cum)[0]
        organisation = rng.choice(chains) if rng.random() < 0.15 else f"O{n}"
        complaints = 0 if rng.random() < 0.8 else rng.randint(1, 5)
        rectifications = 0 if rng.random() < 0.9 else rng.randint(1, 3)
        entity_rows.append(
            (
                f"F{n:07d}",
                organisation,
                (county, rng.choices(MODELS, cum_weights=model_cum)[0]),
                rng.choices(CREDIT, cum_weights=credit_cum)[0],
                complaints,
                rectifications,
                rng.random() < 0.06,
            )
        )
    entity_ids = [row[0] for row in entity_rows]
    inspector_rows = []
    for n in rng.sample(range(1, 100_000), inspectors):
        organisations = [f"H{rng.choice(county_codes)}"]
        if rng.random() < 0.10:
            organisations.append(rng.choice(chains))
        if rng.random() < 0.05:
            organisations.append(rng.choice(entity_ids))
        inspector_rows.append((f"I{n:05d}", tuple(organisations), tuple(rng.sample(entity_ids, 6))))
    return entity_rows, inspector_rows


def build(entity_rows, inspector_rows):
    """The checked ``Entity`` and ``Inspector`` objects of the plain rows."""
    from tuoyu.supervision.draw import Entity, Inspector

    entities = [
        Entity(
            id=i,
            organisation=o,
            strata=s,
            credit_class=c,
            complaints=k,
            open_rectifications=r,
            annual_report_missing=m,
        )
        for i, o, s, c, k, r, m in entity_rows
    ]
    inspectors = [Inspector(id=i, organisations=o, last_assigned=a) for i, o, a in inspector_rows]
    return entities, inspectors


def timed(fn, repeat):
    """Median wall and CPU seconds over ``repeat`` calls, and the last value."""
    wall, cpu, value = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), value


def line(name: str, wall: float, cpu: float, base: float, note: str = "") -> None:
    print(
        f"{name:<26} {wall * 1000:9.1f} ms  cpu {cpu * 1000:9.1f} ms  {wall / base:8.1f}x  {note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=126_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--counties", type=int, default=2_844)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one draw and one verify")
    parser.add_argument("--stored", action="store_true", help="also the services on a database")
    args = parser.parse_args()
    temporary_data = None
    if args.stored and not os.environ.get("TUOYU_DATABASE_URL"):
        temporary_data = tempfile.mkdtemp(prefix="tuoyu-bench-draw-db-")
        os.environ["TUOYU_DATA_DIR"] = temporary_data
    import django

    django.setup()
    from tuoyu.supervision.draw import (
        WeightTable,
        canonical_entities,
        canonical_inspectors,
        draw,
        sha256_hex,
    )
    from tuoyu.supervision.draw_lists import (
        entity_record,
        inspector_record,
        read_entities,
        read_inspectors,
    )
    from tuoyu.supervision.selectors import draw_verify

    start = time.perf_counter()
    entity_rows, inspector_rows = make_lists(
        args.seed, args.facilities, args.inspectors, args.counties
    )
    generated = time.perf_counter() - start
    lists_wall, lists_cpu, (entities, inspectors) = timed(
        lambda: build(entity_rows, inspector_rows), 1
    )
    weights = WeightTable()
    strata_count = len({e.strata for e in entities})
    count = math.ceil(len(entities) * 5 / 100)
    print(
        f"lists: {len(entities)} facilities in {strata_count} strata (county × model), "
        f"{len(inspectors)} inspectors; generated in {generated:.1f} s (seed {args.seed}); "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    def run_draw():
        return draw(entities, inspectors, SEED_TEXT, ratio="0.05", strata_columns=STRATA)

    # The stored draw as the database holds it: frozen JSON records, parameters, hashes,
    # and the result's JSON (see tuoyu.supervision.services.draw_lists_freeze/draw_perform).
    result = run_draw()
    entity_bytes = canonical_entities(entities, STRATA, weights)
    inspector_bytes = canonical_inspectors(inspectors)
    draw_list = SimpleNamespace(
        entities=json.loads(
            json.dumps([entity_record(e, STRATA) for e in sorted(entities, key=lambda e: e.id)])
        ),
        inspectors=json.loads(
            json.dumps([inspector_record(i) for i in sorted(inspectors, key=lambda i: i.id)])
        ),
        parameters={
            "ratio": "0.05",
            "count": None,
            "strata": list(STRATA),
            "per_target": 2,
            "weights": weights.as_dict(),
        },
        entities_sha256=sha256_hex(entity_bytes),
        inspectors_sha256=sha256_hex(inspector_bytes),
    )
    stored = SimpleNamespace(
        pk=1,
        seed=SEED_TEXT,
        algorithm=result.algorithm,
        result=json.loads(result.to_json()),
        plan=SimpleNamespace(draw_list=draw_list),
    )
    folder = Path(tempfile.mkdtemp(prefix="tuoyu-bench-draw-"))
    entity_file = folder / "entities.txt"
    inspector_file = folder / "inspectors.txt"
    entity_file.write_bytes(entity_bytes)
    inspector_file.write_bytes(inspector_bytes)
    expected_json = result.to_json()

    def verify_files():
        again = draw(
            read_entities(entity_file, STRATA),
            read_inspectors(inspector_file),
            SEED_TEXT,
            ratio="0.05",
            strata_columns=STRATA,
            weights=weights,
        )
        return again.to_json() == expected_json

    ids = [e.id for e in entities]
    pool_ids = [i.id for i in inspectors]

    def baseline_sample():
        rng = random.Random(args.seed)
        return [(t, rng.sample(pool_ids, 2)) for t in rng.sample(ids, count)]

    def baseline_hash():
        return hashlib.sha256(entity_bytes).hexdigest(), hashlib.sha256(inspector_bytes).hexdigest()

    # Interleaved rounds, so that every measurement sees the same machine load.
    samples: dict[str, list[tuple[float, float]]] = {}
    outcomes: dict[str, object] = {}
    steps = {
        "random.sample (baseline)": baseline_sample,
        "sha256 of lists (base.)": baseline_hash,
        "draw": run_draw,
        "verify-draw (stored)": lambda: draw_verify(stored),
        "verify from files": verify_files,
    }
    for _ in range(args.repeat):
        for name, fn in steps.items():
            wall, cpu, outcomes[name] = timed(fn, 1)
            samples.setdefault(name, []).append((wall, cpu))
    med = {
        name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
        for name, s in samples.items()
    }
    base = med["random.sample (baseline)"][0]
    verification = outcomes["verify-draw (stored)"]
    print(
        f"draw: {len(result.targets)} targets ({result.parameters['targets']} = ceil(5 %)), "
        f"{sum(1 for a in result.allocation if a['drawn'])} strata with a target, "
        f"2 inspectors each; verify-draw match={verification.match} "
        f"{verification.problems[:1]}; verify from files match={outcomes['verify from files']}"
    )
    print(f"{'step':<26} {'wall':>12}  {'cpu':>12}  {'ratio':>9}  (median of {args.repeat})")
    line("lists (Entity objects)", lists_wall, lists_cpu, base, "once, not in the target")
    for name, (wall, cpu) in med.items():
        line(name, wall, cpu, base)
    draw_wall, draw_cpu = med["draw"]
    for name in ("verify-draw (stored)", "verify from files"):
        wall = draw_wall + med[name][0]
        cpu = draw_cpu + med[name][1]
        verdict = "met" if wall < TARGET_SECONDS else "MISSED"
        if wall >= TARGET_SECONDS and cpu < TARGET_SECONDS:
            verdict = "MISSED on wall time (met on CPU time)"
        line(f"draw + {name}", wall, cpu, base, f"target {TARGET_SECONDS:.0f} s: {verdict}")
    print(
        f"ratios: draw / sha256 of lists {draw_wall / med['sha256 of lists (base.)'][0]:.0f}x; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    if args.profile:
        for name in ("draw", "verify-draw (stored)"):
            profiler = cProfile.Profile()
            profiler.enable()
            steps[name]()
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
            print(f"--- profile of {name}\n{out.getvalue()}")
    for path in (entity_file, inspector_file):
        path.unlink()
    folder.rmdir()
    if args.stored:
        try:
            stored_path(args)
        finally:
            if temporary_data:
                shutil.rmtree(temporary_data, ignore_errors=True)


def stored_path(args) -> None:
    """Freeze, draw and verify through the services on a fresh database (see ``--stored``)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from tuoyu.accounts.models import Membership, Organization
    from tuoyu.facilities.models import Facility
    from tuoyu.reference.models import Division
    from tuoyu.supervision.models import Draw
    from tuoyu.supervision.selectors import draw_verify
    from tuoyu.supervision.services import (
        draw_lists_freeze,
        draw_perform,
        inspection_plan_create,
    )

    rng = random.Random(args.seed)
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - start
    start = time.perf_counter()
    districts = list(
        Division.objects.filter(code__startswith="11", level="county", status="active")
    )
    province = Division.objects.get(code="110000", status="active")
    commission = Organization.objects.create(
        kind="health", name="北京市卫生健康委员会", division=province, level="provincial"
    )
    user_model = get_user_model()
    officer = user_model.objects.create(username="bench-officer", password="!")
    Membership.objects.create(user=officer, organization=commission, role="health_officer")
    providers = Organization.objects.bulk_create(
        Organization(kind="provider", name=f"托育服务机构{k}", division=rng.choice(districts))
        for k in range(20_000)
    )
    facilities = []
    for k in range(args.facilities):
        provider = rng.choice(providers)
        facilities.append(
            Facility(
                name=f"爱心托育中心{k}",
                operator=provider,
                provision_model=rng.choices(MODELS, weights=MODEL_WEIGHTS)[0],
                address="北京市",
                division=provider.division,
                building_area=600,
                outdoor_area=200,
                children_floor=1,
                opening_date=dt.date(2024, 9, 1),
                places_toddler=15,
                filing_status="filed",
            )
        )
    Facility.objects.bulk_create(facilities, batch_size=5000)
    inspectors = user_model.objects.bulk_create(
        user_model(username=f"bench-inspector-{k}", password="!") for k in range(args.inspectors)
    )
    memberships = [
        Membership(user=u, organization=commission, role="inspector") for u in inspectors
    ]
    memberships += [
        Membership(user=u, organization=rng.choice(providers), role="facility_operator")
        for u in inspectors
        if rng.random() < 0.10
    ]
    Membership.objects.bulk_create(memberships, batch_size=5000)
    risk = {}
    for pk in Facility.objects.values_list("pk", flat=True):
        risk[pk] = {
            "credit_class": rng.choices(CREDIT, weights=CREDIT_WEIGHTS)[0],
            "complaints": 0 if rng.random() < 0.8 else rng.randint(1, 5),
            "open_rectifications": 0 if rng.random() < 0.9 else rng.randint(1, 3),
            "annual_report_missing": rng.random() < 0.06,
        }
    plan = inspection_plan_create(
        actor=officer,
        organization=commission,
        title="基准测试抽查计划",
        year=2026,
        scope_prefix="11",
        ratio="0.05",
        strata=list(STRATA),
    )
    filled = time.perf_counter() - start
    print(
        f"\nstored path ({connection.vendor}): migrated in {migrated:.1f} s; "
        f"{args.facilities} facilities in {len(districts)} districts, {args.inspectors} "
        f"inspectors inserted in {filled:.1f} s; load average {os.getloadavg()[0]:.2f}"
    )
    profiles = []

    def step(name, fn):
        if not args.profile:
            return timed(fn, 1)
        profiler = cProfile.Profile()
        wall, cpu, value = timed(lambda: profiler.runcall(fn), 1)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        profiles.append(
            f"--- profile of {name} (times above include the profiler)\n{out.getvalue()}"
        )
        return wall, cpu, value

    freeze_wall, freeze_cpu, _ = step(
        "draw_lists_freeze",
        lambda: draw_lists_freeze(actor=officer, plan=plan, risk_factors=risk),
    )
    draw_wall, draw_cpu, first = step(
        "draw_perform", lambda: draw_perform(actor=officer, plan=plan, seed=SEED_TEXT)
    )

    def verify():
        stored = Draw.objects.select_related("plan__draw_list").get(pk=first.pk)
        return draw_verify(stored)

    verify_wall, verify_cpu, outcome = step("draw_verify", verify)
    targets = len(first.result["targets"])
    print(f"{'step':<26} {'wall':>12}  {'cpu':>12}   ({targets} targets, match={outcome.match})")
    for name, wall, cpu in (
        ("draw_lists_freeze", freeze_wall, freeze_cpu),
        ("draw_perform", draw_wall, draw_cpu),
        ("draw_verify (from db)", verify_wall, verify_cpu),
        ("draw + verify", draw_wall + verify_wall, draw_cpu + verify_cpu),
    ):
        print(f"{name:<26} {wall * 1000:9.1f} ms  cpu {cpu * 1000:9.1f} ms")
    for text in profiles:
        print(text)


if __name__ == "__main__":
    main()
