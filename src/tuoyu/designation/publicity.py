"""Publicity (公示) of a campaign's confirmed list and objections (异议) to it.

The confirmed proposal is published for the campaign's publicity length in working days
(:func:`tuoyu.reference.calendar.add_working_days`, make-up workdays counted, the day of
publication not counted); the end date is inclusive to 23:59:59 local time. Anyone,
signed in or not, may object to a listed unit, named or anonymously, until then
(DES-052 afterwards). Objections go to the national reviewers (national union officers),
who resolve them with a reason: upheld removes the unit from the list, dismissed keeps it.
Open objections block naming (:mod:`tuoyu.designation.naming`).

Source: procedure 申报 → 推荐 → 审核 → 评审 → 公示 (policy-facts §5); publicity length
UNVERIFIED, a campaign setting (``DESIGNATION_PUBLICITY_WORKING_DAYS``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuoyu.audit.services import snapshot
from tuoyu.core.dates import is_overdue, local_today
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_INVALID, GEN_NOT_FOUND, DomainError
from tuoyu.designation import permissions as perms
from tuoyu.designation.errors import (
    DES_NO_PUBLICITY,
    DES_NOT_ON_LIST,
    DES_OBJECTION_RESOLVED,
    DES_PUBLICITY_ENDED,
    DES_PUBLICITY_EXISTS,
    DES_REASON_REQUIRED,
    DES_SELECTION_STATE,
)
from tuoyu.designation.models import (
    Campaign,
    Objection,
    ObjectionStatus,
    Proposal,
    ProposalState,
    Publicity,
    PublicityEntry,
)
from tuoyu.designation.proposals import proposal_applications
from tuoyu.designation.services import REASON_MAX_LENGTH, _audit, _clean_save, _user_or_none
from tuoyu.reference.calendar import add_working_days

#: Longest objection text accepted, characters.
OBJECTION_MAX_LENGTH = 5000
#: Default objection throttle: at most this many objections per client IP per window.
DEFAULT_OBJECTION_RATE = (5, 3600)


def objection_rate() -> tuple[int, int] | None:
    """(objections, seconds) allowed per client IP (setting ``DESIGNATION_OBJECTION_RATE``,
    default 5 per hour; None or ``"off"`` turns the limit off)."""
    rate = getattr(settings, "DESIGNATION_OBJECTION_RATE", DEFAULT_OBJECTION_RATE)
    if isinstance(rate, str):
        if rate.strip().lower() in ("", "off", "0"):
            return None
        requests, _slash, seconds = rate.partition("/")
        return int(requests), int(seconds or 3600)
    return tuple(rate) if rate else None


@transaction.atomic
def publicity_publish(*, actor, proposal: Proposal, today=None) -> Publicity:
    """Publish a confirmed proposal for publicity (发布公示), starting today (local date).

    ``ends_on`` = today + the campaign's ``publicity_working_days`` working days (today not
    counted), inclusive to 23:59:59. ``today``: the local day of publication (default
    today; the demo data set back-dates with it). Only a national union officer. Raises GEN-002,
    DES-050 (proposal not confirmed), DES-051 (already published).
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(GEN_FORBIDDEN)
    locked = Proposal.objects.select_for_update().select_related("campaign").get(pk=proposal.pk)
    if Publicity.objects.filter(campaign_id=locked.campaign_id).exists():
        raise DomainError(DES_PUBLICITY_EXISTS)
    if locked.state != ProposalState.CONFIRMED:
        raise DomainError(DES_SELECTION_STATE, params={"state": locked.get_state_display()})
    today = today or local_today()
    end = add_working_days(today, locked.campaign.publicity_working_days)
    publicity = Publicity(campaign=locked.campaign, proposal=locked, starts_on=today,
                          ends_on=end.date, ends_provisional=end.provisional,
                          published_by=_user_or_none(actor))
    _clean_save(publicity)
    for position, app in enumerate(proposal_applications(locked)):
        _clean_save(PublicityEntry(publicity=publicity, application=app, position=position))
    locked.state = ProposalState.PUBLISHED
    _clean_save(locked)
    _audit(actor, "designation.publicity.publish", publicity, after=snapshot(publicity))
    return publicity


def publicity_of(campaign: Campaign) -> Publicity | None:
    """The campaign's publicity, or None."""
    return Publicity.objects.filter(campaign=campaign).first()


def publicity_entries(publicity: Publicity, *, include_removed: bool = False):
    """Entries of the published list in list order (removed ones only when asked)."""
    qs = publicity.entries.select_related("application__employer__division",
                                          "application__facility")
    return qs if include_removed else qs.filter(removed_at__isnull=True)


