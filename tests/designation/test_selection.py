"""Representative selection: optimum, rules, ties, explanation and infeasibility advice."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from tests.designation.selection_pools import (
    PROVINCES_27,
    brute_force,
    meets,
    random_pool,
    rank_sum,
    unit,
)
from tuoyu.core.errors import DomainError
from tuoyu.designation.selection import (
    CoverageTarget,
    ExtraRule,
    SelectionRules,
    band_of,
    rules_from_mapping,
    select_representatives,
    top_k,
)

NO_PROVINCE_MIN = SelectionRules(min_one_per_province=False)


def _ids(result) -> set[str]:
    return {c.id for c in result.chosen}


# --- the optimum equals brute force ------------------------------------------------


def _random_rules(rng: random.Random) -> SelectionRules:
    coverage = {}
    if rng.random() < 0.7:
        coverage["industry"] = CoverageTarget(distinct=rng.randint(2, 4))
    if rng.random() < 0.5:
        coverage["provision_model"] = CoverageTarget(each_present=True)
    if rng.random() < 0.4:
        coverage["size_band"] = CoverageTarget(values=("0-299",))
    extra = []
    if rng.random() < 0.5:
        extra.append(ExtraRule("park ≥ 1", (("provision_model", ("park",)),), at_least=1))
    if rng.random() < 0.5:
        extra.append(ExtraRule("C ≤ 2", (("industry", ("C",)),), at_most=2))
    return SelectionRules(
        max_per_province=rng.choice((None, 2, 3)),
        province_quotas={"44": 1} if rng.random() < 0.3 else {},
        min_one_per_province=rng.random() < 0.7,
        coverage=coverage,
        extra=tuple(extra),
    )


@pytest.mark.parametrize("seed", range(12))
def test_result_equals_brute_force_over_all_subsets(seed):
    rng = random.Random(seed)
    pool = random_pool(rng, rng.randint(10, 15))
    size = rng.randint(4, 7)
    rules = _random_rules(rng)
    expected = brute_force(pool, size, rules)
    result = select_representatives(pool, size=size, rules=rules)
    if expected is None:
        assert result.feasible is False
        return
    total, ranks, _ = expected
    assert result.feasible is True
    assert result.total_score == total
    assert rank_sum(pool, _ids(result)) == ranks
    assert meets(result.chosen, pool, size, rules)


@pytest.mark.parametrize("seed", range(4))
def test_result_equals_brute_force_with_two_decimal_scores(seed):
    rng = random.Random(100 + seed)
    pool = random_pool(rng, 14, places=2, provinces=("11", "31", "44"))
    rules = SelectionRules(max_per_province=2, coverage={"ownership": CoverageTarget(distinct=3)})
    total, ranks, _ = brute_force(pool, 6, rules)
    result = select_representatives(pool, size=6, rules=rules)
    assert (result.total_score, rank_sum(pool, _ids(result))) == (total, ranks)


def test_without_rules_the_choice_is_the_plain_top_k():
    pool = [unit(i, "11", 90 - i) for i in range(1, 9)]
    result = select_representatives(pool, size=3, rules=NO_PROVINCE_MIN)
    assert _ids(result) == {"1", "2", "3"}
    assert result.score_given_up == 0


# --- provinces ---------------------------------------------------------------------


def test_province_cap_limits_units_from_one_province():
    pool = [
        unit(1, "11", 99),
        unit(2, "11", 98),
        unit(3, "11", 97),
        unit(4, "31", 60),
        unit(5, "31", 50),
    ]
    result = select_representatives(pool, size=3, rules=SelectionRules(max_per_province=2))
    assert _ids(result) == {"1", "2", "4"}


def test_province_quota_overrides_the_default_cap():
    pool = [
        unit(1, "11", 99),
        unit(2, "11", 98),
        unit(3, "11", 97),
        unit(4, "31", 60),
        unit(5, "31", 50),
    ]
    rules = SelectionRules(max_per_province=2, province_quotas={"11": 1})
    assert _ids(select_representatives(pool, size=3, rules=rules)) == {"1", "4", "5"}


def test_plain_top_k_missing_a_province_is_fixed_at_least_cost():
    pool = [
        unit(1, "11", 99),
        unit(2, "11", 98),
        unit(3, "11", 97),
        unit(4, "31", 50),
        unit(5, "31", 60),
    ]
    result = select_representatives(pool, size=3, rules=SelectionRules())
    assert {c.id for c in result.top_k} == {"1", "2", "3"}
    assert _ids(result) == {"1", "2", "5"}
    assert result.score_given_up == Decimal(37)


def test_at_least_one_per_province_becomes_k_provinces_when_k_is_smaller():
    pool = [unit(1, "11", 99), unit(2, "11", 98), unit(3, "31", 50), unit(4, "44", 40)]
    result = select_representatives(pool, size=2, rules=SelectionRules())
    assert _ids(result) == {"1", "3"}
    assert any("different provinces" in note.en for note in result.notes)


def test_province_with_quota_zero_needs_no_unit():
    pool = [unit(1, "11", 99), unit(2, "11", 98), unit(3, "31", 50)]
    rules = SelectionRules(province_quotas={"31": 0})
    assert _ids(select_representatives(pool, size=2, rules=rules)) == {"1", "2"}


# --- coverage and extra rules ------------------------------------------------------


def test_each_present_model_coverage_changes_the_choice_against_top_k():
    pool = [
        unit(1, score=99),
        unit(2, score=98),
        unit(3, score=97),
        unit(4, score=60, model="medical"),
        unit(5, score=70, model="park"),
    ]
    rules = SelectionRules(
        min_one_per_province=False, coverage={"provision_model": CoverageTarget(each_present=True)}
    )
    result = select_representatives(pool, size=3, rules=rules)
    assert _ids(result) == {"1", "4", "5"}
    model = next(c for c in result.coverage if c.dimension == "provision_model")
    assert (model.chosen, model.top_k, model.gained) == (3, 1, ("medical", "park"))


def test_distinct_coverage_picks_the_cheapest_new_values():
    pool = [
        unit(1, score=99),
        unit(2, score=98),
        unit(3, score=97),
        unit(4, score=60, industry="Q"),
        unit(5, score=70, industry="P"),
        unit(6, score=65, industry="Q"),
    ]
    rules = SelectionRules(
        min_one_per_province=False, coverage={"industry": CoverageTarget(distinct=2)}
    )
    assert _ids(select_representatives(pool, size=3, rules=rules)) == {"1", "2", "5"}


def test_listed_coverage_values_are_each_required():
    pool = [
        unit(1, score=99, headcount=9000),
        unit(2, score=98, headcount=9000),
        unit(3, score=50, headcount=100),
        unit(4, score=40, headcount=400),
    ]
    rules = SelectionRules(
        min_one_per_province=False, coverage={"size_band": CoverageTarget(values=("300-999",))}
    )
    assert _ids(select_representatives(pool, size=2, rules=rules)) == {"1", "4"}


def test_extra_rule_at_least_forces_units_in():
    pool = [
        unit(1, score=99),
        unit(2, score=98),
        unit(3, score=50, model="park"),
        unit(4, score=55, model="park"),
    ]
    rule = ExtraRule("park ≥ 2", (("provision_model", ("park",)),), at_least=2)
    result = select_representatives(
        pool, size=3, rules=SelectionRules(min_one_per_province=False, extra=(rule,))
    )
    assert _ids(result) == {"1", "3", "4"}


def test_extra_rule_at_most_keeps_units_out():
    pool = [
        unit(1, score=99),
        unit(2, score=98),
        unit(3, score=97),
        unit(4, score=10, industry="Q"),
    ]
    rule = ExtraRule("C ≤ 1", (("industry", ("C",)),), at_most=1)
    result = select_representatives(
        pool, size=2, rules=SelectionRules(min_one_per_province=False, extra=(rule,))
    )
    assert _ids(result) == {"1", "4"}


def test_binding_group_reports_the_score_it_costs():
    pool = [
        unit(1, score=99),
        unit(2, score=98),
        unit(3, score=97),
        unit(4, score=60, model="park"),
    ]
    rules = SelectionRules(
        min_one_per_province=False, coverage={"provision_model": CoverageTarget(each_present=True)}
    )
    result = select_representatives(pool, size=3, rules=rules)
    binding = {b.group: b for b in result.binding}
    assert binding["coverage.provision_model"].score_gain == Decimal(37)
    assert [t.key for t in binding["coverage.provision_model"].tight] == ["park"]


def test_non_binding_group_reports_no_gain():
    pool = [unit(1, "11", 99), unit(2, "31", 98), unit(3, "11", 10)]
    result = select_representatives(pool, size=2, rules=SelectionRules())
    assert [(b.group, b.binding) for b in result.binding] == [("province_min", False)]


def test_score_given_up_is_top_k_total_minus_chosen_total():
    pool = [unit(1, "11", "99.5"), unit(2, "11", "98.25"), unit(3, "31", "10.5")]
    result = select_representatives(pool, size=2, rules=SelectionRules())
    assert result.score_given_up == Decimal("98.25") - Decimal("10.5")


# --- ties --------------------------------------------------------------------------


def test_equal_scores_choose_the_smallest_ids():
    pool = [unit(i, score=80) for i in range(1, 11)]
    assert _ids(select_representatives(pool, size=4, rules=NO_PROVINCE_MIN)) == {"1", "2", "3", "4"}


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_input_gives_the_same_set(seed):
    rng = random.Random(seed)
    pool = random_pool(rng, 40, provinces=("11", "31", "44", "51", "61"))
    rules = SelectionRules(max_per_province=3, coverage={"industry": CoverageTarget(distinct=4)})
    expected = _ids(select_representatives(pool, size=10, rules=rules))
    for _ in range(3):
        shuffled = pool[:]
        rng.shuffle(shuffled)
        assert _ids(select_representatives(shuffled, size=10, rules=rules)) == expected


def test_numeric_ids_tie_break_by_value_not_text():
    pool = [unit(10, score=80), unit(9, score=80), unit(2, score=80)]
    assert _ids(select_representatives(pool, size=2, rules=NO_PROVINCE_MIN)) == {"2", "9"}


def test_top_k_breaks_ties_by_id():
    pool = [unit("b", score=80), unit("a", score=80), unit("c", score=90)]
    assert [c.id for c in top_k(pool, 2)] == ["c", "a"]


# --- infeasible targets ------------------------------------------------------------


def test_infeasible_coverage_names_the_coverage_group():
    pool = [unit(i, industry="CDE"[i % 3]) for i in range(9)]
    rules = SelectionRules(
        min_one_per_province=False, coverage={"industry": CoverageTarget(distinct=5)}
    )
    result = select_representatives(pool, size=5, rules=rules)
    assert result.feasible is False
    assert [r.group for r in result.relaxations] == ["coverage.industry"]
    assert result.relaxations[0].constraints[0].shortfall == 2


def test_infeasible_caps_name_the_province_cap_group():
    pool = [unit(i, "11" if i < 5 else "31") for i in range(10)]
    result = select_representatives(pool, size=6, rules=SelectionRules(max_per_province=2))
    assert [r.group for r in result.relaxations] == ["province_cap"]


def test_infeasible_advice_relaxes_the_fewest_groups():
    pool = [
        unit(i, score=80, model="park" if i < 2 else "employer_built", industry="C")
        for i in range(6)
    ]
    rules = SelectionRules(
        min_one_per_province=False,
        coverage={"industry": CoverageTarget(distinct=1)},
        extra=(
            ExtraRule("park ≥ 3", (("provision_model", ("park",)),), at_least=3),
            ExtraRule("C ≤ 5", (("industry", ("C",)),), at_most=5),
        ),
    )
    result = select_representatives(pool, size=4, rules=rules)
    assert [r.group for r in result.relaxations] == ["rule.1"]


def test_infeasible_advice_is_worded_in_chinese_and_english():
    pool = [unit(i, industry="C") for i in range(4)]
    rules = SelectionRules(
        min_one_per_province=False, coverage={"industry": CoverageTarget(distinct=2)}
    )
    first = select_representatives(pool, size=2, rules=rules).messages[0]
    assert "行业门类覆盖要求" in first.zh
    assert "coverage of industry section" in first.en


def test_listed_value_no_candidate_has_is_infeasible():
    pool = [unit(i) for i in range(4)]
    rules = SelectionRules(
        min_one_per_province=False,
        coverage={"provision_model": CoverageTarget(values=("medical",))},
    )
    result = select_representatives(pool, size=2, rules=rules)
    assert [(r.group, r.constraints[0].key) for r in result.relaxations] == [
        ("coverage.provision_model", "medical")
    ]


# --- input checks ------------------------------------------------------------------


def test_size_above_the_number_of_candidates_is_refused():
    with pytest.raises(DomainError) as caught:
        select_representatives([unit(1), unit(2)], size=3)
    assert caught.value.code == "DES-001"


def test_duplicate_ids_are_refused_with_row_details():
    with pytest.raises(DomainError) as caught:
        select_representatives([unit(1), unit(1)], size=1)
    assert caught.value.code == "DES-004"
    assert caught.value.details["errors"][0]["row"] == 2


def test_bands_cut_at_their_lower_bounds():
    bounds = (300, 1000, 5000)
    assert [band_of(v, bounds) for v in (0, 299, 300, 999, 1000, 5000)] == [
        "0-299",
        "0-299",
        "300-999",
        "300-999",
        "1000-4999",
        "5000+",
    ]


# --- scale -------------------------------------------------------------------------


def test_a_2022_sized_round_solves_with_all_27_provinces():
    rng = random.Random(2022)
    pool = random_pool(rng, 189, provinces=PROVINCES_27, industries="ABCDEFGHIJKLMNOPQ")
    rules = rules_from_mapping(
        {
            "max_per_province": 5,
            "coverage": {"industry": {"distinct": 15}, "provision_model": {"each_present": True}},
        }
    )
    result = select_representatives(pool, size=75, rules=rules)
    assert len(result.chosen) == 75
    assert len({c.province for c in result.chosen}) == 27


def test_ties_under_a_rule_choose_the_smallest_ids_whatever_the_order():
    pool = [
        unit(i, score=80, model="park" if i in (12, 15, 20) else "employer_built")
        for i in range(1, 25)
    ]
    rule = ExtraRule("park ≥ 2", (("provision_model", ("park",)),), at_least=2)
    rules = SelectionRules(min_one_per_province=False, extra=(rule,))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(pool)
        assert _ids(select_representatives(pool, size=6, rules=rules)) == {
            "1",
            "2",
            "3",
            "4",
            "12",
            "15",
        }


def test_rule_with_several_dimensions_counts_units_matching_all():
    pool = [
        unit(1, score=99, industry="C", model="park"),
        unit(2, score=98, industry="C"),
        unit(3, score=97, industry="Q", model="park"),
        unit(4, score=10, industry="C", model="park"),
    ]
    rule = ExtraRule(
        "C park ≥ 2", (("industry", ("C",)), ("provision_model", ("park",))), at_least=2
    )
    result = select_representatives(
        pool, size=2, rules=SelectionRules(min_one_per_province=False, extra=(rule,))
    )
    assert _ids(result) == {"1", "4"}


def test_rule_with_a_list_of_values_counts_units_matching_any():
    pool = [
        unit(1, score=99),
        unit(2, score=98, industry="Q"),
        unit(3, score=97, industry="P"),
        unit(4, score=10),
    ]
    rule = ExtraRule("P or Q ≤ 1", (("industry", ("P", "Q")),), at_most=1)
    result = select_representatives(
        pool, size=3, rules=SelectionRules(min_one_per_province=False, extra=(rule,))
    )
    assert _ids(result) == {"1", "2", "4"}


def test_solver_time_limit_is_reported_as_des_007(monkeypatch):
    from tuoyu.designation.selection import service
    from tuoyu.designation.selection.model import Solved

    monkeypatch.setattr(service, "solve", lambda *a, **k: Solved(1, "Time limit reached"))
    pool = [unit(1, "11", 99), unit(2, "11", 98), unit(3, "31", 10)]
    with pytest.raises(DomainError) as caught:
        select_representatives(pool, size=2, rules=SelectionRules())
    assert caught.value.code == "DES-007"
