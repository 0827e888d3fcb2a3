"""Naming (命名): designations, certificate numbers, subsidy allocations; preconditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.designation.award_support import published
from tuoyu.core.dates import local_today
from tuoyu.core.errors import DomainError
from tuoyu.designation import naming, services
from tuoyu.designation import publicity as pub
from tuoyu.designation.models import Application, Designation, SubsidyAllocation

pytestmark = pytest.mark.django_db


def _after(publicity):
    """Travel to the working day after the publicity's end."""
    return time_machine.travel(publicity.ends_on + dt.timedelta(days=1, hours=12), tick=False)


def test_naming_creates_designations_with_unique_certificate_numbers(campaign, acftu):
    publicity, apps = published(campaign, acftu, scores=("95", "90", "85"))
    with _after(publicity):
        named = naming.campaign_name_units(actor=acftu, campaign=campaign)
    assert [d.certificate_number for d in named] == [
        f"AXTY-{campaign.year}-0001", f"AXTY-{campaign.year}-0002", f"AXTY-{campaign.year}-0003"]
    assert {d.application_id for d in named} == {a.pk for a in apps}
    assert set(Application.objects.values_list("status", flat=True)) == {"named"}


def test_allocations_are_the_subsidy_and_the_provincial_match_to_the_fen(campaign, acftu):
    campaign = services.campaign_update(actor=acftu, campaign=campaign,
                                        subsidy_per_unit="33333.33", matching_ratio="1.50")
    publicity, _apps = published(campaign, acftu, scores=("95", "90"))
    with _after(publicity):
        naming.campaign_name_units(actor=acftu, campaign=campaign)
    allocation = SubsidyAllocation.objects.first()
    assert (allocation.national_fen, allocation.provincial_match_fen) == (3333333, 5000000)
    # 33333.33 × 1.5 = 49999.995 → half-up 50000.00
    totals = naming.allocation_totals(campaign)
    assert (totals["national"], totals["provincial_match"]) == (Decimal("66666.66"),
                                                                Decimal("100000.00"))


def test_open_objection_blocks_naming(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="异议")
    with _after(publicity), pytest.raises(DomainError) as exc:
        naming.campaign_name_units(actor=acftu, campaign=campaign)
    assert (exc.value.code, exc.value.params["count"]) == ("DES-055", 1)
    assert not Designation.objects.exists()


def test_unit_removed_by_an_upheld_objection_is_not_named(campaign, acftu):
    publicity, apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="异议")
    pub.objection_resolve(actor=acftu, objection=objection, upheld=True, reason="属实")
    with _after(publicity):
        named = naming.campaign_name_units(actor=acftu, campaign=campaign)
    assert entry.application_id not in {d.application_id for d in named}
    assert len(named) == 1


def test_naming_during_publicity_is_refused(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    assert publicity.starts_on == local_today()
    with pytest.raises(DomainError) as exc:
        naming.campaign_name_units(actor=acftu, campaign=campaign)
    assert exc.value.code == "DES-056"


def test_naming_twice_is_refused(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    with _after(publicity):
        naming.campaign_name_units(actor=acftu, campaign=campaign)
        with pytest.raises(DomainError) as exc:
            naming.campaign_name_units(actor=acftu, campaign=campaign)
    assert exc.value.code == "DES-057"


def test_certificate_numbers_continue_within_a_year(acftu):
    from tests.designation.conftest import make_campaign

    first = make_campaign(acftu, name="第一批")
    second = make_campaign(acftu, name="第二批")
    p1, _ = published(first, acftu, scores=("95",))
    p2, _ = published(second, acftu, scores=("80",))
    with _after(p2):
        naming.campaign_name_units(actor=acftu, campaign=first)
        (d,) = naming.campaign_name_units(actor=acftu, campaign=second)
    assert d.certificate_number.endswith("-0002")


def test_provincial_union_cannot_name(campaign, acftu, una):
    publicity, _apps = published(campaign, acftu)
    with _after(publicity), pytest.raises(DomainError) as exc:
        naming.campaign_name_units(actor=una, campaign=campaign)
    assert exc.value.code == "GEN-002"


# --------------------------------------------------------------------------- pages


def test_anonymous_visitor_sees_the_yearly_list_and_certificate(client, campaign, acftu):
    publicity, apps = published(campaign, acftu, scores=("95",))
    with _after(publicity):
        (d,) = naming.campaign_name_units(actor=acftu, campaign=campaign)
    body = client.get(f"/designation/named/{campaign.year}/").content.decode()
    assert apps[0].employer.name in body and d.certificate_number in body
    cert = client.get(f"/designation/certificates/{d.certificate_number}/").content.decode()
    assert "designation/certificate.css" in cert and "<script" not in cert


def test_anonymous_visitor_cannot_see_scores_or_selection(client, campaign, acftu):
    publicity, apps = published(campaign, acftu, scores=("95",))
    assert client.get(f"/designation/applications/{apps[0].pk}/scores/").status_code == 302
    assert client.get(f"/designation/campaigns/{campaign.pk}/selection/").status_code == 302


def test_provincial_officer_cannot_open_the_selection_page(client, campaign, una):
    client.force_login(una)
    assert client.get(f"/designation/campaigns/{campaign.pk}/selection/").status_code == 403


def test_national_officer_sees_the_explanation_on_the_selection_page(client, campaign, acftu):
    publicity, apps = published(campaign, acftu, scores=("95", "90"))
    client.force_login(acftu)
    body = client.get(f"/designation/campaigns/{campaign.pk}/selection/").content.decode()
    assert apps[1].employer.name in body and publicity.ends_on.isoformat() in body


def test_portal_section_links_the_running_publicity_and_the_yearly_list(campaign, acftu, rf):
    from django.template import engines

    section = engines["django"].from_string('{% include "designation/_portal_named.html" %}')
    publicity, _apps = published(campaign, acftu, scores=("95",))
    during = section.render({}, rf.get("/"))
    assert f"/designation/publicity/{campaign.pk}/" in during
    with _after(publicity):
        naming.campaign_name_units(actor=acftu, campaign=campaign)
        after = section.render({}, rf.get("/"))
    assert f"/designation/named/{campaign.year}/" in after
    assert f"/designation/publicity/{campaign.pk}/" not in after


def test_portal_home_links_the_yearly_list(client, campaign, acftu):
    publicity, _apps = published(campaign, acftu, scores=("95",))
    with _after(publicity):
        naming.campaign_name_units(actor=acftu, campaign=campaign)
        body = client.get("/").content.decode()
    assert f"/designation/named/{campaign.year}/" in body
