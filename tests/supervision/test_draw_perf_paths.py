"""The fast paths of the draw give the documented result and stay strict where they must.

The draw takes shortcuts for speed (one sort, cumulative weights or a Fenwick tree per
stratum, load buckets, a trusted path for intact frozen lists, quick acceptance of clean
entity values); these tests hold each shortcut to the plain definition.
"""

import copy
import gc
import json
import random
from types import SimpleNamespace

import pytest

from tests.supervision import reference_draw
from tuoyu.core.errors import DomainError
from tuoyu.supervision.draw import (
    Entity,
    WeightTable,
    canonical_entities,
    canonical_inspectors,
    draw,
    gc_paused,
    sha256_hex,
)
from tuoyu.supervision.draw_lists import (
    entity_record,
    frozen_entity_rows,
    inspector_record,
)
from tuoyu.supervision.selectors import draw_list_files, draw_result_for, draw_verify

SEED = "福彩3D 2026-12-01 478 plan 12"
STRATA = ("county",)


def entity_dicts(n, *, counties=("110105", "110108"), seed=1):
    rng = random.Random(seed)
    return [
        dict(
            id=f"F{k:05d}",
            organisation=rng.choice(["", "O1", "O2", f"O{k}"]),
            credit_class=rng.choice(["", "A", "B", "C", "D"]),
            complaints=rng.randrange(6),
            open_rectifications=rng.randrange(4),
            annual_report_missing=rng.random() < 0.1,
            strata={"county": rng.choice(counties)},
        )
        for k in range(n)
    ]


def inspector_dicts(n=12):
    return [
        dict(id=f"I{k:02d}", organisations=["O1"] if k % 4 == 0 else [f"H{k}"], last_assigned=[])
        for k in range(n)
    ]


def to_entity(d):
    return Entity(
        id=d["id"],
        organisation=d["organisation"],
        strata=tuple(d["strata"][c] for c in STRATA),
        credit_class=d["credit_class"],
        complaints=d["complaints"],
        open_rectifications=d["open_rectifications"],
        annual_report_missing=d["annual_report_missing"],
    )


def to_inspectors(dicts):
    from tuoyu.supervision.draw_lists import inspector_from_record

    return [inspector_from_record(d) for d in dicts]


def stored_draw(entity_list, inspector_list, **parameters):
    """A draw as the database holds it (frozen JSON records, hashes, result), in memory."""
    parameters = {"ratio": "0.05", "count": None, "strata": list(STRATA), "per_target": 2, **parameters}
    weights = WeightTable()
    result = draw(
        entity_list, inspector_list, SEED, ratio=parameters["ratio"], count=parameters["count"],
        strata_columns=STRATA, per_target=parameters["per_target"], weights=weights,
    )
    draw_list = SimpleNamespace(
        entities=json.loads(json.dumps([entity_record(e, STRATA) for e in sorted(entity_list, key=lambda e: e.id)])),
        inspectors=json.loads(json.dumps([inspector_record(i) for i in sorted(inspector_list, key=lambda i: i.id)])),
        parameters={**parameters, "weights": weights.as_dict()},
        entities_sha256=sha256_hex(canonical_entities(entity_list, STRATA, weights)),
        inspectors_sha256=sha256_hex(canonical_inspectors(inspector_list)),
    )
    return SimpleNamespace(
        pk=1, seed=SEED, algorithm=result.algorithm, result=json.loads(result.to_json()),
        plan=SimpleNamespace(draw_list=draw_list),
    )


