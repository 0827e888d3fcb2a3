"""Services of the accounts app validate their input and audit every write."""

from __future__ import annotations

import pytest

from tests.conftest import org_of
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, make_credit_code
from tuoyu.accounts import permissions as perms
from tuoyu.accounts import services
from tuoyu.accounts.models import Membership, Organization, User
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError


def _last_event(obj) -> AuditEvent:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).latest("id")


def _employer(actor, **kwargs):
    values = {
        "kind": "employer",
        "name": "中关村软件有限公司",
        "division_code": "110108",
        "credit_code": make_credit_code(901),
        "industry": "65",
        "ownership_type": "private",
        "headcount": 800,
    }
    values.update(kwargs)
    return services.organization_create(actor=actor, **values)


# --- organisation_create ------------------------------------------------------------------


def test_organization_create_saves_an_employer(root):
    org = _employer(root)
    assert Organization.objects.get(pk=org.pk).industry_id == "65"


def test_organization_create_audits_actor_role_and_organisation(root):
    org = _employer(root)
    event = _last_event(org)
    assert (event.action, event.actor, event.role, event.organization) == (
        "organization.create",
        root,
        "platform_admin",
        org_of(root),
    )


def test_organization_create_audit_holds_the_after_snapshot(root):
    org = _employer(root)
    event = _last_event(org)
    assert (event.before, event.after["name"], event.after["credit_code"]) == (
        None,
        "中关村软件有限公司",
        org.credit_code,
    )


def test_organization_create_by_the_system_audits_without_actor(db):
    org = _employer(None)
    event = _last_event(org)
    assert (event.actor, event.role, event.organization) == (None, "", None)


def test_organization_create_normalises_a_full_width_credit_code(root):
    code = make_credit_code(902)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    org = _employer(root, credit_code=full_width)
    assert org.credit_code == code


def test_organization_create_sets_the_search_name(root):
    org = _employer(root, name="中關村軟件有限公司")
    assert org.name_search == "中关村软件有限公司"


def test_organization_create_rejects_a_wrong_check_character(root):
    code = make_credit_code(903)
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    with pytest.raises(DomainError) as err:
        _employer(root, credit_code=wrong)
    assert (err.value.code, err.value.field) == ("IDN-003", "credit_code")


def test_organization_create_rejects_a_forbidden_letter(root):
    code = make_credit_code(904)
    with pytest.raises(DomainError) as err:
        _employer(root, credit_code=code[:10] + "O" + code[11:])
    assert err.value.code == "IDN-002"


def test_organization_create_requires_a_credit_code_for_an_employer(root):
    with pytest.raises(DomainError) as err:
        _employer(root, credit_code=None)
    assert err.value.code == "ACC-002"


def test_organization_create_rejects_a_credit_code_in_use(root, alice):
    with pytest.raises(DomainError) as err:
        _employer(root, credit_code=org_of(alice).credit_code)
    assert err.value.code == "ACC-003"


def test_organization_create_rejects_an_unknown_division(root):
    with pytest.raises(DomainError) as err:
        _employer(root, division_code="119999")
    assert (err.value.code, err.value.field) == ("REF-001", "division_code")


def test_organization_create_rejects_a_retired_division_naming_its_successor(root):
    with pytest.raises(DomainError) as err:
        _employer(root, division_code="110103")  # 崇文区, merged into 东城区 110101 in 2010
    assert err.value.code == "REF-002"
    assert "110101" in str(err.value)


def test_organization_create_rejects_a_malformed_division(root):
    with pytest.raises(DomainError) as err:
        _employer(root, division_code="11010")
    assert err.value.code == "IDN-005"


def test_organization_create_accepts_a_full_width_division(root):
    assert _employer(root, division_code="１１０１０８").division.code == "110108"


def test_organization_create_rejects_an_unknown_industry(root):
    with pytest.raises(DomainError) as err:
        _employer(root, industry="99")
    assert err.value.code == "ACC-015"


def test_organization_create_rejects_an_unknown_field(root):
    with pytest.raises(DomainError) as err:
        _employer(root, colour="red")
    assert err.value.code == "ACC-017"


def test_organization_create_rejects_an_invalid_choice(root):
    with pytest.raises(DomainError) as err:
        _employer(root, ownership_type="pirate")
    assert (err.value.code, err.value.field) == ("ACC-016", "ownership_type")


def test_organization_create_rejects_a_blank_name(root):
    with pytest.raises(DomainError) as err:
        _employer(root, name="  ")
    assert err.value.code == "ACC-020"


def test_failed_create_writes_no_audit_event(root):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        _employer(root, credit_code=None)
    assert AuditEvent.objects.count() == before


def _union(actor, **kwargs):
    values = {"kind": "union", "name": "海淀区总工会", "division_code": "110108", "level": "county"}
    values.update(kwargs)
    return services.organization_create(actor=actor, **values)


