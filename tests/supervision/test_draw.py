"""Behaviour of the double-random draw (``tuoyu.supervision.draw``)."""

import random
from decimal import Decimal

import pytest

from tuoyu.core.errors import DomainError
from tuoyu.supervision.draw import (
    DrawImpossible,
    Entity,
    Inspector,
    RandomStream,
    WeightTable,
    allocate,
    draw,
    target_count,
    weights_from_settings,
)


def make_entities(n=60, counties=("110105", "110108", "310115")):
    return [
        Entity(
            id=f"F{k:03d}",
            organisation=f"O{k % 10}",
            strata=(counties[k % len(counties)],),
            credit_class="ABCD"[k % 4],
            complaints=k % 3,
        )
        for k in range(n)
    ]


def make_inspectors(n=8):
    return [Inspector(id=f"I{k}", organisations=(f"O{k}",)) for k in range(n)]


def run(entities=None, inspectors=None, seed="seed", **kwargs):
    kwargs.setdefault("strata_columns", ("county",))
    return draw(
        entities if entities is not None else make_entities(),
        inspectors if inspectors is not None else make_inspectors(),
        seed,
        **kwargs,
    )


def test_same_inputs_give_byte_identical_json():
    assert run(ratio="0.2").to_json() == run(ratio="0.2").to_json()


def test_shuffled_input_rows_give_the_same_result():
    entities, inspectors = make_entities(), make_inspectors()
    shuffled_e, shuffled_i = entities[:], inspectors[:]
    random.Random(7).shuffle(shuffled_e)
    random.Random(8).shuffle(shuffled_i)
    assert run(entities, inspectors, ratio="0.2").to_json() == run(
        shuffled_e, shuffled_i, ratio="0.2"
    ).to_json()


def test_order_of_an_inspectors_organisations_does_not_matter():
    a = [Inspector(id="I1", organisations=("O1", "O2")), *make_inspectors()[2:]]
    b = [Inspector(id="I1", organisations=("O2", "O1", "O2")), *make_inspectors()[2:]]
    assert run(inspectors=a).inspectors_sha256 == run(inspectors=b).inspectors_sha256


def test_changing_one_candidate_changes_the_entity_hash():
    entities = make_entities()
    changed = entities[:]
    changed[5] = Entity(
        id="F005", organisation="O5", strata=("110108",), credit_class="B", complaints=0
    )
    assert entities[5] != changed[5]
    assert run(entities).entities_sha256 != run(changed).entities_sha256


def test_removing_one_candidate_changes_the_entity_hash():
    entities = make_entities()
    assert run(entities).entities_sha256 != run(entities[:-1]).entities_sha256


def test_changing_one_inspector_changes_the_inspector_hash():
    inspectors = make_inspectors()
    changed = [*inspectors[:-1], Inspector(id="I7", organisations=("O7",), last_assigned=("F001",))]
    assert run(inspectors=inspectors).inspectors_sha256 != run(inspectors=changed).inspectors_sha256


def test_another_seed_draws_other_targets():
    first = [t.entity for t in run(make_entities(300), seed="a", count=10).targets]
    second = [t.entity for t in run(make_entities(300), seed="b", count=10).targets]
    assert first != second


def test_targets_are_distinct_and_each_has_distinct_inspectors():
    result = run(ratio="0.5")
    assert len({t.entity for t in result.targets}) == len(result.targets) == 30
    assert all(len(set(t.inspectors)) == 2 for t in result.targets)


def test_no_inspector_inspects_an_entity_of_their_own_organisation():
    result = run(ratio="1")
    organisation = {e.id: e.organisation for e in make_entities()}
    for target in result.targets:
        for inspector in target.inspectors:
            assert f"O{inspector[1:]}" != organisation[target.entity]


def test_no_inspector_inspects_an_entity_they_belong_to_by_id():
    entities = [Entity(id="F1"), Entity(id="F2")]
    inspectors = [Inspector(id="I1", organisations=("F1",)), Inspector(id="I2"), Inspector(id="I3")]
    result = draw(entities, inspectors, "s", ratio="1", per_target=2)
    by_entity = {t.entity: t.inspectors for t in result.targets}
    assert "I1" not in by_entity["F1"]


def test_no_inspector_is_assigned_the_entity_they_inspected_last_time():
    entities = [Entity(id=f"F{k}") for k in range(20)]
    inspectors = [
        Inspector(id="I1", last_assigned=tuple(f"F{k}" for k in range(10))),
        Inspector(id="I2", last_assigned=tuple(f"F{k}" for k in range(10, 20))),
        Inspector(id="I3"),
    ]
    result = draw(entities, inspectors, "s", ratio="1", per_target=2)
    for target in result.targets:
        number = int(target.entity[1:])
        assert ("I1" in target.inspectors) is (number >= 10)
        assert ("I2" in target.inspectors) is (number < 10)


def test_draw_is_impossible_when_a_target_lacks_eligible_inspectors():
    entities = [Entity(id="F1", organisation="O1"), Entity(id="F2", organisation="O2")]
    inspectors = [Inspector(id="I1", organisations=("O1",)), Inspector(id="I2")]
    with pytest.raises(DrawImpossible) as raised:
        draw(entities, inspectors, "s", ratio="1", per_target=2)
    assert raised.value.code == "SUP-005"
    assert raised.value.details["targets"] == [{"entity": "F1", "eligible": 1, "needed": 2}]


