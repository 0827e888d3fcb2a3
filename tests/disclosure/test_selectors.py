"""Public reads: filters, stable ordering, published fields, figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.disclosure.conftest import filed
from tests.factories import EnrolmentFactory, FacilityClassFactory
from tuoyu.core.errors import DomainError
from tuoyu.disclosure import selectors
from tuoyu.facilities.models import ClassPlacement
from tuoyu.reference.models import Population


def names(filters):
    return sorted(f.name for f in selectors.public_facilities(filters))


def test_only_filed_facilities_are_public(register):
    assert "海淀草稿托育室" not in names({})
    assert len(names({})) == 4


def test_keyword_in_traditional_characters_finds_simplified_name(register):
    assert names({"q": "聯合托育"}) == ["海淀爱心联合托育中心"]


def test_keyword_with_full_width_characters_and_ideographic_space(register):
    filed("ＡＢＣ　托育", number=9)
    assert names({"q": "abc 托育"}) == ["ＡＢＣ　托育"]


def test_keyword_matches_the_address(register):
    filed("某托育点", number=8, address="北京市海淀区学院路5号")
    assert names({"q": "学院路"}) == ["某托育点"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"province": "110000"}, 3),
    ({"province": "11"}, 3),
    ({"province": "310000"}, 1),
    ({"province": "110000", "county": "110105"}, 1),
    ({"province": "310000", "county": "110105"}, 1),  # county outside the province is ignored
])
def test_place_filters_by_division_prefix(register, filters, expected):
    assert len(names(filters)) == expected


def test_provision_model_filter(register):
    assert names({"provision_model": "park"}) == ["中关村宝贝托育园"]


def test_service_type_filter(register):
    assert names({"service_type": "hourly"}) == ["朝阳职工托育室"]


def test_fee_range_matches_any_offered_service(register):
    assert names({"fee_min": "1500", "fee_max": "2000"}) == ["海淀爱心联合托育中心"]


def test_fee_range_with_service_type_uses_that_service_only(register):
    assert names({"service_type": "full_day", "fee_max": "2000"}) == []


def test_free_places_filter_counts_current_enrolment(register):
    full = filed("满员托育园", number=7, places_infant=0, places_toddler=1, places_older=0,
                 places_mixed=0)
    EnrolmentFactory(facility=full)
    EnrolmentFactory(facility=register["union"], left_on=None)
    result = names({"free_places": "1"})
    assert "满员托育园" not in result
    assert "海淀爱心联合托育中心" in result


def test_left_children_do_not_take_places(register):
    full = filed("空出托育园", number=6, places_infant=0, places_toddler=1, places_older=0,
                 places_mixed=0)
    from datetime import date
    EnrolmentFactory(facility=full, left_on=date(2026, 1, 1))
    assert "空出托育园" in names({"free_places": "on"})


def test_sort_by_fee_puts_cheapest_first_and_no_fee_last(register):
    filed("无收费公示托育点", number=5, fees={"full_day": None})
    ordered = [f.name for f in selectors.public_facilities({"sort": "fee"})]
    assert ordered[0] == "朝阳职工托育室"
    assert ordered[-1] == "无收费公示托育点"


def test_relevance_puts_exact_name_before_contains(register):
    filed("托育中心", number=11)
    ordered = [f.name for f in selectors.public_facilities({"q": "托育中心", "sort": "relevance"})]
    assert ordered[0] == "托育中心"


def test_same_names_are_ordered_by_id(register):
    a = filed("同名托育", number=21)
    b = filed("同名托育", number=22)
    ids = [f.pk for f in selectors.public_facilities({"q": "同名托育", "sort": "name"})]
    assert ids == sorted([a.pk, b.pk])


def test_public_facility_get_hides_drafts(register):
    with pytest.raises(DomainError):
        selectors.public_facility_get(register["draft"].pk)


def test_public_facility_get_returns_filed(register):
    assert selectors.public_facility_get(register["zgc"].pk).name == "中关村宝贝托育园"


def test_places_by_class_type_subtract_current_placements(register):
    facility = register["union"]
    klass = FacilityClassFactory(facility=facility, class_type="toddler", name="小一班")
    enrolment = EnrolmentFactory(facility=facility)
    ClassPlacement.objects.create(enrolment=enrolment, facility_class=klass, start=enrolment.enrolled_on)
    rows = {r.class_type: r for r in selectors.public_places_by_class_type(facility)}
    assert rows["toddler"].free == facility.places_toddler - 1
    assert rows["infant"].free == facility.places_infant


def test_national_figures_sum_places_and_census_population(register):
    national = selectors.national_figures()
    places = sum(f.total_places for key, f in register.items() if key != "draft")
    population = sum(
        Population.objects.filter(year=2020, division_code__endswith="0000").values_list(
            "population", flat=True)
    )
    assert national.facilities == 4
    assert national.places == places
    assert national.per_1000 == (Decimal(places) * 1000 / population).quantize(Decimal("0.01"))


def test_employer_run_share_counts_employer_operators(register):
    from tests.factories import OrganizationFactory, division

    provider = OrganizationFactory(kind="provider", division=division("110108"))
    filed("第三方托育", number=12, operator=provider)
    national = selectors.national_figures()
    assert national.employer_run == 4
    assert national.employer_run_share == Decimal("80.0")


def test_province_figures_cover_31_provinces(register):
    rows = {r.code: r for r in selectors.province_figures()}
    assert len(rows) == 31
    assert rows["110000"].facilities == 3
    assert rows["310000"].facilities == 1
    assert rows["440000"].facilities == 0


def test_province_figures_use_a_fixed_number_of_queries(register, django_assert_max_num_queries):
    for n in range(5):
        filed(f"批量托育{n}", code="440106", number=100 + n)
    with django_assert_max_num_queries(3):
        selectors.province_figures()


def test_area_figures_of_a_county(register):
    area = selectors.area_figures("110108")
    assert (area.facilities, area.population) == (2, None)


def test_area_figures_of_unknown_code_is_not_found(db):
    with pytest.raises(DomainError):
        selectors.area_figures("999999")