def test_union_requires_a_level(root):
    with pytest.raises(DomainError) as err:
        _union(root, level="")
    assert err.value.code == "ACC-004"


def test_employer_has_no_level(root):
    with pytest.raises(DomainError) as err:
        _employer(root, level="county")
    assert err.value.code == "ACC-005"


def test_provincial_union_must_sit_in_a_province(root):
    with pytest.raises(DomainError) as err:
        _union(root, level="provincial")
    assert err.value.code == "ACC-006"


def test_prefecture_level_union_may_sit_in_a_municipality_district(root):
    # Municipalities have no prefecture-level division; their city step (ADR 0064) is a
    # prefecture-level union placed in one of the districts.
    union = _union(root, name="北京市区级工会联合会", level="prefecture")
    assert union.jurisdiction_prefix == "1101"


def test_prefecture_level_union_in_a_county_of_a_province_is_refused(root):
    with pytest.raises(DomainError) as err:
        _union(root, name="玄武区总工会", division_code="320102", level="prefecture")
    assert err.value.code == "ACC-006"


def test_union_with_a_higher_parent_of_its_kind_is_saved(root, una):
    union = _union(root, parent=org_of(una))
    assert union.parent == org_of(una)


def test_union_parent_must_be_a_union(root, bjhealth):
    with pytest.raises(DomainError) as err:
        _union(root, parent=org_of(bjhealth))
    assert err.value.code == "ACC-007"


def test_union_parent_must_be_at_a_higher_level(root):
    county = _union(root)
    with pytest.raises(DomainError) as err:
        _union(root, name="中关村街道总工会", parent=county)
    assert err.value.code == "ACC-008"


def test_grassroots_union_under_a_county_union_is_saved(root):
    county = _union(root)
    grassroots = _union(root, name="某公司工会", level="grassroots", parent=county)
    assert grassroots.parent == county


def test_union_must_lie_in_its_parent_jurisdiction(root, una):
    with pytest.raises(DomainError) as err:
        _union(root, division_code="310115", parent=org_of(una))
    assert err.value.code == "ACC-009"


# --- organisation_update ------------------------------------------------------------------


def test_organization_update_changes_and_audits_only_changed_fields(root, alice):
    org = org_of(alice)
    services.organization_update(actor=root, organization=org, headcount=1200)
    event = _last_event(org)
    assert (event.action, event.before, event.after) == (
        "organization.update",
        {"headcount": 500},
        {"headcount": 1200},
    )


def test_organization_update_refreshes_the_callers_instance(root, alice):
    org = org_of(alice)
    services.organization_update(actor=root, organization=org, name="海淀科技集团")
    assert org.name_search == "海淀科技集团"


def test_organization_update_without_change_writes_no_event(root, alice):
    org = org_of(alice)
    before = AuditEvent.objects.count()
    services.organization_update(actor=root, organization=org, headcount=org.headcount)
    assert AuditEvent.objects.count() == before


def test_organization_update_validates_the_credit_code(root, alice):
    with pytest.raises(DomainError) as err:
        services.organization_update(actor=root, organization=org_of(alice), credit_code="123")
    assert err.value.code == "IDN-001"


def test_organization_update_moves_to_an_active_division(root, alice):
    org = services.organization_update(
        actor=root, organization=org_of(alice), division_code="110105"
    )
    assert org.division.code == "110105"


# --- user_create --------------------------------------------------------------------------


def test_user_create_saves_a_person_who_can_sign_in(root):
    user = services.user_create(
        actor=root, username="wang", password="Tuoyu-2026-safe", display_name="王芳"
    )
    assert User.objects.get(pk=user.pk).check_password("Tuoyu-2026-safe")


def test_user_create_audits_without_the_password(root):
    user = services.user_create(actor=root, username="wang", password="Tuoyu-2026-safe")
    event = _last_event(user)
    assert (event.action, event.actor, event.after["username"], "password" in event.after) == (
        "user.create",
        root,
        "wang",
        False,
    )


def test_user_create_rejects_a_taken_username_in_any_case(root, alice):
    with pytest.raises(DomainError) as err:
        services.user_create(actor=root, username="ALICE", password="Tuoyu-2026-safe")
    assert err.value.code == "ACC-012"


def test_user_create_rejects_a_weak_password(root):
    with pytest.raises(DomainError) as err:
        services.user_create(actor=root, username="wang", password="123")
    assert (err.value.code, err.value.field) == ("ACC-013", "password")


def test_user_create_without_password_cannot_sign_in(root):
    user = services.user_create(actor=root, username="wang", password=None)
    assert not user.has_usable_password()


# --- membership_add / membership_deactivate -----------------------------------------------


