"""Scoped reads: who sees which facilities, the filing queue, the public register."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import org_of
from tests.facilities.conftest import make_facility
from tests.factories import OrganizationFactory, division
from tuoyu.core.errors import DomainError
from tuoyu.facilities import selectors, services
from tuoyu.facilities.models import Facility
from tuoyu.facilities.workflow import FilingStatus

pytestmark = pytest.mark.django_db

S = FilingStatus


@pytest.fixture
def three(alice, bob):
    """Facilities in 海淀 (alice), 朝阳 (an employer there) and 浦东 (bob)."""
    haidian = make_facility(alice, name="海淀中心")
    chaoyang_org = OrganizationFactory(name="朝阳单位", division=division("110105"))
    chaoyang = make_facility(alice, name="朝阳中心", operator=chaoyang_org,
                             division=division("110105"), sponsors=[chaoyang_org])
    pudong = make_facility(bob, name="浦东中心")
    return haidian, chaoyang, pudong


def _names(qs):
    return sorted(f.name for f in qs)


def test_employer_sees_facilities_it_operates(alice, three):
    assert _names(selectors.facilities_visible_to(alice)) == ["海淀中心"]


def test_employer_sees_facilities_it_sponsors(bob, three):
    _, chaoyang, _ = three
    chaoyang.sponsors.add(org_of(bob))
    assert _names(selectors.facilities_visible_to(bob)) == ["朝阳中心", "浦东中心"]


def test_sponsored_facility_is_listed_once(alice, three):
    haidian, _, _ = three
    haidian.sponsors.add(org_of(alice))
    assert selectors.facilities_visible_to(alice).count() == 1


def test_county_officer_sees_own_county_only(hana, three):
    assert _names(selectors.facilities_visible_to(hana)) == ["海淀中心"]


def test_provincial_officer_sees_the_province(bjhealth, three):
    assert _names(selectors.facilities_visible_to(bjhealth)) == ["朝阳中心", "海淀中心"]


def test_union_officer_sees_the_province(una, three):
    assert _names(selectors.facilities_visible_to(una)) == ["朝阳中心", "海淀中心"]


def test_platform_admin_sees_everything(root, three):
    assert selectors.facilities_visible_to(root).count() == 3


def test_anonymous_sees_nothing(three):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.facilities_visible_to(AnonymousUser()).count() == 0


def test_get_for_user_hides_existence_from_other_county(chen, three):
    haidian, _, _ = three
    with pytest.raises(DomainError) as exc:
        selectors.facility_get_for_user(chen, haidian.pk)
    assert exc.value.code == "GEN-001"


def test_get_for_user_unknown_pk_is_not_found(alice, three):
    with pytest.raises(DomainError) as exc:
        selectors.facility_get_for_user(alice, 999999)
    assert exc.value.code == "GEN-001"


def test_get_for_user_visible_but_not_allowed_is_forbidden(hana, three):
    haidian, _, _ = three
    with pytest.raises(DomainError) as exc:
        selectors.facility_get_for_user(hana, haidian.pk, action="edit")
    assert exc.value.code == "GEN-002"


def test_queue_holds_submitted_and_change_submitted_in_county(hana, three, alice):
    haidian, chaoyang, pudong = three
    extra = make_facility(alice, name="海淀变更")
    for f, status in ((haidian, S.SUBMITTED), (chaoyang, S.SUBMITTED), (pudong, S.SUBMITTED),
                      (extra, S.CHANGE_SUBMITTED)):
        Facility.objects.filter(pk=f.pk).update(filing_status=status)
    assert _names(selectors.filing_queue_for(hana)) == ["海淀中心", "海淀变更"]


def test_provincial_queue_covers_the_province(bjhealth, three):
    for f in three:
        Facility.objects.filter(pk=f.pk).update(filing_status=S.SUBMITTED)
    assert _names(selectors.filing_queue_for(bjhealth)) == ["朝阳中心", "海淀中心"]


def test_queue_is_empty_for_a_union_officer(una, three):
    for f in three:
        Facility.objects.filter(pk=f.pk).update(filing_status=S.SUBMITTED)
    assert selectors.filing_queue_for(una).count() == 0


def test_queue_is_oldest_first_with_deadline_and_provisional_flag(hana, alice, monkeypatch):
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: [])
    late = make_facility(alice, name="A 晚提交")
    early = make_facility(alice, name="Z 早提交")
    with time_machine.travel(dt.datetime(2026, 12, 28, 2, 0, tzinfo=dt.UTC)):
        services.filing_submit(actor=alice, facility=early)
    with time_machine.travel(dt.datetime(2026, 12, 29, 2, 0, tzinfo=dt.UTC)):
        services.filing_submit(actor=alice, facility=late)
    rows = [(f.name, f.deadline_provisional) for f in selectors.filing_queue_for(hana)]
    assert rows == [("Z 早提交", True), ("A 晚提交", True)]
    # Mon 28 Dec 2026 + 5 working days, 1 Jan 2027 counted as a weekday (year unknown).
    assert selectors.filing_queue_for(hana)[0].deadline == dt.date(2027, 1, 4)


def test_facility_search_key_normalises_width_script_and_case():
    assert selectors.facility_search_key("  愛心 ＴＵＯＹＵ　托育 ") == "爱心 tuoyu 托育"
