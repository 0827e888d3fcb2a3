"""Permission predicates for every persona (the matrix) and the jurisdiction helpers."""

from __future__ import annotations

import pytest
from django.db.models import Q

from tests.conftest import org_of
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, division
from tuoyu.accounts import permissions as perms
from tuoyu.accounts.models import Organization

ALL = (
    "alice",
    "bob",
    "hana",
    "chen",
    "pudong",
    "bjhealth",
    "una",
    "dora",
    "otto",
    "root",
    "anon",
)

OWN_ORG = {
    "view_facility",
    "edit_facility",
    "submit_filing",
    "cancel_filing",
    "export_facilities",
    "view_personal_data",
}
HEALTH = {
    "view_facility",
    "review_filing",
    "view_filing_queue",
    "export_facilities",
    "view_personal_data",
    "view_audit",
}
OVERSIGHT = {"view_facility", "export_facilities", "view_audit"}
PLATFORM = {
    "view_facility",
    "export_facilities",
    "view_audit",
    "manage_organizations",
    "manage_users",
    "manage_reference",
}

# Written out by hand (not derived from ROLE_CAPABILITIES) so a change to the table shows.
EXPECTED_CAPABILITIES = {
    "alice": OWN_ORG | {"manage_surveys"},
    "bob": OWN_ORG | {"manage_surveys"},
    "otto": OWN_ORG,
    "hana": HEALTH | {"view_demand"},
    "chen": HEALTH | {"view_demand"},
    "pudong": HEALTH | {"view_demand"},
    "bjhealth": HEALTH | {"view_demand"},
    "una": OVERSIGHT | {"view_demand"},
    "dora": OVERSIGHT,
    "root": PLATFORM,
    "anon": set(),
}

EXPECTED_ROLES = {
    "alice": {"employer_admin"},
    "bob": {"employer_admin"},
    "otto": {"facility_operator"},
    "hana": {"health_officer"},
    "chen": {"health_officer"},
    "pudong": {"health_officer"},
    "bjhealth": {"health_officer"},
    "una": {"union_officer"},
    "dora": {"department_officer"},
    "root": {"platform_admin"},
    "anon": set(),
}

EXPECTED_PREFIXES = {
    "alice": [],
    "bob": [],
    "otto": [],
    "hana": ["110108"],
    "chen": ["110105"],
    "pudong": ["310115"],
    "bjhealth": ["11"],
    "una": ["11"],
    "dora": ["11"],
    "root": [""],
    "anon": [],
}

# Who oversees 110108 海淀区 and 310115 浦东新区.
OVERSEES_HAIDIAN = {"hana", "bjhealth", "una", "dora", "root"}
OVERSEES_PUDONG = {"pudong", "root"}

CAPABILITY_CASES = [
    (name, cap, cap in EXPECTED_CAPABILITIES[name])
    for name in ALL
    for cap in sorted(perms.CAPABILITIES)
]


@pytest.mark.parametrize(("name", "capability", "expected"), CAPABILITY_CASES)
def test_has_capability_matrix(personas, name, capability, expected):
    assert perms.has_capability(personas[name], capability) is expected


@pytest.mark.parametrize("name", ALL)
def test_roles_of_each_persona(personas, name):
    assert perms.roles_of(personas[name]) == EXPECTED_ROLES[name]


@pytest.mark.parametrize(
    ("name", "role"), [(n, r) for n in ALL for r in sorted(perms.ROLE_CAPABILITIES)]
)
def test_has_role_matrix(personas, name, role):
    assert perms.has_role(personas[name], role) is (role in EXPECTED_ROLES[name])


@pytest.mark.parametrize("name", ALL)
def test_jurisdiction_prefixes_of_each_persona(personas, name):
    assert perms.jurisdiction_prefixes(personas[name]) == EXPECTED_PREFIXES[name]


@pytest.mark.parametrize("name", ALL)
def test_in_jurisdiction_of_haidian(personas, name):
    assert perms.in_jurisdiction(personas[name], "110108") is (name in OVERSEES_HAIDIAN)


@pytest.mark.parametrize("name", ALL)
def test_in_jurisdiction_of_pudong(personas, name):
    assert perms.in_jurisdiction(personas[name], "310115") is (name in OVERSEES_PUDONG)