def test_impossible_draw_names_every_target_lacking_inspectors():
    entities = [
        Entity(id="F1", organisation="O1"),
        Entity(id="F2", organisation="O1"),
        Entity(id="F3", organisation="O2"),
    ]
    inspectors = [Inspector(id="I1", organisations=("O1",)), Inspector(id="I2")]
    with pytest.raises(DrawImpossible) as raised:
        draw(entities, inspectors, "s", ratio="1", per_target=2)
    assert sorted(d["entity"] for d in raised.value.details["targets"]) == ["F1", "F2"]


def test_load_is_balanced_across_inspectors():
    entities = [Entity(id=f"F{k}") for k in range(10)]
    inspectors = [Inspector(id=f"I{k}") for k in range(5)]
    result = draw(entities, inspectors, "s", ratio="1", per_target=2)
    loads = [sum(i in t.inspectors for t in result.targets) for i in ("I0", "I1", "I2", "I3", "I4")]
    assert loads == [4, 4, 4, 4, 4]


@pytest.mark.parametrize(
    ("population", "ratio", "expected"),
    [(10, "0.05", 1), (20, "0.05", 1), (21, "0.05", 2), (100, "5%", 5), (101, None, 6), (3, "1", 3)],
)
def test_ratio_is_rounded_up_with_at_least_one(population, ratio, expected):
    assert target_count(population, ratio=ratio, count=None) == expected


def test_count_above_the_population_is_refused():
    with pytest.raises(DomainError) as raised:
        target_count(5, ratio=None, count=6)
    assert raised.value.code == "SUP-004"


@pytest.mark.parametrize("ratio", ["0", "-0.1", "1.5", "abc", "NaN"])
def test_ratio_outside_zero_to_one_is_refused(ratio):
    with pytest.raises(DomainError) as raised:
        target_count(5, ratio=ratio, count=None)
    assert raised.value.code == "SUP-004"


def test_empty_population_is_refused():
    with pytest.raises(DomainError) as raised:
        draw([], make_inspectors(), "s")
    assert raised.value.code == "SUP-006"


def test_largest_remainder_gives_the_left_over_targets_to_the_largest_remainders():
    # 10 × (5, 3, 2) / 10 … with total 4: quotas 2.0, 1.2, 0.8 → 2, 1, 1.
    assert allocate({("a",): 5, ("b",): 3, ("c",): 2}, 4) == {("a",): 2, ("b",): 1, ("c",): 1}


def test_largest_remainder_breaks_equal_remainders_by_stratum_key():
    assert allocate({("b",): 1, ("a",): 1, ("c",): 1}, 2) == {("a",): 1, ("b",): 1, ("c",): 0}


@pytest.mark.parametrize("count", [1, 7, 13, 59])
def test_strata_allocation_sums_to_the_target_count(count):
    entities = make_entities(60, counties=("1", "2", "2", "3", "3", "3"))
    result = run(entities, count=count)
    assert sum(a["drawn"] for a in result.allocation) == count == len(result.targets)
    drawn_by_stratum = {}
    for t in result.targets:
        drawn_by_stratum[tuple(t.stratum)] = drawn_by_stratum.get(tuple(t.stratum), 0) + 1
    assert all(drawn_by_stratum.get(tuple(a["stratum"]), 0) == a["drawn"] for a in result.allocation)
    assert all(a["drawn"] <= a["population"] for a in result.allocation)


def test_at_least_one_target_is_drawn_from_a_tiny_population():
    result = run([Entity(id="F1", strata=("1",))], ratio="0.05")
    assert [t.entity for t in result.targets] == ["F1"]


def test_duplicate_entity_id_is_refused():
    with pytest.raises(DomainError) as raised:
        draw([Entity(id="F1"), Entity(id="F1")], make_inspectors(), "s")
    assert raised.value.code == "SUP-003"


def test_control_character_in_an_id_is_refused():
    with pytest.raises(DomainError) as raised:
        Entity(id="F\t1")
    assert raised.value.code == "SUP-001"


def test_seed_with_surrounding_spaces_is_refused():
    with pytest.raises(DomainError) as raised:
        run(seed=" 478 ")
    assert raised.value.field is None and raised.value.params["name"] == "seed"


def test_credit_class_is_upper_cased():
    assert Entity(id="F1", credit_class="c").credit_class == "C"


def test_weight_adds_the_documented_terms_with_caps():
    entity = Entity(
        id="F1", credit_class="D", complaints=9, open_rectifications=5, annual_report_missing=True
    )
    assert WeightTable().weight(entity) == 4 + 3 + 4 + 2


def test_weight_table_refuses_a_credit_weight_below_one():
    with pytest.raises(DomainError):
        WeightTable.from_mapping({"credit_class": {"A": 0}})


def test_weight_table_comes_from_settings(settings):
    settings.TUOYU_DRAW_WEIGHTS = {"credit_class": {"D": 10}, "annual_report_missing": 0}
    table = weights_from_settings()
    assert table.weight(Entity(id="F1", credit_class="D", annual_report_missing=True)) == 10


def test_random_stream_rejects_a_chunk_in_the_biased_tail(monkeypatch):
    stream = RandomStream("s", "0" * 64, "1" * 64)
    chunks = iter([2**64 - 1, 5])  # 2⁶⁴ mod 3 = 1, so 2⁶⁴ − 1 is in the biased tail
    monkeypatch.setattr(stream, "_chunk", lambda: next(chunks))
    assert stream.below(3) == 2


def test_random_stream_values_stay_below_n():
    stream = RandomStream("s", "0" * 64, "1" * 64)
    assert all(0 <= stream.below(n) < n for n in range(1, 500))


def test_parameters_record_the_ratio_as_given():
    assert run(ratio=Decimal("0.10")).parameters["ratio"] == "0.10"
