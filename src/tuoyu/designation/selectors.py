"""Reads of designation campaigns and applications, scoped to the user asking."""

from __future__ import annotations

from django.db.models import QuerySet

from tuoyu.core.errors import GEN_NOT_FOUND, DomainError
from tuoyu.designation import permissions as perms
from tuoyu.designation.models import Application, Campaign


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns ``user`` may see: all of them for any member of an organisation, else none."""
    if not perms.can_view_campaigns(user):
        return Campaign.objects.none()
    return Campaign.objects.all()


def campaign_get_for_user(user, pk) -> Campaign:
    """Campaign ``pk`` if ``user`` may see it. Raises GEN-001 otherwise."""
    campaign = campaigns_visible_to(user).prefetch_related("quotas").filter(pk=pk).first()
    if campaign is None:
        raise DomainError(GEN_NOT_FOUND)
    return campaign


def applications_visible_to(user) -> QuerySet[Application]:
    """Applications ``user`` may see (own employer's; officials: in their jurisdiction)."""
    return (Application.objects.filter(perms.applications_q(user))
            .select_related("campaign", "employer__division", "facility"))


def application_get_for_user(user, pk) -> Application:
    """Application ``pk`` if ``user`` may see it. Raises GEN-001 (never revealing existence)."""
    application = applications_visible_to(user).filter(pk=pk).first()
    if application is None:
        raise DomainError(GEN_NOT_FOUND)
    return application


def application_queue_for(user) -> QuerySet[Application]:
    """Applications waiting for ``user``'s decision, oldest deadline first.

    Union officers: those at the step their union's level takes, in their jurisdiction.
    Provincial health officers: city-recommended applications of their province without
    a health opinion yet.
    """
    return (Application.objects.filter(perms.queue_q(user))
            .select_related("campaign", "employer__division", "facility")
            .order_by("stage_deadline", "id"))


def application_of_employer(campaign, employer) -> Application | None:
    """The employer's application to ``campaign``, or None."""
    return Application.objects.filter(campaign=campaign, employer=employer).first()
