"""The audit trail page: officials see their jurisdiction's events, others nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tuoyu.audit.selectors import audit_events_visible_to
from tuoyu.audit.services import audit_record


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def events(alice, bob, hana, root):
    """One event by each of alice (海淀), bob (浦东), hana (海淀 health) and root (platform)."""
    made = {}
    for user, role in (
        (alice, "employer_admin"),
        (bob, "employer_admin"),
        (hana, "health_officer"),
        (root, "platform_admin"),
    ):
        org = org_of(user)
        made[user.username] = audit_record(
            actor=user, action=f"test.{user.username}", obj=org, organization=org, role=role
        )
    made["system"] = audit_record(actor=None, action="test.system", obj=org_of(alice))
    return made


def _visible(user) -> set[str]:
    return {e.action.removeprefix("test.") for e in audit_events_visible_to(user)}


def test_county_officer_sees_events_of_the_county(events, hana):
    assert _visible(hana) == {"alice", "hana"}


def test_other_province_officer_sees_only_its_own_county(events, pudong):
    assert _visible(pudong) == {"bob"}


def test_provincial_officer_sees_the_province_but_not_platform_work(events, una):
    assert _visible(una) == {"alice", "hana"}


def test_national_admin_sees_everything(events, root):
    assert _visible(root) == {"alice", "bob", "hana", "root", "system"}


def test_employer_admin_sees_nothing(events, alice):
    assert _visible(alice) == set()


def test_page_lists_visible_events(client, events, hana):
    client.force_login(hana)
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "test.alice" in html
    assert "test.bob" not in html


def test_page_filters_by_action(client, events, root):
    client.force_login(root)
    html = client.get(reverse("audit:event_list"), {"action": "test.bob"}).content.decode()
    assert "test.bob" in html
    assert "test.alice" not in html


def test_page_is_forbidden_without_view_audit(client, events, alice):
    client.force_login(alice)
    assert client.get(reverse("audit:event_list")).status_code == 403


def test_page_sends_anonymous_users_to_sign_in(client, db):
    response = client.get(reverse("audit:event_list"))
    assert response["Location"].startswith("/accounts/login/")


def test_page_query_count_does_not_grow_with_rows(
    client, events, root, django_assert_max_num_queries
):
    client.force_login(root)
    for i in range(30):
        audit_record(actor=root, action=f"bulk.{i}", obj=org_of(root), organization=org_of(root))
    with django_assert_max_num_queries(6):
        client.get(reverse("audit:event_list"))


@pytest.fixture
def staff_change(alice):
    """alice (海淀 employer) changed a staff member's name and health certificate date."""
    from tests.factories import FacilityFactory, StaffMemberFactory

    facility = FacilityFactory(operator=org_of(alice))
    member = StaffMemberFactory(facility=facility, name="李保育", role="carer")
    return audit_record(
        actor=alice,
        action="facility.staff_update",
        obj=member,
        organization=org_of(alice),
        role="employer_admin",
        before={"name": "李保育", "health_certificate_expiry": "2025-01-31", "role": "carer"},
        after={"name": "李保育", "health_certificate_expiry": "2026-01-31", "role": "cook"},
    )


@pytest.mark.parametrize("reader", ["una", "dora", "root"])
def test_readers_without_personal_data_see_personal_fields_hidden(client, staff_change, reader, request):
    client.force_login(request.getfixturevalue(reader))
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "facility.staff_update" in html
    assert "2026-01-31" not in html and "2025-01-31" not in html


def test_health_officer_of_the_jurisdiction_sees_personal_fields(client, staff_change, hana):
    client.force_login(hana)
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "2026-01-31" in html


def test_changes_are_shown_as_field_rows_not_raw_dicts(client, staff_change, hana):
    client.force_login(hana)
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "{&#x27;" not in html and "{'" not in html
    assert "健康证有效期至" in html


def test_unchanged_fields_of_an_update_are_not_listed(staff_change):
    from tuoyu.audit.presentation import event_changes

    rows = event_changes(staff_change, may_see_personal_data=True)
    assert [r.field for r in rows] == ["health_certificate_expiry", "role"]