def test_in_jurisdiction_accepts_a_division_row(hana):
    assert perms.in_jurisdiction(hana, division("110108"))


def test_county_prefix_does_not_cover_a_neighbouring_county(hana):
    assert not perms.in_jurisdiction(hana, "110105")


def test_roles_argument_limits_the_jurisdiction(una):
    assert perms.jurisdiction_prefixes(una, roles=["health_officer"]) == []


def test_capability_argument_limits_the_jurisdiction(una):
    assert perms.jurisdiction_prefixes(una, capability="review_filing") == []


def test_employer_membership_gives_no_jurisdiction_even_when_asked_for(alice):
    assert perms.jurisdiction_prefixes(alice, roles=["employer_admin"]) == []


def test_prefix_covered_by_a_shorter_one_is_dropped(hana):
    provincial = OrganizationFactory(
        kind="health",
        name="北京市卫健委",
        division=division("110000"),
        level="provincial",
        credit_code=None,
    )
    MembershipFactory(user=hana, organization=provincial, role="health_officer")
    perms.clear_cache(hana)
    assert perms.jurisdiction_prefixes(hana) == ["11"]


def test_prefixes_of_two_provinces_are_both_kept(hana):
    shanghai = OrganizationFactory(
        kind="health",
        name="上海市卫健委",
        division=division("310000"),
        level="provincial",
        credit_code=None,
    )
    MembershipFactory(user=hana, organization=shanghai, role="health_officer")
    perms.clear_cache(hana)
    assert perms.jurisdiction_prefixes(hana) == ["110108", "31"]


def test_prefecture_level_has_four_digit_prefix(db):
    user = UserFactory(username="gz")
    org = OrganizationFactory(
        kind="union",
        name="广州市总工会",
        division=division("440100"),
        level="prefecture",
        credit_code=None,
    )
    MembershipFactory(user=user, organization=org, role="union_officer")
    assert perms.jurisdiction_prefixes(user) == ["4401"]


@pytest.mark.parametrize("name", ALL)
def test_organizations_of_each_persona(personas, name):
    user = personas[name]
    expected = [org_of(user)] if name in {"alice", "bob", "otto"} else []
    assert perms.organizations_of(user) == expected


def test_organizations_of_with_official_role_gives_the_commission(hana):
    assert perms.organizations_of(hana, roles="health_officer") == [org_of(hana)]


def test_inactive_membership_grants_nothing(alice):
    alice.memberships.update(is_active=False)
    assert not perms.has_capability(alice, "edit_facility")


def test_membership_in_inactive_organization_grants_nothing(hana):
    Organization.objects.filter(pk=org_of(hana).pk).update(is_active=False)
    assert perms.jurisdiction_prefixes(hana) == []


def test_inactive_user_has_no_roles(alice):
    alice.is_active = False
    assert perms.roles_of(alice) == frozenset()


def test_superuser_flag_grants_no_capability(db):
    admin = UserFactory(username="super", is_superuser=True, is_staff=True)
    assert perms.capabilities_of(admin) == frozenset()


def test_none_user_has_nothing():
    assert perms.capabilities_of(None) == frozenset()


def test_has_role_in_a_given_organization(alice, bob):
    assert perms.has_role(alice, "employer_admin", organization=org_of(alice))
    assert not perms.has_role(alice, "employer_admin", organization=org_of(bob))


def test_memberships_are_cached_on_the_user(hana, django_assert_num_queries):
    perms.clear_cache(hana)
    with django_assert_num_queries(1):
        perms.has_capability(hana, "review_filing")
        perms.jurisdiction_prefixes(hana)
        perms.in_jurisdiction(hana, "110108")
        perms.organizations_of(hana, roles="health_officer")


def test_clear_cache_reloads_memberships(alice):
    assert perms.has_role(alice, "employer_admin")
    alice.memberships.update(is_active=False)
    perms.clear_cache(alice)
    assert not perms.has_role(alice, "employer_admin")


def _names(user) -> set[str]:
    return set(
        Organization.objects.filter(perms.jurisdiction_q(user)).values_list("name", flat=True)
    )


def test_jurisdiction_q_county_sees_its_county_only(personas):
    assert _names(personas["hana"]) == {
        "海淀科技有限公司",
        "海淀区卫生健康委员会",
        "海淀托育服务有限公司",
    }