def forged_sha256(records):
    """The hash a forger would publish for ``records``: their text written as the trusted
    path writes it (weights by the default table), whatever the records hold."""
    weights = WeightTable()
    lines = ["\t".join(("id", "organisation", "credit_class", "complaints", "open_rectifications",
                        "annual_report_missing", "weight", "stratum:county"))]
    for r in records:
        try:
            weight = (
                weights.credit_class[r["credit_class"]]
                + min(int(r["complaints"]), 3)
                + 2 * min(int(r["open_rectifications"]), 2)
                + (2 if r["annual_report_missing"] else 0)
            )
        except (KeyError, ValueError):
            weight = 1
        lines.append(f"{r['id']}\t{r['organisation']}\t{r['credit_class']}\t{r['complaints']}\t"
                     f"{r['open_rectifications']}\t{'1' if r['annual_report_missing'] else '0'}\t"
                     f"{weight}\t{r['strata']['county']}")
    return sha256_hex(("\n".join(lines) + "\n").encode())


def test_one_large_stratum_uses_the_tree_and_agrees_with_the_reference():
    # 1,200 members and 60 targets in one stratum: the Fenwick-tree branch.
    entities, inspectors = entity_dicts(1200, counties=("110108",)), inspector_dicts()
    expected = reference_draw.run(entities, inspectors, SEED, ratio="0.05", strata=list(STRATA))
    result = draw([to_entity(d) for d in entities], to_inspectors(inspectors), SEED, ratio="0.05", strata_columns=STRATA)
    assert (
        result.entities_sha256, result.inspectors_sha256, [(t.entity, list(t.inspectors)) for t in result.targets]
    ) == expected


def test_many_small_strata_use_cumulative_weights_and_agree_with_the_reference():
    counties = tuple(f"1101{k:02d}" for k in range(40))
    entities, inspectors = entity_dicts(400, counties=counties, seed=2), inspector_dicts(9)
    expected = reference_draw.run(entities, inspectors, SEED, ratio="0.2", strata=list(STRATA), per_target=3)
    result = draw(
        [to_entity(d) for d in entities], to_inspectors(inspectors), SEED,
        ratio="0.2", strata_columns=STRATA, per_target=3,
    )
    assert (
        result.entities_sha256, result.inspectors_sha256, [(t.entity, list(t.inspectors)) for t in result.targets]
    ) == expected


def test_intact_frozen_records_take_the_trusted_path_with_the_published_bytes():
    stored = stored_draw([to_entity(d) for d in entity_dicts(300)], to_inspectors(inspector_dicts()))
    draw_list = stored.plan.draw_list
    trusted = frozen_entity_rows(draw_list.entities, STRATA, WeightTable(), draw_list.entities_sha256)
    assert trusted is not None
    assert sha256_hex(trusted[0]) == draw_list.entities_sha256


def test_trusted_path_draws_the_same_result_as_the_checked_path():
    entities = [to_entity(d) for d in entity_dicts(500, seed=5)]
    inspectors = to_inspectors(inspector_dicts())
    stored = stored_draw(entities, inspectors)
    assert draw_result_for(stored.plan.draw_list, SEED).as_dict() == stored.result


def test_verify_of_an_intact_stored_draw_matches():
    stored = stored_draw([to_entity(d) for d in entity_dicts(300)], to_inspectors(inspector_dicts()))
    outcome = draw_verify(stored)
    assert outcome.match, outcome.problems


def test_altered_record_is_not_trusted():
    stored = stored_draw([to_entity(d) for d in entity_dicts(50)], to_inspectors(inspector_dicts()))
    draw_list = stored.plan.draw_list
    draw_list.entities[3]["complaints"] += 1
    assert frozen_entity_rows(draw_list.entities, STRATA, WeightTable(), draw_list.entities_sha256) is None


