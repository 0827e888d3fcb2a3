"""A pinned worked example of ``tuoyu-draw/1`` and agreement with a plain re-implementation.

The canonical texts, hashes and targets below were produced by ``reference_draw`` (written
from docs/draw-algorithm.md without the application's module) and are written out here,
so a change to the algorithm or to the document shows up as a failing test.
"""

import hashlib
import random

import pytest

from tests.supervision import reference_draw
from tuoyu.supervision.draw import (
    DrawImpossible,
    Entity,
    Inspector,
    WeightTable,
    canonical_entities,
    canonical_inspectors,
    draw,
)

SEED = "3D-2026338-478 plan-1"
ENTITIES = [
    dict(id="F01", organisation="O1", credit_class="A", strata={"county": "110108"}),
    dict(id="F02", organisation="O2", credit_class="D", complaints=2, open_rectifications=1,
         strata={"county": "110108"}),
    dict(id="F03", organisation="O1", credit_class="B", strata={"county": "110108"}),
    dict(id="F04", organisation="", credit_class="C", annual_report_missing=True,
         strata={"county": "110105"}),
    dict(id="F05", organisation="O3", credit_class="", complaints=5, strata={"county": "110105"}),
    dict(id="托育06", organisation="O4", credit_class="A", strata={"county": "310115"}),
]
INSPECTORS = [
    dict(id="I1", organisations=["O1"], last_assigned=["F02"]),
    dict(id="I2", organisations=["O2"]),
    dict(id="I3", organisations=["卫健委", "O3"], last_assigned=["F01"]),
    dict(id="I4", organisations=[]),
]
ENTITY_TEXT = (
    "id\torganisation\tcredit_class\tcomplaints\topen_rectifications\tannual_report_missing"
    "\tweight\tstratum:county\n"
    "F01\tO1\tA\t0\t0\t0\t1\t110108\n"
    "F02\tO2\tD\t2\t1\t0\t8\t110108\n"
    "F03\tO1\tB\t0\t0\t0\t2\t110108\n"
    "F04\t\tC\t0\t0\t1\t5\t110105\n"
    "F05\tO3\t\t5\t0\t0\t5\t110105\n"
    "托育06\tO4\tA\t0\t0\t0\t1\t310115\n"
)
INSPECTOR_TEXT = (
    "id\torganisations\tlast_assigned\n"
    "I1\tO1\tF02\n"
    "I2\tO2\t\n"
    "I3\tO3;卫健委\tF01\n"
    "I4\t\t\n"
)
ENTITIES_SHA256 = "b17fa34f26fd956b68d38b5af904ef0654ae81c1dfad33dc08c9bea87966d96b"
INSPECTORS_SHA256 = "f09f72c7a60ecc5608f6219eb0d039c0425b18156a32fccaff48ed818f17a6e3"
TARGETS = [("F05", ["I2", "I1"]), ("F03", ["I3", "I4"]), ("F01", ["I2", "I4"])]


def to_entity(d, strata=("county",)):
    return Entity(
        id=d["id"],
        organisation=d.get("organisation", ""),
        strata=tuple(d["strata"][c] for c in strata),
        credit_class=d.get("credit_class", ""),
        complaints=d.get("complaints", 0),
        open_rectifications=d.get("open_rectifications", 0),
        annual_report_missing=d.get("annual_report_missing", False),
    )


def to_inspector(d):
    return Inspector(
        id=d["id"],
        organisations=tuple(d.get("organisations", ())),
        last_assigned=tuple(d.get("last_assigned", ())),
    )


def test_pinned_hashes_are_sha256_of_the_documented_canonical_texts():
    assert hashlib.sha256(ENTITY_TEXT.encode()).hexdigest() == ENTITIES_SHA256
    assert hashlib.sha256(INSPECTOR_TEXT.encode()).hexdigest() == INSPECTORS_SHA256


def test_module_writes_the_documented_canonical_entity_list():
    entities = [to_entity(d) for d in ENTITIES]
    assert canonical_entities(entities, ("county",), WeightTable()) == ENTITY_TEXT.encode()


def test_module_writes_the_documented_canonical_inspector_list():
    inspectors = [to_inspector(d) for d in INSPECTORS]
    assert canonical_inspectors(inspectors) == INSPECTOR_TEXT.encode()


def test_module_draws_the_pinned_targets_and_inspectors():
    result = draw(
        [to_entity(d) for d in ENTITIES],
        [to_inspector(d) for d in INSPECTORS],
        SEED,
        count=3,
        strata_columns=("county",),
    )
    assert result.entities_sha256 == ENTITIES_SHA256
    assert result.inspectors_sha256 == INSPECTORS_SHA256
    assert [(t.entity, list(t.inspectors)) for t in result.targets] == TARGETS


def test_reference_implementation_draws_the_pinned_result():
    assert reference_draw.run(
        ENTITIES, INSPECTORS, SEED, count=3, strata=["county"]
    ) == (ENTITIES_SHA256, INSPECTORS_SHA256, TARGETS)


def _random_case(rng: random.Random):
    n = rng.randrange(1, 60)
    entities = [
        dict(
            id=f"E{rng.randrange(10**6):06d}-{k}",
            organisation=rng.choice(["", "O1", "O2", "O3", "O4", "O5"]),
            credit_class=rng.choice(["", "A", "B", "C", "D"]),
            complaints=rng.randrange(6),
            open_rectifications=rng.randrange(4),
            annual_report_missing=rng.random() < 0.2,
            strata={"county": rng.choice(["110105", "110108", "310115"]), "model": rng.choice(["a", "b"])},
        )
        for k in range(n)
    ]
    inspectors = [
        dict(
            id=f"I{k:02d}",
            organisations=rng.sample(["O1", "O2", "O3", "O4", "O5", "HC"], rng.randrange(3)),
            last_assigned=[rng.choice(entities)["id"]] if rng.random() < 0.5 else [],
        )
        for k in range(rng.randrange(6, 14))
    ]
    strata = rng.choice([(), ("county",), ("county", "model")])
    ratio = rng.choice(["0.05", "0.2", "0.5", "1"])
    return entities, inspectors, strata, ratio, rng.choice([1, 2, 3])


@pytest.mark.parametrize("case", range(40))
def test_module_agrees_with_the_reference_on_random_lists(case):
    entities, inspectors, strata, ratio, per_target = _random_case(random.Random(case))
    arguments = dict(ratio=ratio, strata_columns=strata, per_target=per_target)
    module_lists = ([to_entity(d, strata) for d in entities], [to_inspector(d) for d in inspectors])
    try:
        expected = reference_draw.run(
            entities, inspectors, f"seed-{case}", ratio=ratio, strata=strata, per_target=per_target
        )
    except reference_draw.Impossible as exc:
        with pytest.raises(DrawImpossible) as raised:
            draw(*module_lists, f"seed-{case}", **arguments)
        assert raised.value.params["entity"] == exc.entity
        return
    result = draw(*module_lists, f"seed-{case}", **arguments)
    assert (
        result.entities_sha256,
        result.inspectors_sha256,
        [(t.entity, list(t.inspectors)) for t in result.targets],
    ) == expected