@pytest.mark.parametrize(
    ("role", "kind", "fits"),
    [
        ("employer_admin", "employer", True),
        ("employer_admin", "provider", False),
        ("facility_operator", "provider", True),
        ("facility_operator", "employer", True),
        ("facility_operator", "health", False),
        ("health_officer", "health", True),
        ("health_officer", "union", False),
        ("union_officer", "union", True),
        ("union_officer", "employer", False),
        ("department_officer", "department", True),
        ("department_officer", "health", False),
        ("platform_admin", "platform", True),
        ("platform_admin", "health", False),
        ("expert", "expert_pool", True),
        ("inspector", "health", True),
        ("inspector", "employer", False),
    ],
)
def test_membership_role_must_fit_the_organisation_kind(root, role, kind, fits):
    org = OrganizationFactory(
        kind=kind, credit_code=None if kind != "employer" else make_credit_code(950)
    )
    user = UserFactory(username="newbie")
    if fits:
        assert services.membership_add(actor=root, user=user, organization=org, role=role).is_active
    else:
        with pytest.raises(DomainError) as err:
            services.membership_add(actor=root, user=user, organization=org, role=role)
        assert err.value.code == "ACC-010"


def test_membership_add_audits_and_grants_the_role(root, alice):
    user = UserFactory(username="wang")
    membership = services.membership_add(
        actor=root, user=user, organization=org_of(alice), role="employer_admin"
    )
    event = _last_event(membership)
    assert (event.action, event.role, event.after["role"]) == (
        "membership.add",
        "platform_admin",
        "employer_admin",
    )
    assert perms.has_role(user, "employer_admin")


def test_membership_add_rejects_a_duplicate(root, alice):
    with pytest.raises(DomainError) as err:
        services.membership_add(
            actor=root, user=alice, organization=org_of(alice), role="employer_admin"
        )
    assert err.value.code == "ACC-011"


def test_membership_add_rejects_an_inactive_organisation(root):
    org = OrganizationFactory(is_active=False)
    with pytest.raises(DomainError) as err:
        services.membership_add(
            actor=root, user=UserFactory(username="wang"), organization=org, role="employer_admin"
        )
    assert err.value.code == "ACC-014"


def test_membership_add_rejects_an_unknown_role(root, alice):
    with pytest.raises(DomainError) as err:
        services.membership_add(actor=root, user=alice, organization=org_of(alice), role="king")
    assert err.value.code == "ACC-016"


def test_membership_deactivate_withdraws_the_role(root, alice):
    membership = alice.memberships.get()
    assert perms.has_role(alice, "employer_admin")
    services.membership_deactivate(actor=root, membership=membership)
    assert not perms.has_role(alice, "employer_admin")


def test_membership_deactivate_keeps_the_row_and_audits(root, alice):
    membership = alice.memberships.get()
    services.membership_deactivate(actor=root, membership=membership)
    event = _last_event(membership)
    assert Membership.objects.filter(pk=membership.pk, is_active=False).exists()
    assert (event.action, event.before, event.after) == (
        "membership.deactivate",
        {"is_active": True},
        {"is_active": False},
    )


def test_membership_deactivate_twice_is_rejected(root, alice):
    membership = alice.memberships.get()
    services.membership_deactivate(actor=root, membership=membership)
    with pytest.raises(DomainError) as err:
        services.membership_deactivate(actor=root, membership=membership)
    assert err.value.code == "ACC-018"


def test_membership_add_reactivates_a_withdrawn_membership(root, alice):
    membership = alice.memberships.get()
    services.membership_deactivate(actor=root, membership=membership)
    again = services.membership_add(
        actor=root, user=alice, organization=org_of(alice), role="employer_admin"
    )
    assert (again.pk, again.is_active) == (membership.pk, True)


def test_membership_factory_membership_is_seen_by_predicates(db):
    org = OrganizationFactory(kind="provider", credit_code=None)
    membership = MembershipFactory(organization=org, role="facility_operator")
    assert perms.organizations_of(membership.user) == [org]


def test_user_create_can_open_the_admin_site_and_audits_it(root):
    user = services.user_create(
        actor=root, username="ops", password="Tuoyu-2026-safe", is_staff=True
    )
    assert (user.is_staff, _last_event(user).after["is_staff"]) == (True, True)


def test_user_create_rejects_an_unknown_field(root):
    with pytest.raises(DomainError) as err:
        services.user_create(actor=root, username="ops", password=None, groups=[])
    assert err.value.code == "ACC-017"


def test_organization_update_refuses_a_kind_that_breaks_a_membership(root, alice):
    with pytest.raises(DomainError) as err:
        services.organization_update(
            actor=root, organization=org_of(alice), kind="provider", credit_code=None
        )
    assert (err.value.code, err.value.field) == ("ACC-010", "kind")
