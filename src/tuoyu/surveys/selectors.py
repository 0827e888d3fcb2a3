"""Scoped reads of the surveys app (查询).

Managers (employer administrators with ``manage_surveys``) see their own employers'
surveys; officers with ``view_demand`` see surveys of employers in their jurisdiction,
for aggregate demand only (never single answers). Anonymous users reach a survey only
through a personal or open link token.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tuoyu.accounts.permissions import VIEW_DEMAND, jurisdiction_q
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.surveys import permissions as perms
from tuoyu.surveys.models import Survey, SurveyInvitation

_ACTION_PREDICATES = {
    "manage": perms.can_manage_survey,
    "answers": perms.can_view_survey_answers,
    "demand": perms.can_view_survey_demand,
}


def surveys_managed_by(user) -> QuerySet[Survey]:
    """Surveys of the employers ``user`` manages, with ``n_responses`` and ``n_invitations``."""
    ids = perms.managed_employer_ids(user)
    return (
        Survey.objects.filter(employer_id__in=ids)
        .select_related("employer")
        .annotate(
            n_responses=Count("responses", distinct=True),
            n_invitations=Count("invitations", distinct=True),
        )
        .order_by("-opens_on", "-id")
    )


def surveys_visible_to(user) -> QuerySet[Survey]:
    """Every survey ``user`` may see in some form: managed ones, plus (for officers with
    ``view_demand``) those of employers in their jurisdiction. Not for single answers."""
    q = Q(employer_id__in=perms.managed_employer_ids(user)) | jurisdiction_q(
        user, "employer__division__code", capability=VIEW_DEMAND
    )
    return Survey.objects.filter(q).select_related("employer__division")


def survey_get_for_user(user, pk, *, action: str = "manage") -> Survey:
    """Return survey ``pk`` if ``user`` may see it and perform ``action`` on it.

    ``action``: ``manage`` (edit, distribute, results, plans), ``answers`` (single
    answers) or ``demand`` (aggregates only). Raises DomainError GEN-001 when the survey
    does not exist or is not visible (its existence is never revealed), GEN-002 when it is
    visible but the action is not allowed (an officer asking for single answers).
    """
    try:
        survey = surveys_visible_to(user).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not _ACTION_PREDICATES[action](user, survey):
        raise DomainError(GEN_FORBIDDEN)
    return survey


def invitation_by_token(token: str) -> SurveyInvitation | None:
    """The personal link with ``token`` (survey, employer and stored answer loaded), or None."""
    if not token or len(token) > 43:
        return None
    inv = (
        SurveyInvitation.objects.select_related("survey__employer")
        .filter(token=token)
        .first()
    )
    return inv


def survey_by_open_token(token: str) -> Survey | None:
    """The survey whose open link has ``token`` (employer loaded), or None."""
    if not token or len(token) > 43:
        return None
    return Survey.objects.select_related("employer").filter(open_token=token).first()


def invitations_of(survey: Survey) -> QuerySet[SurveyInvitation]:
    """The personal links of ``survey`` in label order (caller has checked ``manage``)."""
    return survey.invitations.order_by("label", "id")


def invitations_answered_count(survey: Survey) -> int:
    """How many personal links of ``survey`` have been answered (a count only: which ones
    is never shown, caller has checked ``manage``)."""
    return survey.invitations.filter(answered_at__isnull=False).count()
