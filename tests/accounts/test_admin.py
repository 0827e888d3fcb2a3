"""The admin for people, organisations and memberships keeps the services' rules and audits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tests.factories import UserFactory, division, make_credit_code
from tuoyu.accounts.models import Membership, Organization
from tuoyu.audit.models import AuditEvent


@pytest.fixture
def staff(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_organization_changelist",
        "admin:accounts_membership_changelist",
        "admin:accounts_user_add",
        "admin:accounts_organization_add",
        "admin:accounts_membership_add",
    ],
)
def test_admin_pages_load(admin_client, url):
    assert admin_client.get(reverse(url)).status_code == 200


def test_user_change_page_shows_memberships_inline(admin_client, alice):
    html = admin_client.get(reverse("admin:accounts_user_change", args=[alice.pk])).content.decode()
    assert "海淀科技有限公司" in html


def test_organization_search_finds_a_full_width_credit_code(admin_client, alice):
    code = org_of(alice).credit_code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    response = admin_client.get(
        reverse("admin:accounts_organization_changelist"), {"q": full_width}
    )
    assert "海淀科技有限公司" in response.content.decode()


def test_organization_changelist_filters_by_kind(admin_client, alice, hana):
    response = admin_client.get(
        reverse("admin:accounts_organization_changelist"), {"kind__exact": "health"}
    )
    html = response.content.decode()
    assert "海淀区卫生健康委员会" in html
    assert "海淀科技有限公司" not in html


def _org_form(**overrides):
    data = {
        "kind": "employer",
        "name": "西城商贸有限公司",
        "credit_code": make_credit_code(777),
        "division": division("110108").pk,
        "level": "",
        "department_type": "",
        "industry": "65",
        "ownership_type": "private",
        "headcount": "300",
        "address": "",
        "is_active": "on",
        "source_system": "",
        "external_id": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_an_organisation_through_the_service(admin_client, staff):
    response = admin_client.post(reverse("admin:accounts_organization_add"), _org_form())
    assert response.status_code == 302
    org = Organization.objects.get(name="西城商贸有限公司")
    event = AuditEvent.objects.get(object_type="accounts.organization", object_id=str(org.pk))
    assert (event.action, event.actor) == ("organization.create", staff)


def test_admin_rejects_a_bad_credit_code(admin_client):
    code = make_credit_code(778)
    bad = code[:17] + ("1" if code[17] != "1" else "2")
    response = admin_client.post(
        reverse("admin:accounts_organization_add"), _org_form(credit_code=bad)
    )
    assert "校验码错误" in response.content.decode()
    assert not Organization.objects.filter(name="西城商贸有限公司").exists()


def test_admin_rejects_a_retired_division(admin_client):
    retired = division("110101").__class__.objects.filter(code="110103").first()
    response = admin_client.post(
        reverse("admin:accounts_organization_add"), _org_form(division=retired.pk)
    )
    assert "不存在或已不再使用" in response.content.decode()
    assert not Organization.objects.filter(name="西城商贸有限公司").exists()


def test_admin_update_is_audited(admin_client, alice):
    org = org_of(alice)
    data = _org_form(name=org.name, credit_code=org.credit_code, headcount="900")
    response = admin_client.post(reverse("admin:accounts_organization_change", args=[org.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_id=str(org.pk), action="organization.update").get()
    assert event.after == {"headcount": 900}


def test_admin_membership_with_wrong_kind_is_rejected(admin_client, alice, hana):
    response = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": alice.pk,
            "organization": org_of(hana).pk,
            "role": "employer_admin",
            "is_active": "on",
        },
    )
    assert "该角色不能设在此类机构中" in response.content.decode()
    assert not Membership.objects.filter(user=alice, organization=org_of(hana)).exists()


def test_admin_membership_add_is_audited(admin_client, hana, alice):
    user = UserFactory(username="wang")
    response = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": user.pk,
            "organization": org_of(hana).pk,
            "role": "health_officer",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert AuditEvent.objects.filter(
        object_type="accounts.membership", object_id=str(membership.pk), action="membership.add"
    ).exists()


def test_admin_withdraws_a_membership_through_the_service(admin_client, alice):
    membership = alice.memberships.get()
    response = admin_client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {"user": alice.pk, "organization": membership.organization_id, "role": "employer_admin"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="membership.deactivate").count() == 1


def test_admin_cannot_delete_a_membership(admin_client, alice):
    membership = alice.memberships.get()
    response = admin_client.get(reverse("admin:accounts_membership_delete", args=[membership.pk]))
    assert response.status_code == 403


def test_admin_user_creation_is_audited_without_password(admin_client, staff):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "liu",
            "password1": "Tuoyu-2026-safe",
            "password2": "Tuoyu-2026-safe",
            "usable_password": "true",
            **_no_inline_memberships(),
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.create")
    assert (event.actor, event.after["username"], "password" in event.after) == (
        staff,
        "liu",
        False,
    )


def _no_inline_memberships() -> dict:
    return {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


def _user_change_data(user, memberships: list[dict]) -> dict:
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "phone": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(memberships):
        for key, value in row.items():
            data[f"memberships-{i}-{key}"] = value
    return data


def test_admin_inline_membership_with_wrong_kind_is_rejected(admin_client, hana):
    user = UserFactory(username="wang")
    data = _user_change_data(
        user, [{"organization": org_of(hana).pk, "role": "union_officer", "is_active": "on"}]
    )
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert "该角色不能设在此类机构中" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_admin_inline_membership_is_added_through_the_service(admin_client, hana):
    user = UserFactory(username="wang")
    data = _user_change_data(
        user, [{"organization": org_of(hana).pk, "role": "health_officer", "is_active": "on"}]
    )
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert AuditEvent.objects.filter(action="membership.add", object_id=str(membership.pk)).exists()