def publicities_public() -> QuerySet[Publicity]:
    """Every publicity (公示) as the public sees it, newest first: campaign joined and the
    units still on the list prefetched in list order as ``listed_entries`` (the rows the
    publicity page shows, :func:`publicity_entries`). Public data: no scoping."""
    listed = (PublicityEntry.objects.filter(removed_at__isnull=True)
              .select_related("application__employer__division", "application__facility")
              .order_by("position", "id"))
    return (Publicity.objects.select_related("campaign")
            .prefetch_related(Prefetch("entries", queryset=listed, to_attr="listed_entries"))
            .order_by("-starts_on", "-id"))


def publicity_public_get(pk) -> Publicity:
    """Publicity ``pk`` as :func:`publicities_public` gives it. Raises GEN-001 when none."""
    publicity = publicities_public().filter(pk=pk).first()
    if publicity is None:
        raise DomainError(GEN_NOT_FOUND)
    return publicity


@transaction.atomic
def objection_submit(*, publicity: Publicity, entry_id: int, text: str, name: str = "",
                     contact: str = "", actor=None, now=None) -> Objection:
    """Record an objection (提出异议) to a listed unit, named or anonymous (``name`` blank).

    Accepted until 23:59:59 local time of ``publicity.ends_on``. ``text`` 1–5,000
    characters, stored as typed (pages escape it). ``actor`` may be None (anonymous
    visitor). Raises DES-052 (publicity ended), DES-058 (unit not on the list), GEN-004
    (empty or too long text).
    """
    locked = Publicity.objects.select_for_update().get(pk=publicity.pk)
    if is_overdue(locked.ends_on, now=now):
        raise DomainError(DES_PUBLICITY_ENDED, params={"end": locked.ends_on.isoformat()})
    entry = locked.entries.filter(pk=entry_id, removed_at__isnull=True).first()
    if entry is None:
        raise DomainError(DES_NOT_ON_LIST, field="entry")
    text = (text or "").strip()
    if not text or len(text) > OBJECTION_MAX_LENGTH:
        raise DomainError(GEN_INVALID, field="text", params={
            "detail": _("异议内容须为 1 至 %(n)d 个字符。") % {"n": OBJECTION_MAX_LENGTH}})
    objection = Objection(entry=entry, text=text, name=(name or "").strip()[:50],
                          contact=(contact or "").strip()[:100])
    _clean_save(objection)
    _audit(actor, "designation.objection.submit", objection,
           after={"entry": entry.pk, "named": bool(objection.name)})
    return objection


@transaction.atomic
def objection_resolve(*, actor, objection: Objection, upheld: bool, reason: str) -> Objection:
    """Resolve an objection (异议处理) with a reason: upheld removes the unit from the list.

    Only a national union officer (national reviewer). Raises GEN-002, DES-027 (no
    reason), DES-054 (already resolved).
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(GEN_FORBIDDEN)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(DES_REASON_REQUIRED, field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(GEN_INVALID, field="reason", params={
            "detail": _("理由不能超过 %(n)d 个字符。") % {"n": REASON_MAX_LENGTH}})
    locked = Objection.objects.select_for_update().select_related("entry").get(pk=objection.pk)
    if locked.status != ObjectionStatus.OPEN:
        raise DomainError(DES_OBJECTION_RESOLVED)
    locked.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    locked.resolution = reason
    locked.resolved_by = _user_or_none(actor)
    locked.resolved_at = timezone.now()
    _clean_save(locked)
    if upheld and locked.entry.removed_at is None:
        entry = locked.entry
        entry.removed_at = locked.resolved_at
        entry.removed_reason = reason
        _clean_save(entry)
    _audit(actor, "designation.objection.resolve", locked,
           after=snapshot(locked, ["status", "resolution"]), note=reason)
    objection.status = locked.status
    return locked


def objections_of(campaign: Campaign):
    """All objections of ``campaign``'s publicity (for the national reviewers), oldest first."""
    return (Objection.objects.filter(entry__publicity__campaign=campaign)
            .select_related("entry__application__employer").order_by("created_at", "id"))


def objections_visible_to(user) -> QuerySet[Objection]:
    """Objections ``user`` may read, oldest first: every campaign's for the national
    reviewers (national union officers, who see them on each campaign's objections page),
    none for anyone else. Rows carry their entry, publicity, campaign and employer."""
    if not perms.can_manage_campaign(user):
        return Objection.objects.none()
    return (Objection.objects.select_related("entry__publicity__campaign",
                                             "entry__application__employer")
            .order_by("created_at", "id"))


def publicity_require(campaign: Campaign) -> Publicity:
    """The campaign's publicity; raises DES-053 when it has none."""
    publicity = publicity_of(campaign)
    if publicity is None:
        raise DomainError(DES_NO_PUBLICITY)
    return publicity

