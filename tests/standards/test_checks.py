"""The compliance check of a facility as of a date: what is counted, overrides, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.factories import EnrolmentFactory, FacilityClassFactory, StaffMemberFactory
from tests.standards.conftest import AS_OF, build_site
from tuoyu.facilities.models import ClassPlacement
from tuoyu.standards.checks import Finding, facilities_check, facility_check, has_blocking
from tuoyu.standards.models import Rule, RuleOverride
from tuoyu.standards.selectors import rules_in_force

pytestmark = pytest.mark.django_db


def codes(findings):
    return [f.rule_code for f in findings]


def add_child(
    site,
    class_type,
    *,
    birth,
    enrolled_on=dt.date(2025, 3, 1),
    left_on=None,
    start=dt.date(2025, 3, 1),
    end=None,
):
    child = EnrolmentFactory(
        facility=site.facility, birth_date=birth, enrolled_on=enrolled_on, left_on=left_on
    )
    ClassPlacement.objects.create(
        enrolment=child, facility_class=site.classes[class_type], start=start, end=end
    )
    return child


def test_child_who_left_before_the_date_is_not_counted(site):
    add_child(site, "infant", birth=dt.date(2024, 10, 1), left_on=AS_OF)
    assert "STD-RATIO-INFANT" not in codes(facility_check(site.facility, as_of=AS_OF))


def test_child_enrolled_after_the_date_is_not_counted(site):
    add_child(site, "infant", birth=dt.date(2024, 10, 1), enrolled_on=AS_OF + dt.timedelta(days=1))
    assert "STD-RATIO-INFANT" not in codes(facility_check(site.facility, as_of=AS_OF))


def test_child_enrolled_on_the_date_is_counted(site):
    add_child(site, "infant", birth=dt.date(2024, 10, 1), enrolled_on=AS_OF)
    assert "STD-RATIO-INFANT" in codes(facility_check(site.facility, as_of=AS_OF))


def test_child_is_checked_against_the_class_of_the_placement_covering_the_date(site):
    child = site.children["infant"][0]
    child.birth_date = dt.date(2024, 5, 1)  # 13 months on AS_OF: too old for the infant class
    child.save()
    placement = child.placements.get()
    placement.end = AS_OF
    placement.save()
    ClassPlacement.objects.create(
        enrolment=child, facility_class=site.classes["toddler"], start=AS_OF
    )
    assert "STD-BAND-INFANT" in codes(
        facility_check(site.facility, as_of=AS_OF - dt.timedelta(days=1))
    )
    assert "STD-BAND-INFANT" not in codes(facility_check(site.facility, as_of=AS_OF))


def test_more_children_placed_than_the_cap_is_a_finding_even_within_capacity(site):
    for _ in range(8):
        add_child(site, "infant", birth=dt.date(2024, 10, 1))
    findings = [
        f for f in facility_check(site.facility, as_of=AS_OF) if f.rule_code == "STD-CAP-INFANT"
    ]
    assert [f.params["children"] for f in findings] == [11]


def test_two_carers_cover_twice_the_ratio(site):
    for _ in range(3):
        add_child(site, "infant", birth=dt.date(2024, 10, 1))
    StaffMemberFactory(
        facility=site.facility,
        role="carer",
        assigned_class=site.classes["infant"],
        health_certificate_expiry=dt.date(2026, 1, 1),
    )
    assert "STD-RATIO-INFANT" not in codes(facility_check(site.facility, as_of=AS_OF))


def test_carer_not_assigned_to_the_class_does_not_count_for_it(site):
    carer = site.carers["infant"]
    carer.assigned_class = site.classes["older"]
    carer.save()
    assert "STD-RATIO-INFANT" in codes(facility_check(site.facility, as_of=AS_OF))


def test_from_150_children_health_workers_must_be_full_time(site):
    klass = FacilityClassFactory(
        facility=site.facility, name="托大班2", class_type="older", capacity=20
    )
    for _ in range(130):
        child = EnrolmentFactory(
            facility=site.facility, birth_date=dt.date(2023, 3, 1), enrolled_on=dt.date(2025, 3, 1)
        )
        ClassPlacement.objects.create(
            enrolment=child, facility_class=klass, start=dt.date(2025, 3, 1)
        )
    worker = site.staff["health_worker"]
    worker.full_time = False
    worker.save()
    findings = [
        f for f in facility_check(site.facility, as_of=AS_OF) if f.rule_code == "STD-HEALTH-STAFF"
    ]
    assert [(f.params["children"], f.params["required"]) for f in findings] == [(150, 1)]


def test_151_children_need_two_full_time_health_workers(site):
    for _ in range(131):
        EnrolmentFactory(
            facility=site.facility, birth_date=dt.date(2023, 3, 1), enrolled_on=dt.date(2025, 3, 1)
        )
    findings = [
        f for f in facility_check(site.facility, as_of=AS_OF) if f.rule_code == "STD-HEALTH-STAFF"
    ]
    assert [f.params["required"] for f in findings] == [2]


def test_staff_not_yet_started_is_not_in_post(site):
    director = site.staff["director"]
    director.start_date = AS_OF + dt.timedelta(days=1)
    director.save()
    findings = facility_check(site.facility, as_of=AS_OF)
    assert [f.params["missing_roles"] for f in findings if f.rule_code == "STD-STAFF-ROLES"] == [
        ["director"]
    ]


def test_expired_staff_of_someone_who_left_is_not_a_finding(site):
    director = site.staff["director"]
    director.health_certificate_expiry = dt.date(2025, 1, 1)
    director.end_date = dt.date(2025, 1, 1)
    director.save()
    assert "STD-HEALTH-CERT" not in codes(facility_check(site.facility, as_of=AS_OF))


def test_basement_rooms_are_a_finding(site):
    site.facility.children_floor = -1
    site.facility.save()
    assert "STD-FLOOR" in codes(facility_check(site.facility, as_of=AS_OF))


def test_floor_rule_is_not_applied_before_wst821_took_effect(site):
    site.facility.children_floor = 5
    site.facility.save()
    assert "STD-FLOOR" not in codes(facility_check(site.facility, as_of=dt.date(2024, 3, 31)))


def test_lease_that_has_ended_is_a_finding(site):
    site.facility.premises_tenure = "leased"
    site.facility.lease_start, site.facility.lease_end = dt.date(2021, 1, 1), dt.date(2025, 5, 31)
    site.facility.save()
    assert "STD-PREMISES-TENURE" in codes(facility_check(site.facility, as_of=AS_OF))


def test_no_meals_means_no_cook_and_no_food_licence_needed(site):
    site.facility.services.update(service_type="half_day")
    site.staff["cook"].delete()
    site.documents["food_licence"].delete()
    found = codes(facility_check(site.facility, as_of=AS_OF))
    assert "STD-STAFF-COOK" not in found
    assert "STD-DOCS-FOOD-LICENCE" not in found


def test_example_override_changes_the_outcome_only_in_its_province(db):
    zhejiang, beijing = build_site("330106"), build_site("110108")
    for site in (zhejiang, beijing):
        site.facility.outdoor_area = 100  # 100 m² / 63 places = 1.59 m² per place
        site.facility.save()
    zj = [
        f
        for f in facility_check(zhejiang.facility, as_of=AS_OF)
        if f.rule_code == "STD-AREA-OUTDOOR"
    ]
    assert len(zj) == 1
    assert zj[0].local_source.startswith("示例")
    assert "STD-AREA-OUTDOOR" not in codes(facility_check(beijing.facility, as_of=AS_OF))


def test_severity_override_makes_a_warning_blocking_only_in_that_province(db):
    RuleOverride.objects.create(
        rule_code="STD-FLOOR",
        province_code="110000",
        severity="block",
        source_document="测试规定",
        effective_from=dt.date(2024, 4, 1),
    )
    beijing, shanghai = build_site("110108"), build_site("310115")
    for site in (beijing, shanghai):
        site.facility.children_floor = 4
        site.facility.save()
    assert has_blocking(facility_check(beijing.facility, as_of=AS_OF))
    assert not has_blocking(facility_check(shanghai.facility, as_of=AS_OF))


def test_rule_version_change_by_date_changes_the_outcome(site):
    old = Rule.objects.get(code="STD-CAP-TODDLER")
    old.effective_to = dt.date(2026, 1, 1)
    old.save()
    Rule.objects.create(
        **{
            **{f.name: getattr(old, f.name) for f in Rule._meta.concrete_fields if f.name != "id"},
            "effective_from": dt.date(2026, 1, 1),
            "effective_to": None,
            "parameters": {"class_type": "toddler", "max_children": 12},
        }
    )
    assert "STD-CAP-TODDLER" not in codes(
        facility_check(site.facility, as_of=dt.date(2025, 12, 31))
    )
    assert "STD-CAP-TODDLER" in codes(facility_check(site.facility, as_of=dt.date(2026, 1, 1)))


def test_has_blocking_is_false_for_warnings_only():
    warn = Finding(
        rule_code="X",
        severity="warn",
        message="m",
        title="t",
        source_document="d",
        source_article="a",
        certainty="S",
        subject="s",
    )
    assert not has_blocking([warn])
    assert has_blocking([warn, Finding(**{**warn.as_dict(), "severity": "block"})])


def test_finding_message_follows_the_active_language(site):
    site.facility.children_floor = 4
    site.facility.save()
    with translation.override("en"):
        finding = next(
            f for f in facility_check(site.facility, as_of=AS_OF) if f.rule_code == "STD-FLOOR"
        )
    assert "floor 4" in finding.message
    assert finding.title == "Floor of the children's rooms"


def test_finding_names_staff_by_number_not_name(site):
    director = site.staff["director"]
    director.no_criminal_record = False
    director.save()
    finding = next(
        f
        for f in facility_check(site.facility, as_of=AS_OF)
        if f.rule_code == "STD-NO-CRIMINAL-RECORD"
    )
    assert (finding.subject_type, finding.subject_id) == ("staff", director.pk)
    assert director.name not in finding.subject


def test_check_of_ten_classes_and_forty_staff_takes_a_handful_of_queries(
    site, django_assert_max_num_queries
):
    for i in range(6):
        klass = FacilityClassFactory(
            facility=site.facility, name=f"托大班{i + 2}", class_type="older", capacity=20
        )
        for _ in range(7):
            child = EnrolmentFactory(
                facility=site.facility,
                birth_date=dt.date(2023, 3, 1),
                enrolled_on=dt.date(2025, 3, 1),
            )
            ClassPlacement.objects.create(
                enrolment=child, facility_class=klass, start=dt.date(2025, 3, 1)
            )
    for i in range(32):
        StaffMemberFactory(
            facility=site.facility,
            role="carer",
            health_certificate_expiry=dt.date(2026, 1, 1),
            assigned_class=site.classes["older"] if i % 2 else None,
        )
    assert site.facility.classes.count() == 10
    assert site.facility.staff.count() == 40
    with django_assert_max_num_queries(9):
        facility_check(site.facility, as_of=AS_OF)


def test_a_rule_book_is_reused_for_many_facilities(db, django_assert_max_num_queries):
    sites = [build_site() for _ in range(3)]
    facilities = [s.facility for s in sites]
    for f in facilities:
        f.division  # noqa: B018 - load the division as a select_related would
    with django_assert_max_num_queries(2 + 6 * 3):
        result = facilities_check(facilities, as_of=AS_OF)
    assert set(result) == {f.pk for f in facilities}


def test_rule_book_for_another_province_is_refused(site):
    with pytest.raises(ValueError):
        facility_check(
            site.facility, as_of=AS_OF, rules=rules_in_force(as_of=AS_OF, province_code="310000")
        )