def test_jurisdiction_q_province_sees_the_province(personas):
    assert _names(personas["bjhealth"]) == {
        "海淀科技有限公司",
        "海淀区卫生健康委员会",
        "海淀托育服务有限公司",
        "朝阳区卫生健康委员会",
        "北京市卫生健康委员会",
        "北京市总工会",
        "北京市民政局",
        "托育平台运营中心",
    }


def test_jurisdiction_q_other_province(personas):
    assert _names(personas["pudong"]) == {"浦东制造有限公司", "浦东新区卫生健康委员会"}


def test_jurisdiction_q_national_sees_everything(personas):
    assert _names(personas["root"]) == set(Organization.objects.values_list("name", flat=True))


@pytest.mark.parametrize("name", ["alice", "otto", "anon"])
def test_jurisdiction_q_without_jurisdiction_sees_nothing(personas, name):
    assert _names(personas[name]) == set()


def test_national_q_survives_or_with_another_condition(personas):
    q = perms.jurisdiction_q(personas["root"]) | Q(pk__in=[])
    assert Organization.objects.filter(q).count() == Organization.objects.count()


def test_jurisdiction_q_follows_a_related_field(personas):
    hana = personas["hana"]
    q = perms.jurisdiction_q(hana, field="organization__division__code")
    users = set(
        org_of(hana).memberships.model.objects.filter(q).values_list("user__username", flat=True)
    )
    assert users == {"alice", "hana", "otto"}


def test_role_fits_kind_table():
    assert perms.role_fits_kind("facility_operator", "employer")
    assert not perms.role_fits_kind("employer_admin", "provider")


def test_acting_as_prefers_the_membership_with_the_capability(alice):
    union = OrganizationFactory(
        kind="union",
        name="海淀区总工会",
        division=division("110108"),
        level="county",
        credit_code=None,
    )
    MembershipFactory(user=alice, organization=union, role="union_officer")
    perms.clear_cache(alice)
    assert perms.acting_as(alice, capability="view_audit") == (union, "union_officer")


def test_can_view_audit_only_for_officials(personas):
    allowed = {n for n in ALL if perms.can_view_audit(personas[n])}
    assert allowed == {"hana", "chen", "pudong", "bjhealth", "una", "dora", "root"}


def test_new_membership_is_seen_without_clearing_the_cache(alice, hana):
    assert not perms.has_role(alice, "health_officer")
    other = OrganizationFactory(
        kind="health",
        name="海淀区卫健委二",
        division=division("110108"),
        level="county",
        credit_code=None,
    )
    MembershipFactory(user=alice, organization=other, role="health_officer")
    assert perms.has_role(alice, "health_officer")


def test_deactivated_organization_saved_is_seen_without_clearing_the_cache(hana):
    assert perms.jurisdiction_prefixes(hana) == ["110108"]
    org = org_of(hana)
    org.is_active = False
    org.save()
    assert perms.jurisdiction_prefixes(hana) == []


@pytest.fixture
def inspector(db):
    """An inspector of the 海淀区 health commission (county level)."""
    org = OrganizationFactory(
        kind="health", name="海淀区卫健委（检查）", division=division("110108"), level="county",
        credit_code=None, industry=None, ownership_type="", headcount=None,
    )
    user = UserFactory(username="inspector-hd")
    MembershipFactory(user=user, organization=org, role="inspector")
    return user


def test_inspector_inspects_within_the_agency_jurisdiction(inspector):
    assert perms.jurisdiction_prefixes(inspector) == ["110108"]


def test_inspector_sees_facilities_of_its_county_only(inspector):
    from tests.factories import FacilityFactory
    from tuoyu.facilities.selectors import facilities_visible_to

    own = FacilityFactory(operator=OrganizationFactory(division=division("110108")))
    FacilityFactory(operator=OrganizationFactory(division=division("110105")))
    assert list(facilities_visible_to(inspector)) == [own]


def test_inspector_jurisdiction_grants_no_personal_data_or_audit(inspector):
    assert not perms.in_jurisdiction(inspector, "110108", capability=perms.VIEW_PERSONAL_DATA)
    assert not perms.can_view_audit(inspector)