def test_altered_record_still_gives_its_own_hash_and_a_mismatch():
    stored = stored_draw([to_entity(d) for d in entity_dicts(50)], to_inspectors(inspector_dicts()))
    stored.plan.draw_list.entities[3]["credit_class"] = "d"  # the checked path upper-cases it
    outcome = draw_verify(stored)
    assert not outcome.match
    assert any("entity list hash" in p for p in outcome.problems)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda rs: rs.insert(1, dict(rs[0])), id="duplicate-id"),
        pytest.param(lambda rs: rs.reverse(), id="out-of-order"),
        pytest.param(lambda rs: rs[2].update(id=rs[2]["id"] + " "), id="space-after-id"),
        pytest.param(lambda rs: rs[2].update(organisation="O1;O2"), id="semicolon-in-organisation"),
        pytest.param(lambda rs: rs[2].update(complaints="2"), id="complaints-as-text"),
        pytest.param(lambda rs: rs[2].update(complaints=True), id="complaints-as-flag"),
        pytest.param(lambda rs: rs[2].update(credit_class="a"), id="lower-case-class"),
        pytest.param(lambda rs: rs[2]["strata"].update(county="110108\x07"), id="control-character"),
    ],
)
def test_malformed_records_are_not_trusted_even_with_a_matching_hash(change):
    stored = stored_draw([to_entity(d) for d in entity_dicts(20)], to_inspectors(inspector_dicts()))
    records = copy.deepcopy(stored.plan.draw_list.entities)
    change(records)
    assert frozen_entity_rows(records, STRATA, WeightTable(), forged_sha256(records)) is None


def test_forged_hash_of_intact_records_is_the_published_hash():
    stored = stored_draw([to_entity(d) for d in entity_dicts(20)], to_inspectors(inspector_dicts()))
    draw_list = stored.plan.draw_list
    assert forged_sha256(draw_list.entities) == draw_list.entities_sha256


def test_record_splitting_a_line_is_not_trusted_even_when_the_text_is_identical():
    stored = stored_draw([to_entity(d) for d in entity_dicts(5, counties=("110108",))], to_inspectors(inspector_dicts()))
    draw_list = stored.plan.draw_list
    trusted = frozen_entity_rows(draw_list.entities, STRATA, WeightTable(), draw_list.entities_sha256)
    first_line, second_line = trusted[0].decode().split("\n")[1:3]
    merged = copy.deepcopy(draw_list.entities[:1] + draw_list.entities[2:])
    merged[0]["strata"]["county"] = "110108\n" + second_line  # the same bytes, one record fewer
    assert first_line.endswith("\t110108")
    assert frozen_entity_rows(merged, STRATA, WeightTable(), draw_list.entities_sha256) is None


def test_published_files_of_intact_and_checked_paths_are_the_same_bytes():
    entities = [to_entity(d) for d in entity_dicts(80)]
    inspectors = to_inspectors(inspector_dicts())
    stored = stored_draw(entities, inspectors)
    assert draw_list_files(stored.plan.draw_list) == (
        canonical_entities(entities, STRATA, WeightTable()), canonical_inspectors(inspectors)
    )


def test_malformed_frozen_record_still_makes_verification_fail():
    stored = stored_draw([to_entity(d) for d in entity_dicts(20)], to_inspectors(inspector_dicts()))
    stored.plan.draw_list.entities[4]["id"] = "F\x00"
    outcome = draw_verify(stored)
    assert not outcome.match and "cannot be read" in outcome.problems[0]


def test_clean_entity_values_are_kept_as_given():
    entity = Entity(id="F1", organisation="O 1", strata=("110108", "a;b"), credit_class="C", complaints=2)
    assert (entity.id, entity.organisation, entity.strata, entity.credit_class) == ("F1", "O 1", ("110108", "a;b"), "C")


def test_entity_values_needing_normalisation_are_still_normalised():
    entity = Entity(id=" F1\u3000", organisation="O1 ", strata=(" 110108",), credit_class="b")
    assert (entity.id, entity.organisation, entity.strata, entity.credit_class) == ("F1", "O1", ("110108",), "B")


@pytest.mark.parametrize("ident", ["F;1", "F\x851", "", "   "])
def test_entity_id_that_is_not_clean_is_still_refused(ident):
    with pytest.raises(DomainError) as raised:
        Entity(id=ident)
    assert raised.value.code == "SUP-001"


def test_gc_pause_restores_the_collector():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
