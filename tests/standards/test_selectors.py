"""Reading the rule table: versions by date, provincial overrides, class helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from tuoyu.core.errors import DomainError
from tuoyu.standards.models import Rule, RuleOverride
from tuoyu.standards.selectors import (
    carer_ratio,
    class_band,
    class_cap,
    province_of,
    rule_get,
    rules_in_force,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 2)


def new_cap_version(max_children, start=dt.date(2026, 1, 1)):
    """End the shipped STD-CAP-TODDLER on ``start`` and add a version from ``start``."""
    old = Rule.objects.get(code="STD-CAP-TODDLER")
    old.effective_to = start
    old.save()
    old.pk, old.effective_from, old.effective_to = None, start, None
    old.parameters = {"class_type": "toddler", "max_children": max_children}
    old.save()


def test_rule_get_returns_the_national_parameters():
    assert rule_get("STD-CAP-INFANT", as_of=DAY).parameters["max_children"] == 10


def test_rule_get_before_the_standard_took_effect_raises_std_001():
    with pytest.raises(DomainError) as exc:
        rule_get("STD-CAP-INFANT", as_of=dt.date(2019, 10, 7))
    assert exc.value.code == "STD-001"


def test_rule_get_on_the_first_effective_day_finds_the_rule():
    assert rule_get("STD-CAP-INFANT", as_of=dt.date(2019, 10, 8)).code == "STD-CAP-INFANT"


def test_rule_get_of_unknown_code_raises_std_001():
    with pytest.raises(DomainError) as exc:
        rule_get("STD-NO-SUCH-RULE", as_of=DAY)
    assert exc.value.code == "STD-001"


def test_wst821_rule_is_not_in_force_before_april_2024():
    assert "STD-FLOOR" not in rules_in_force(as_of=dt.date(2024, 3, 31))
    assert "STD-FLOOR" in rules_in_force(as_of=dt.date(2024, 4, 1))


def test_version_in_force_before_the_change_date_is_the_old_one():
    new_cap_version(12)
    assert class_cap("toddler", as_of=dt.date(2025, 12, 31)) == 15


def test_version_in_force_from_the_change_date_is_the_new_one():
    new_cap_version(12)
    assert class_cap("toddler", as_of=dt.date(2026, 1, 1)) == 12


def test_rule_book_picks_the_version_in_force():
    new_cap_version(12)
    book = rules_in_force(as_of=dt.date(2026, 1, 1))
    assert book.get("STD-CAP-TODDLER").param("max_children") == 12


def test_shipped_example_override_applies_in_zhejiang():
    rule = rule_get("STD-AREA-OUTDOOR", as_of=DAY, province_code="330106")
    assert rule.parameters["min_m2_per_place"] == 3
    assert rule.override.province_code == "330000"


def test_shipped_example_override_does_not_apply_in_beijing():
    rule = rule_get("STD-AREA-OUTDOOR", as_of=DAY, province_code="110000")
    assert rule.parameters["min_m2_per_place"] is None
    assert rule.override is None


def test_override_merges_parameters_key_by_key_and_keeps_the_national_ones():
    RuleOverride.objects.create(
        rule_code="STD-RATIO-MIXED",
        province_code="110000",
        parameters={"children_per_carer": 6},
        source_document="测试",
        effective_from=dt.date(2020, 1, 1),
    )
    rule = rule_get("STD-RATIO-MIXED", as_of=DAY, province_code="110108")
    assert rule.parameters == {"class_type": "mixed", "children_per_carer": 6}
    assert rule.national_parameters["children_per_carer"] == 5


def test_override_severity_replaces_the_rule_severity():
    RuleOverride.objects.create(
        rule_code="STD-FLOOR",
        province_code="110000",
        severity="block",
        source_document="测试",
        effective_from=dt.date(2024, 4, 1),
    )
    assert rule_get("STD-FLOOR", as_of=DAY, province_code="110108").severity == "block"
    assert rule_get("STD-FLOOR", as_of=DAY, province_code="310115").severity == "warn"


def test_override_out_of_its_period_is_ignored():
    RuleOverride.objects.create(
        rule_code="STD-RATIO-MIXED",
        province_code="110000",
        parameters={"children_per_carer": 6},
        source_document="测试",
        effective_from=dt.date(2020, 1, 1),
        effective_to=DAY,
    )
    assert carer_ratio("mixed", as_of=DAY, province_code="110000") == 5
    assert carer_ratio("mixed", as_of=DAY - dt.timedelta(days=1), province_code="110000") == 6


@pytest.mark.parametrize(
    ("class_type", "band"),
    [
        ("infant", (6, 12)),
        ("toddler", (12, 24)),
        ("older", (24, 36)),
        ("mixed", (18, 36)),
    ],
)
def test_class_band_is_the_national_half_open_band(class_type, band):
    assert class_band(class_type, as_of=DAY) == band


@pytest.mark.parametrize(
    ("class_type", "cap"), [("infant", 10), ("toddler", 15), ("older", 20), ("mixed", 18)]
)
def test_class_cap_is_the_national_cap(class_type, cap):
    assert class_cap(class_type, as_of=DAY) == cap


@pytest.mark.parametrize(
    ("class_type", "ratio"), [("infant", 3), ("toddler", 5), ("older", 7), ("mixed", 5)]
)
def test_carer_ratio_is_children_per_carer(class_type, ratio):
    assert carer_ratio(class_type, as_of=DAY) == ratio


def test_mixed_ratio_is_flagged_unverified_and_configurable():
    rule = rule_get("STD-RATIO-MIXED", as_of=DAY)
    assert (rule.certainty, rule.configurable, rule.severity) == ("U", True, "warn")


def test_class_helpers_reject_an_unknown_class_type():
    with pytest.raises(DomainError) as exc:
        class_cap("nursery", as_of=DAY)
    assert exc.value.code == "STD-003"


def test_class_helpers_read_a_rule_book_without_queries(django_assert_num_queries):
    book = rules_in_force(as_of=DAY)
    with django_assert_num_queries(0):
        assert class_band("infant", as_of=DAY, rules=book) == (6, 12)


def test_rules_in_force_takes_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        book = rules_in_force(as_of=DAY, province_code="330106")
    assert len(book) == Rule.objects.filter(effective_from__lte=DAY).count()


def test_province_of_any_division_code_is_its_province():
    assert province_of("330106") == "330000"
    assert province_of(None) is None
