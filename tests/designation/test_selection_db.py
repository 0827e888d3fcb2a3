"""Representative selection from the database: candidates from scored applications and the
campaign's rules (quotas as per-province caps, number to name as K)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.designation.award_support import scored_application
from tuoyu.core.errors import DomainError
from tuoyu.designation import proposals, services
from tuoyu.designation.models import Proposal

pytestmark = pytest.mark.django_db


def test_candidates_take_province_industry_model_ownership_size_and_children(campaign):
    app = scored_application(campaign, code="440106", score="88.5", model="medical",
                             industry="65", headcount=1200, ownership="state")
    candidates, errors = proposals.campaign_candidates(campaign)
    assert errors == []
    (c,) = candidates
    assert (c.id, c.province, c.score, c.industry, c.provision_model, c.ownership, c.headcount,
            c.children_served) == (str(app.pk), "44", Decimal("88.5"), "I", "medical", "state",
                                   1200, 40)


def test_only_scored_applications_are_candidates(campaign, application):
    scored_application(campaign, code="310115", score="70")
    candidates, _errors = proposals.campaign_candidates(campaign)
    assert len(candidates) == 1


def test_campaign_quota_caps_a_province_in_the_selection(campaign, acftu):
    campaign = services.campaign_update(actor=acftu, campaign=campaign, number_to_name=3)
    services.campaign_quota_set(actor=acftu, campaign=campaign, province_code="44",
                                max_recommended=1)
    top = [scored_application(campaign, code="440106", score=s) for s in ("99", "98", "97")]
    other = [scored_application(campaign, code="310115", score=s) for s in ("60", "50")]
    proposal, result = proposals.proposal_create(actor=acftu, campaign=campaign)
    assert proposal.size == 3
    assert proposal.chosen == [str(top[0].pk), str(other[0].pk), str(other[1].pk)]
    caps = [b for b in proposal.explanation["binding"] if b["group"] == "province_cap"]
    assert caps and caps[0]["binding"]


def test_selection_covers_every_province_at_the_least_score_cost(campaign, acftu):
    campaign = services.campaign_update(actor=acftu, campaign=campaign, number_to_name=2)
    a = scored_application(campaign, code="440106", score="95")
    scored_application(campaign, code="440106", score="94")
    c = scored_application(campaign, code="310115", score="60")
    scored_application(campaign, code="310115", score="50")
    proposal, result = proposals.proposal_create(actor=acftu, campaign=campaign)
    assert proposal.chosen == [str(a.pk), str(c.pk)]
    assert proposal.explanation["score_given_up"] == "34.00"


def test_campaign_extra_rules_are_applied(campaign, acftu):
    campaign = services.campaign_update(actor=acftu, campaign=campaign, number_to_name=2,
                             selection_rules={"min_one_per_province": False,
                                              "coverage": {"provision_model": {"values": ["medical"]}}})
    a = scored_application(campaign, code="440106", score="95")
    scored_application(campaign, code="440106", score="94")
    m = scored_application(campaign, code="440106", score="10", model="medical")
    proposal, _result = proposals.proposal_create(actor=acftu, campaign=campaign)
    assert proposal.chosen == [str(a.pk), str(m.pk)]


def test_k_is_capped_by_the_number_of_candidates(campaign, acftu):
    scored_application(campaign, code="440106", score="95")
    proposal, _result = proposals.proposal_create(actor=acftu, campaign=campaign)
    assert proposal.size == 1


def test_selection_without_scored_applications_is_refused(campaign, acftu):
    with pytest.raises(DomainError) as exc:
        proposals.proposal_create(actor=acftu, campaign=campaign)
    assert exc.value.code == "DES-048"


def test_a_new_run_supersedes_the_unconfirmed_proposal(campaign, acftu):
    scored_application(campaign, code="440106", score="95")
    first, _ = proposals.proposal_create(actor=acftu, campaign=campaign)
    proposals.proposal_create(actor=acftu, campaign=campaign)
    first.refresh_from_db()
    assert first.state == "superseded"


def test_infeasible_proposal_cannot_be_confirmed(campaign, acftu):
    campaign = services.campaign_update(actor=acftu, campaign=campaign, number_to_name=1, selection_rules={
        "coverage": {"provision_model": {"values": ["medical"]}}})
    scored_application(campaign, code="440106", score="95")
    proposal, result = proposals.proposal_create(actor=acftu, campaign=campaign)
    assert not result.feasible
    assert proposal.explanation["relaxations"]
    with pytest.raises(DomainError) as exc:
        proposals.proposal_confirm(actor=acftu, proposal=proposal)
    assert exc.value.code == "DES-049"


def test_national_officer_confirms_the_proposed_list(campaign, acftu):
    scored_application(campaign, code="440106", score="95")
    proposal, _ = proposals.proposal_create(actor=acftu, campaign=campaign)
    proposals.proposal_confirm(actor=acftu, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == "confirmed"


def test_provincial_union_cannot_run_the_selection(campaign, una):
    with pytest.raises(DomainError) as exc:
        proposals.proposal_create(actor=una, campaign=campaign)
    assert exc.value.code == "GEN-002"
