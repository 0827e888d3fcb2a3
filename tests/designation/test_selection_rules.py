"""Selection rules from YAML: defaults, forms of coverage, and errors naming their key."""

from __future__ import annotations

import pytest

from tuoyu.core.errors import DomainError
from tuoyu.designation.selection import CoverageTarget, rules_from_mapping, rules_load
from tuoyu.designation.selection.candidates import candidates_parse


def _error_field(data) -> str:
    with pytest.raises(DomainError) as caught:
        rules_from_mapping(data)
    assert caught.value.code == "DES-002"
    return caught.value.field


def test_no_rules_give_the_documented_defaults():
    rules = rules_from_mapping(None)
    assert (
        rules.max_per_province,
        rules.min_one_per_province,
        rules.size_bands,
        rules.population_bands,
        dict(rules.coverage),
        rules.extra,
    ) == (None, True, (300, 1000, 5000), (30, 60, 100), {}, ())


def test_quota_keys_accept_six_digit_codes_and_numbers():
    rules = rules_from_mapping({"province_quotas": {110000: 2, "31": 4}})
    assert dict(rules.province_quotas) == {"11": 2, "31": 4}


def test_coverage_number_is_short_for_distinct():
    rules = rules_from_mapping({"coverage": {"industry": 12}})
    assert rules.coverage["industry"] == CoverageTarget(distinct=12)


def test_coverage_values_are_normalised():
    rules = rules_from_mapping({"coverage": {"provision_model": {"values": ["医育结合", "park"]}}})
    assert rules.coverage["provision_model"].values == ("medical", "park")


def test_extra_rule_gets_a_label_when_none_is_given():
    rules = rules_from_mapping({"rules": [{"where": {"industry": "c"}, "at_most": 5}]})
    assert rules.extra[0].label == "industry=C ≤5"


def test_unknown_top_level_key_is_named():
    assert _error_field({"max_per_provnce": 3}) == "max_per_provnce"


def test_negative_cap_is_refused():
    assert _error_field({"max_per_province": -1}) == "max_per_province"


def test_unknown_value_in_a_rule_is_named():
    assert _error_field({"rules": [{"where": {"provision_model": "zoo"}, "at_least": 1}]}) == (
        "rules[1].where.provision_model"
    )


def test_rule_without_bounds_is_refused():
    assert _error_field({"rules": [{"where": {"industry": "C"}}]}) == "rules[1]"


def test_bands_must_ascend():
    assert _error_field({"size_bands": [1000, 300]}) == "size_bands"


def test_unparsable_yaml_is_des_003(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("coverage: [unclosed", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        rules_load(path)
    assert caught.value.code == "DES-003"


def test_empty_cell_is_a_required_error():
    row = {
        "id": "1",
        "name": "",
        "province": "11",
        "score": "9",
        "industry": "C",
        "provision_model": "park",
        "ownership": "private",
        "headcount": "1",
        "children_served": "1",
    }
    candidates, errors = candidates_parse([(2, row)])
    assert candidates == []
    assert [(e.row, e.column, e.code) for e in errors] == [(2, "name", "DES-010")]


def test_score_with_five_decimals_is_refused():
    row = {
        "id": "1",
        "name": "甲",
        "province": "11",
        "score": "9.12345",
        "industry": "C",
        "provision_model": "park",
        "ownership": "private",
        "headcount": "1",
        "children_served": "1",
    }
    _, errors = candidates_parse([(2, row)])
    assert [e.code for e in errors] == ["DES-013"]


def test_full_width_values_are_normalised():
    row = {
        "id": "１",
        "name": "甲",
        "province": "１１０１０８",
        "score": "９０．５",
        "industry": "ｃ",
        "provision_model": "园区集中托育",
        "ownership": "Private enterprise",
        "headcount": "1,200",
        "children_served": "30",
    }
    candidates, errors = candidates_parse([(2, row)])
    assert errors == []
    c = candidates[0]
    assert (c.id, c.province, str(c.score), c.industry, c.provision_model, c.headcount) == (
        "1",
        "11",
        "90.5",
        "C",
        "park",
        1200,
    )
