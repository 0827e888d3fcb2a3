"""Naming (命名) of a campaign's units after publicity, certificates and subsidy allocations.

After the publicity period has ended (after 23:59:59 local of its end date) and no
objection is open, the national union officer names every unit still on the list: each
gets a :class:`Designation` (certificate number ``AXTY-<year>-<nnnn>``, unique, numbered in
list order), its application moves to ``named`` (workflow action ``name``), and a
:class:`SubsidyAllocation` records, in whole fen, the national union's subsidy (the
campaign's amount per unit) and the least provincial match (amount × matching ratio,
half-up to the fen). Source: policy-facts §5 (全总 ¥100,000 per unit in 2022, provincial
unions match at ≥ 1:1).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from tuoyu.audit.services import snapshot
from tuoyu.core.dates import is_overdue, local_date, local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.core.money import from_fen, to_fen, to_money
from tuoyu.designation import permissions as perms
from tuoyu.designation.errors import (
    DES_ALREADY_NAMED,
    DES_OPEN_OBJECTIONS,
    DES_PUBLICITY_RUNNING,
)
from tuoyu.designation.models import (
    Campaign,
    Designation,
    Objection,
    ObjectionStatus,
    ProposalState,
    SubsidyAllocation,
)
from tuoyu.designation.publicity import publicity_entries, publicity_require
from tuoyu.designation.services import _audit, _clean_save, _transition, _user_or_none


def certificate_number(year: int, sequence: int) -> str:
    """Certificate number (证书编号) of the ``sequence``-th unit named in ``year``: ``AXTY-2025-0007``."""
    return f"AXTY-{year}-{sequence:04d}"


@transaction.atomic
def campaign_name_units(*, actor, campaign: Campaign, now=None) -> list[Designation]:
    """Name the units on ``campaign``'s published list (命名) and allocate their subsidies.

    Preconditions: a publicity exists (DES-053) and has ended (DES-056), no objection is
    open (DES-055), the campaign is not yet named (DES-057). Only a national union officer
    (GEN-002). Returns the designations in list order. Certificate numbers continue after
    the highest number already used for the campaign's year. ``now``: the aware datetime
    of naming (default the current time; the demo data set back-dates with it); its local
    date is the ``named_on`` date.
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(GEN_FORBIDDEN)
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    publicity = publicity_require(locked)
    if Designation.objects.filter(campaign=locked).exists():
        raise DomainError(DES_ALREADY_NAMED)
    if not is_overdue(publicity.ends_on, now=now):
        raise DomainError(DES_PUBLICITY_RUNNING, params={"end": publicity.ends_on.isoformat()})
    open_count = Objection.objects.filter(entry__publicity=publicity,
                                          status=ObjectionStatus.OPEN).count()
    if open_count:
        raise DomainError(DES_OPEN_OBJECTIONS, params={"count": open_count})
    used = Designation.objects.filter(year=locked.year).count()
    national = to_money(locked.subsidy_per_unit)
    match = locked.provincial_match_per_unit
    today = local_date(now) if now is not None else local_today()
    named: list[Designation] = []
    for entry in publicity_entries(publicity):
        app = entry.application
        _transition(actor=actor, application=app, action="name", today=today)
        used += 1
        designation = Designation(campaign=locked, application=app, employer=app.employer,
                                  year=locked.year,
                                  certificate_number=certificate_number(locked.year, used),
                                  named_on=today, named_by=_user_or_none(actor))
        _clean_save(designation)
        _clean_save(SubsidyAllocation(designation=designation,
                                      province_code=app.province_code,
                                      national_fen=to_fen(national),
                                      provincial_match_fen=to_fen(match)))
        named.append(designation)
    publicity.proposal.state = ProposalState.NAMED
    _clean_save(publicity.proposal)
    _audit(actor, "designation.campaign.name", locked,
           after={"designations": [d.certificate_number for d in named]})
    for d in named:
        _audit(actor, "designation.designation.create", d, after=snapshot(d))
    return named


def allocation_totals(campaign: Campaign) -> dict[str, object]:
    """Totals of ``campaign``'s allocations: ``units``, ``national`` and ``provincial_match`` (¥,
    Decimal, summed exactly in fen)."""
    sums = SubsidyAllocation.objects.filter(designation__campaign=campaign).aggregate(
        national=Sum("national_fen"), match=Sum("provincial_match_fen"))
    units = Designation.objects.filter(campaign=campaign).count()
    return {"units": units, "national": from_fen(sums["national"] or 0),
            "provincial_match": from_fen(sums["match"] or 0)}


def designations_of_year(year: int):
    """Designations of ``year`` (the public yearly list), by certificate number, each with its
    withdrawal (撤销) if any, so the list shows withdrawn units without more queries."""
    return (Designation.objects.filter(year=year)
            .select_related("employer__division", "campaign", "withdrawal")
            .order_by("certificate_number"))


def designation_years() -> list[int]:
    """Years with at least one designation, latest first."""
    return list(Designation.objects.order_by("-year").values_list("year", flat=True).distinct())
