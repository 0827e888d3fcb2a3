"""Representative selection from the database (从数据库遴选拟命名单位).

Builds :mod:`tuoyu.designation.selection` candidates from a campaign's scored
applications and runs :func:`select_representatives` with the campaign's rules:

- K = the campaign's number to name (at most the number of candidates);
- the campaign's quotas (:class:`CampaignQuota`) as per-province caps;
- any further rules in ``Campaign.selection_rules`` (a rules-file mapping).

Candidate attributes (ADR 0068): id = application id; province = first 2 digits of the
employer's division code; score = the expert aggregate (``Application.score``); industry
= GB/T 4754 section of the employer's industry (an employer without an industry is
reported as a row error, never guessed); provision model of the
facility; the employer's ownership type; headcount = the employer's staff count
(0 when unknown); children served = children enrolled on the day of selection (records,
else the declared count, as in the eligibility check).

The result (chosen ids, explanation JSON) is stored as a :class:`Proposal`; the national
officer confirms it, which makes it ready for publicity.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tuoyu.audit.services import snapshot
from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.designation import permissions as perms
from tuoyu.designation.eligibility import enrolment_shares
from tuoyu.designation.errors import (
    DES_CANDIDATES_INVALID,
    DES_NO_SCORED,
    DES_SELECTION_INFEASIBLE,
    DES_SELECTION_STATE,
)
from tuoyu.designation.models import Application, Campaign, Proposal, ProposalState
from tuoyu.designation.selection import (
    Candidate,
    SelectionResult,
    candidates_parse,
    rules_from_mapping,
    select_representatives,
)
from tuoyu.designation.services import _audit, _clean_save, _user_or_none
from tuoyu.designation.workflow import ApplicationStatus


def _section(industry) -> str:
    """GB/T 4754 section letter of ``industry`` (walks up to the 门类), '' when none."""
    while industry is not None and not industry.code.isalpha():
        industry = industry.parent
    return industry.code if industry is not None else ""


def scored_applications(campaign: Campaign):
    """Applications of ``campaign`` with finished expert scoring (status ``scored``), id order."""
    return (Application.objects.filter(campaign=campaign, status=ApplicationStatus.SCORED,
                                       score__isnull=False)
            .select_related("employer__division", "employer__industry__parent__parent__parent",
                            "facility")
            .order_by("id"))


def campaign_candidates(campaign: Campaign, *, as_of=None) -> tuple[list[Candidate], list]:
    """``(candidates, row errors)`` built from the scored applications (see module docstring).

    ``as_of``: day on which children served are counted (default today). Row errors use
    the application id as the row number.
    """
    applications = list(scored_applications(campaign))
    shares = enrolment_shares(applications, as_of=as_of or local_today())
    rows = []
    for app in applications:
        employer = app.employer
        rows.append((app.pk, {
            "id": str(app.pk),
            "name": employer.name,
            "province": app.province_code,
            "score": str(app.score),
            "industry": _section(employer.industry),
            "provision_model": app.facility.provision_model if app.facility else "",
            "ownership": employer.ownership_type,
            "headcount": str(employer.headcount or 0),
            "children_served": str(shares[app.pk].total),
        }))
    return candidates_parse(rows)


def campaign_rules(campaign: Campaign):
    """The campaign's :class:`SelectionRules`: ``selection_rules`` plus its quotas as caps."""
    data = dict(campaign.selection_rules or {})
    quotas = dict(data.get("province_quotas") or {})
    for quota in campaign.quotas.all():
        quotas[quota.province_code] = quota.max_recommended
    if quotas:
        data["province_quotas"] = quotas
    return rules_from_mapping(data), data


@transaction.atomic
def proposal_create(*, actor, campaign: Campaign) -> tuple[Proposal, SelectionResult]:
    """Run representative selection over ``campaign``'s scored applications (遴选).

    Stores a :class:`Proposal` (state ``proposed``; chosen application ids, the explanation
    JSON of :meth:`SelectionResult.as_dict`, the rules used) and supersedes any earlier
    unconfirmed proposal. Only a national union officer. Raises GEN-002, DES-048 (nothing
    scored), DES-004 (a candidate lacks data; ``details.errors`` per application),
    DES-050 (a proposal is already confirmed), DES-002 (campaign rules invalid), DES-007.
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(GEN_FORBIDDEN)
    Campaign.objects.select_for_update().get(pk=campaign.pk)
    done = campaign.proposals.exclude(state__in=[ProposalState.PROPOSED,
                                                  ProposalState.SUPERSEDED]).first()
    if done is not None:
        raise DomainError(DES_SELECTION_STATE, params={"state": done.get_state_display()})
    candidates, errors = campaign_candidates(campaign)
    if errors:
        raise DomainError(DES_CANDIDATES_INVALID, params={"count": len(errors)},
                          details={"errors": [e.as_dict() for e in errors]})
    if not candidates:
        raise DomainError(DES_NO_SCORED)
    rules, data = campaign_rules(campaign)
    size = min(campaign.number_to_name, len(candidates))
    result = select_representatives(candidates, size=size, rules=rules)
    campaign.proposals.filter(state=ProposalState.PROPOSED).update(state=ProposalState.SUPERSEDED)
    proposal = Proposal(campaign=campaign, size=size, feasible=result.feasible,
                        chosen=[c.id for c in result.chosen], explanation=result.as_dict(),
                        rules=data, created_by=_user_or_none(actor))
    _clean_save(proposal)
    _audit(actor, "designation.proposal.create", proposal,
           after=snapshot(proposal, ["size", "feasible", "chosen", "state"]))
    return proposal, result


@transaction.atomic
def proposal_confirm(*, actor, proposal: Proposal) -> Proposal:
    """The national officer confirms a feasible proposed list (确认拟命名名单).

    Raises GEN-002, DES-049 (infeasible), DES-050 (not in state ``proposed``).
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(GEN_FORBIDDEN)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state != ProposalState.PROPOSED:
        raise DomainError(DES_SELECTION_STATE, params={"state": locked.get_state_display()})
    if not locked.feasible or not locked.chosen:
        raise DomainError(DES_SELECTION_INFEASIBLE)
    locked.state = ProposalState.CONFIRMED
    locked.confirmed_by = _user_or_none(actor)
    locked.confirmed_at = timezone.now()
    _clean_save(locked)
    _audit(actor, "designation.proposal.confirm", locked, after=snapshot(locked, ["state"]))
    proposal.state, proposal.confirmed_at = locked.state, locked.confirmed_at
    return locked


def proposal_current(campaign: Campaign) -> Proposal | None:
    """The campaign's latest proposal that is not superseded, or None."""
    return campaign.proposals.exclude(state=ProposalState.SUPERSEDED).order_by("-id").first()


def proposal_applications(proposal: Proposal) -> list[Application]:
    """The chosen applications of ``proposal`` in the chosen order (score descending)."""
    ids = [int(x) for x in proposal.chosen]
    by_id = Application.objects.select_related("employer__division", "facility").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
