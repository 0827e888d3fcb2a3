"""The demo data set: coverage (provinces, industries, models, states), rule breaks, accounts, idempotence.

The set is built once for the module inside a transaction that is rolled back at the end
(building it takes seconds); each test runs in its own savepoint on top.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tuoyu.accounts.choices import OwnershipType, Role
from tuoyu.accounts.models import Membership, Organization, User
from tuoyu.core.dates import local_today
from tuoyu.core.demo import DEMO_PASSWORD, demo_accounts, demo_build
from tuoyu.core.demo import catalogue as cat
from tuoyu.core.identifiers import validate_credit_code
from tuoyu.facilities.choices import ProvisionModel
from tuoyu.facilities.models import Enrolment, Facility, StaffMember
from tuoyu.facilities.workflow import FilingStatus
from tuoyu.standards.checks import facility_check

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data set, built once for this module and rolled back afterwards.

    Passwords are hashed with the fast hasher the tests' autouse fixture selects, so the
    demo password can be checked inside the tests.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), \
            transaction.atomic():
        summary = demo_build()
        yield summary
        transaction.set_rollback(True)


def _demo_employers():
    return Organization.objects.filter(kind="employer", source_system=cat.DEMO_SOURCE)


def _demo_facilities():
    return Facility.objects.filter(source_system=cat.DEMO_SOURCE)


def _blocking_codes(facility) -> set[str]:
    return {f.rule_code for f in facility_check(facility, as_of=local_today()) if f.severity == "block"}


def test_demo_has_employers_in_all_31_provinces(demo, db):
    provinces = {o.division.code[:2] for o in _demo_employers().select_related("division")}
    assert len(provinces) == 31


def test_demo_employers_span_at_least_15_industries(demo, db):
    assert _demo_employers().values("industry").distinct().count() >= 15


def test_demo_employers_cover_every_ownership_type(demo, db):
    assert set(_demo_employers().values_list("ownership_type", flat=True)) == set(OwnershipType.values)


def test_demo_employer_credit_codes_are_valid_and_in_active_counties(demo, db):
    for org in _demo_employers().select_related("division"):
        assert validate_credit_code(org.credit_code) == org.credit_code
        assert org.credit_code[2:8] == org.division.code
        assert org.division.is_active and org.division.level == "county"


def test_demo_has_unions_and_health_commissions_at_national_provincial_and_local_level(demo, db):
    levels = Counter(
        Organization.objects.filter(source_system=cat.DEMO_SOURCE, kind__in=["union", "health"])
        .values_list("kind", "level")
    )
    assert levels[("union", "national")] == 1 and levels[("health", "national")] == 1
    assert levels[("union", "provincial")] == 31 and levels[("health", "provincial")] == 31
    assert levels[("health", "county")] > 0
    assert levels[("union", "prefecture")] + levels[("union", "county")] > 0


def test_demo_has_departments(demo, db):
    assert Organization.objects.filter(source_system=cat.DEMO_SOURCE, kind="department").count() >= 2


def test_demo_covers_every_provision_model(demo, db):
    assert set(_demo_facilities().values_list("provision_model", flat=True)) == set(ProvisionModel.values)


def test_demo_has_facilities_in_every_filing_state(demo, db):
    assert set(_demo_facilities().values_list("filing_status", flat=True)) == set(FilingStatus.values)


def test_filed_demo_facilities_have_receipt_numbers(demo, db):
    filed = _demo_facilities().filter(filing_status__in=["filed", "change_submitted", "cancelled"])
    assert filed.exists()
    assert not filed.filter(receipt_number="").exists()


@pytest.mark.parametrize(
    ("key", "rule_prefix"),
    [
        ("fac-bj-overcap", "STD-CAP-"),
        ("fac-bj-fuyou", "STD-RATIO-"),
        ("fac-he", "STD-HEALTH-CERT"),
        ("fac-tj", "STD-BAND-"),
        ("fac-sh-nohealth", "STD-HEALTH-STAFF"),
    ],
)
def test_rule_breaking_demo_facility_has_blocking_finding(demo, db, key, rule_prefix):
    facility = _demo_facilities().get(external_id=key)
    assert any(code.startswith(rule_prefix) for code in _blocking_codes(facility))


def test_demo_facilities_without_rule_breaks_pass_the_check(demo, db):
    clean_keys = [f.key for f in cat.FACILITIES if not f.breaks]
    failing = {
        f.external_id: _blocking_codes(f)
        for f in _demo_facilities().filter(external_id__in=clean_keys)
        if _blocking_codes(f)
    }
    assert failing == {}


def test_demo_facilities_have_classes_staff_children_and_fees(demo, db):
    for facility in _demo_facilities().prefetch_related("classes", "services"):
        assert facility.classes.exists()
        assert facility.services.exclude(monthly_fee=None).exists()
        assert facility.total_places == sum(c.capacity for c in facility.classes.all()) or \
            facility.external_id == "fac-bj-overcap"
    assert Enrolment.objects.filter(facility__source_system=cat.DEMO_SOURCE).count() > 500
    assert StaffMember.objects.filter(facility__source_system=cat.DEMO_SOURCE, role="carer").exists()


def test_demo_has_one_account_per_role(demo, db):
    assert {a.role for a in demo_accounts()} == set(Role.values)


@pytest.mark.parametrize("role", ["employer_admin", "health_officer", "union_officer", "department_officer"])
def test_demo_employer_and_officer_roles_have_accounts_in_two_provinces(demo, db, role):
    provinces = {a.division_code[:2] for a in demo_accounts() if a.role == role}
    assert provinces == {"11", "31"}


def test_demo_health_officers_sit_in_haidian_and_pudong_county_commissions(demo, db):
    orgs = {
        m.organization.division.code: m.organization.level
        for m in Membership.objects.filter(user__username__in=["health-bj", "health-sh"])
        .select_related("organization__division")
    }
    assert orgs == {"110108": "county", "310115": "county"}


def test_demo_accounts_sign_in_with_the_demo_password(demo, db, client):
    assert client.login(username="employer-bj", password=DEMO_PASSWORD)


def test_demo_platform_admin_can_open_django_admin(demo, db, client):
    client.login(username="admin", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_demo_build_twice_adds_nothing(demo, db):
    before = (Organization.objects.count(), Facility.objects.count(), User.objects.count(),
              Enrolment.objects.count(), Membership.objects.count())
    summary = demo_build()
    after = (Organization.objects.count(), Facility.objects.count(), User.objects.count(),
             Enrolment.objects.count(), Membership.objects.count())
    assert after == before
    assert summary.created is False


def test_demo_command_with_facilities_adds_that_many(demo, db, capsys):
    before = Facility.objects.count()
    call_command("demo", facilities=200, no_progress=True)
    assert Facility.objects.count() == before + 200


def test_bulk_demo_facilities_pass_the_check(demo, db):
    call_command("demo", facilities=12, no_progress=True)
    bulk = Facility.objects.filter(source_system=cat.BULK_SOURCE).order_by("id")
    assert bulk.count() == 12
    assert {f.external_id: _blocking_codes(f) for f in bulk if _blocking_codes(f)} == {}


def test_bulk_demo_twice_adds_distinct_rows(demo, db):
    call_command("demo", facilities=5, no_progress=True)
    call_command("demo", facilities=5, no_progress=True)
    keys = list(Facility.objects.filter(source_system=cat.BULK_SOURCE).values_list("external_id", flat=True))
    assert len(keys) == len(set(keys)) == 10


def test_demo_registers_an_employer_with_a_letter_department_credit_code(demo, db):
    codes = [c for c in _demo_employers().values_list("credit_code", flat=True) if c[0].isalpha()]
    assert codes and all(validate_credit_code(c) == c for c in codes)
