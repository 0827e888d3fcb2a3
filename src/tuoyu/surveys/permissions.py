"""Permission predicates of the surveys app (权限判断).

| action | who |
|---|---|
| manage (create, edit, open, close, links, results, single answers, plans) | employer administrator (``manage_surveys``) of the survey's employer |
| view demand (aggregates of ≥ ``SURVEY_MIN_CELL`` answers only) | health and union officers (``view_demand``) whose jurisdiction covers the employer's division |
| answer | anyone holding a personal or the open link token; no account |

Officers never see single answers; anonymous users reach a survey only through a token.
"""

from __future__ import annotations

from tuoyu.accounts.permissions import (
    MANAGE_SURVEYS,
    VIEW_DEMAND,
    in_jurisdiction,
    organizations_of,
)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def managed_employer_ids(user) -> set[int]:
    """Ids of the employers whose surveys ``user`` manages (``manage_surveys``); empty for anonymous."""
    if not _authenticated(user):
        return set()
    return {org.pk for org in organizations_of(user, capability=MANAGE_SURVEYS)}


def managed_employers(user) -> list:
    """The employers (Organization) whose surveys ``user`` manages, in name order."""
    if not _authenticated(user):
        return []
    return organizations_of(user, capability=MANAGE_SURVEYS)


def can_create_survey(user, employer=None) -> bool:
    """True when ``user`` may create a survey (for ``employer`` when given)."""
    ids = managed_employer_ids(user)
    if employer is None:
        return bool(ids)
    return getattr(employer, "pk", employer) in ids


def can_manage_survey(user, survey) -> bool:
    """True when ``user`` manages ``survey``: an employer admin of its employer."""
    return survey.employer_id in managed_employer_ids(user)


def can_view_survey_answers(user, survey) -> bool:
    """True when ``user`` may see single answers of ``survey`` (only its managers)."""
    return can_manage_survey(user, survey)


def can_view_survey_demand(user, survey) -> bool:
    """True when ``user`` may see aggregate demand of ``survey``: its managers, or an officer
    with ``view_demand`` whose jurisdiction covers the employer's division."""
    if can_manage_survey(user, survey):
        return True
    if not _authenticated(user):
        return False
    return in_jurisdiction(user, survey.employer.division.code, capability=VIEW_DEMAND)
