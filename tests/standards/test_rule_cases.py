"""Every rule in the shipped table has a passing and a failing case.

CASES maps each rule code to (make it pass, make it fail), both acting on a compliant
site (see conftest). Adding a rule to ``rules.json`` without a case here fails
``test_every_rule_in_the_table_has_cases``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.standards.conftest import AS_OF, build_site
from tuoyu.standards.checks import deadline_check, facility_check
from tuoyu.standards.loaders import read_rules_file
from tuoyu.standards.models import Rule


def noop(site):
    """The compliant site already passes."""


def set_birth(class_type, birth):
    def change(site):
        child = site.children[class_type][0]
        child.birth_date = birth
        child.save()

    return change


def set_capacity(class_type, capacity):
    def change(site):
        klass = site.classes[class_type]
        klass.capacity = capacity
        klass.save()

    return change


def carer_leaves(class_type):
    def change(site):
        carer = site.carers[class_type]
        carer.end_date = AS_OF  # end date is exclusive: not in post on AS_OF
        carer.save()

    return change


def staff_change(key, **fields):
    def change(site):
        member = site.staff[key] if key in site.staff else site.carers[key]
        for name, value in fields.items():
            setattr(member, name, value)
        member.save()

    return change


def facility_change(**fields):
    def change(site):
        for name, value in fields.items():
            setattr(site.facility, name, value)
        site.facility.save()

    return change


def national_parameter(code, **params):
    def change(site):
        rule = Rule.objects.get(code=code)
        rule.parameters = {**rule.parameters, **params}
        rule.save()

    return change


def document_change(doc_type, *, delete=False, valid_until=None):
    def change(site):
        doc = site.documents[doc_type]
        if delete:
            doc.delete()
        else:
            doc.valid_until = valid_until
            doc.save()

    return change


CASES = {
    # 设置标准 Art. 19 bands (half-open): the failing child sits just outside the band.
    "STD-BAND-INFANT": (
        set_birth("infant", dt.date(2024, 12, 2)),
        set_birth("infant", dt.date(2024, 6, 2)),
    ),
    "STD-BAND-TODDLER": (
        set_birth("toddler", dt.date(2024, 6, 2)),
        set_birth("toddler", dt.date(2023, 6, 2)),
    ),
    "STD-BAND-OLDER": (
        set_birth("older", dt.date(2022, 6, 3)),
        set_birth("older", dt.date(2022, 6, 2)),
    ),
    "STD-BAND-MIXED": (
        set_birth("mixed", dt.date(2023, 12, 2)),
        set_birth("mixed", dt.date(2023, 12, 3)),
    ),
    # Art. 19 caps: capacity at the cap passes, one more fails.
    "STD-CAP-INFANT": (set_capacity("infant", 10), set_capacity("infant", 11)),
    "STD-CAP-TODDLER": (set_capacity("toddler", 15), set_capacity("toddler", 16)),
    "STD-CAP-OLDER": (set_capacity("older", 20), set_capacity("older", 21)),
    "STD-CAP-MIXED": (set_capacity("mixed", 18), set_capacity("mixed", 19)),
    # Art. 20 ratios: one carer per class holds exactly the ratio's number of children.
    "STD-RATIO-INFANT": (noop, carer_leaves("infant")),
    "STD-RATIO-TODDLER": (noop, carer_leaves("toddler")),
    "STD-RATIO-OLDER": (noop, carer_leaves("older")),
    "STD-RATIO-MIXED": (noop, carer_leaves("mixed")),
    "STD-ENROL-PLACES": (facility_change(places_infant=3), facility_change(places_infant=2)),
    "STD-STAFF-ROLES": (noop, staff_change("security_guard", end_date=dt.date(2025, 5, 1))),
    "STD-STAFF-COOK": (noop, staff_change("cook", start_date=dt.date(2025, 6, 3))),
    "STD-QUAL-DIRECTOR": (
        staff_change("director", education="bachelor", years_experience=10),
        staff_change("director", education="high_school"),
    ),
    "STD-QUAL-CARER": (noop, staff_change("infant", trained=False)),
    "STD-QUAL-HEALTH": (noop, staff_change("health_worker", trained=False)),
    "STD-QUAL-SECURITY": (noop, staff_change("security_guard", qualification="  ")),
    "STD-HEALTH-STAFF": (
        staff_change("health_worker", full_time=False),  # part-time allowed below 150 children
        staff_change("health_worker", end_date=dt.date(2025, 1, 1)),
    ),
    # The expiry date itself is still valid.
    "STD-HEALTH-CERT": (
        staff_change("director", health_certificate_expiry=AS_OF),
        staff_change("director", health_certificate_expiry=dt.date(2025, 6, 1)),
    ),
    "STD-HEALTH-CERT-RENEWAL": (
        staff_change("director", health_certificate_expiry=dt.date(2026, 6, 2)),
        staff_change("director", health_certificate_expiry=dt.date(2026, 6, 3)),
    ),
    "STD-NO-CRIMINAL-RECORD": (noop, staff_change("cook", no_criminal_record=False)),
    # Art. 11: 2024-01-01 … 2026-12-31 is three years; one day less is not.
    "STD-PREMISES-TENURE": (
        facility_change(
            premises_tenure="leased",
            lease_start=dt.date(2024, 1, 1),
            lease_end=dt.date(2026, 12, 31),
        ),
        facility_change(
            premises_tenure="leased",
            lease_start=dt.date(2024, 1, 1),
            lease_end=dt.date(2026, 12, 30),
        ),
    ),
    "STD-FLOOR": (facility_change(children_floor=3), facility_change(children_floor=4)),
    # Unverified area thresholds are not checked until configured: 600 m² / 63 places = 9.52.
    "STD-AREA-BUILDING": (
        national_parameter("STD-AREA-BUILDING", min_m2_per_place=9.5),
        national_parameter("STD-AREA-BUILDING", min_m2_per_place=9.6),
    ),
    # 200 m² / 63 places = 3.17.
    "STD-AREA-OUTDOOR": (
        national_parameter("STD-AREA-OUTDOOR", min_m2_per_place=3),
        national_parameter("STD-AREA-OUTDOOR", min_m2_per_place=3.2),
    ),
    "STD-DOCS-REQUIRED": (noop, document_change("fire_safety", delete=True)),
    "STD-DOCS-FOOD-LICENCE": (
        document_change("food_licence", valid_until=AS_OF),
        document_change("food_licence", valid_until=dt.date(2025, 6, 1)),
    ),
}

# 登记和备案办法 Art. 9, counted from Friday 26 Sep 2025 across the National Day holiday
# (make-up working day Sunday 28 Sep; holiday 1–8 Oct).
DEADLINE_CASES = {
    "STD-DEADLINE-FILING": (dt.date(2025, 10, 10), dt.date(2025, 10, 11)),
    "STD-DEADLINE-VERIFY": (dt.date(2025, 10, 23), dt.date(2025, 10, 24)),
}
DEADLINE_START = dt.date(2025, 9, 26)


def _codes(findings):
    return {f.rule_code for f in findings}


def test_every_rule_in_the_table_has_cases():
    codes = {r["code"] for r in read_rules_file()["rules"]}
    assert codes == set(CASES) | set(DEADLINE_CASES)


@pytest.mark.django_db
def test_compliant_site_has_no_findings():
    site = build_site()
    assert facility_check(site.facility, as_of=AS_OF) == []


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes(code):
    site = build_site()
    CASES[code][0](site)
    assert code not in _codes(facility_check(site.facility, as_of=AS_OF))


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails(code):
    site = build_site()
    CASES[code][1](site)
    findings = [f for f in facility_check(site.facility, as_of=AS_OF) if f.rule_code == code]
    rule = Rule.objects.get(code=code)
    assert findings
    assert {(f.severity, f.source_document, f.source_article, f.certainty) for f in findings} == {
        (rule.severity, rule.source_document, rule.source_article, rule.certainty)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(DEADLINE_CASES))
def test_deadline_rule_passes_on_the_deadline_day(code):
    done_on = DEADLINE_CASES[code][0]
    assert deadline_check(code, start=DEADLINE_START, as_of=done_on, done_on=done_on) is None


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(DEADLINE_CASES))
def test_deadline_rule_fails_the_day_after(code):
    late = DEADLINE_CASES[code][1]
    finding = deadline_check(code, start=DEADLINE_START, as_of=late)
    assert finding is not None
    assert finding.rule_code == code
    assert finding.params["deadline"] == DEADLINE_CASES[code][0].isoformat()
