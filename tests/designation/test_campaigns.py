"""Campaign configuration (评选活动设置) by the national union."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.designation.conftest import make_campaign
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.designation import services
from tuoyu.designation.models import Campaign, CampaignQuota

pytestmark = pytest.mark.django_db


def test_national_union_officer_creates_campaign_with_2024_defaults(acftu):
    campaign = make_campaign(acftu)
    assert campaign.min_own_staff_share_pct == Decimal("60")
    assert campaign.publicity_working_days == 5
    assert campaign.matching_ratio == Decimal("1.00")
    assert "park" in campaign.eligible_ownership_types
    assert "social" not in campaign.eligible_ownership_types


def test_campaign_creation_is_audited(acftu):
    campaign = make_campaign(acftu)
    assert AuditEvent.objects.filter(action="designation.campaign.create",
                                     object_id=str(campaign.pk)).count() == 1


def test_provincial_union_officer_may_not_create_campaign(una):
    with pytest.raises(DomainError) as exc:
        make_campaign(una)
    assert exc.value.code == "DES-020"


def test_employer_admin_may_not_create_campaign(alice):
    with pytest.raises(DomainError) as exc:
        make_campaign(alice)
    assert exc.value.code == "DES-020"


def test_matching_ratio_below_one_to_one_is_refused(acftu):
    with pytest.raises(DomainError) as exc:
        make_campaign(acftu, matching_ratio="0.5")
    assert exc.value.code == "GEN-004"
    assert exc.value.field == "matching_ratio"


def test_window_ending_before_it_opens_is_refused(acftu):
    with pytest.raises(DomainError) as exc:
        make_campaign(acftu, opens_on=dt.date(2026, 8, 1), closes_on=dt.date(2026, 7, 1))
    assert exc.value.code == "GEN-004"
    assert not Campaign.objects.exists()


def test_price_cap_with_bad_prefix_is_refused(acftu):
    with pytest.raises(DomainError) as exc:
        make_campaign(acftu, price_caps={"110": "2000"})
    assert exc.value.code == "DES-031"


def test_price_caps_are_stored_as_money_strings(acftu):
    campaign = make_campaign(acftu, price_caps={"11": 2000, "1101": "1800.5"})
    assert campaign.price_caps == {"11": "2000.00", "1101": "1800.50"}


def test_provincial_match_per_unit_is_subsidy_times_ratio(acftu):
    campaign = make_campaign(acftu, subsidy_per_unit="100000", matching_ratio="1.5")
    assert campaign.provincial_match_per_unit == Decimal("150000.00")


def test_settings_change_the_default_own_staff_threshold(acftu, settings):
    settings.DESIGNATION_MIN_OWN_STAFF_SHARE_PCT = "70"
    assert make_campaign(acftu).min_own_staff_share_pct == Decimal("70")


def test_quota_set_twice_keeps_one_row_per_province(acftu, campaign):
    services.campaign_quota_set(actor=acftu, campaign=campaign, province_code="11",
                                max_recommended=3)
    services.campaign_quota_set(actor=acftu, campaign=campaign, province_code="110108",
                                max_recommended=5)
    assert list(CampaignQuota.objects.values_list("province_code", "max_recommended")) == [
        ("11", 5)]


def test_quota_by_provincial_officer_is_refused(una, campaign):
    with pytest.raises(DomainError) as exc:
        services.campaign_quota_set(actor=una, campaign=campaign, province_code="11",
                                    max_recommended=3)
    assert exc.value.code == "DES-020"


def test_campaign_update_changes_publicity_length(acftu, campaign):
    services.campaign_update(actor=acftu, campaign=campaign, publicity_working_days=7)
    campaign.refresh_from_db()
    assert campaign.publicity_working_days == 7


def test_window_in_the_wrong_order_is_reported_on_the_closing_date(acftu):
    today = dt.date(2028, 3, 1)
    with pytest.raises(DomainError) as refused:
        make_campaign(acftu, opens_on=today, closes_on=today - dt.timedelta(days=60))
    assert (refused.value.code, refused.value.field) == ("GEN-004", "closes_on")
    assert not Campaign.objects.exists()
