"""Permission predicates of designation campaigns and applications.

=================================  ===========================================================
action                             who
=================================  ===========================================================
configure a campaign               union officer of a *national* union (``level == national``)
see campaigns                      any signed-in member of an organisation
apply, edit, submit (draft)        employer administrator of the applying employer
see an application                 that employer's administrators; union and health officers
                                   whose jurisdiction contains the employer's division
recommend / return / reject        union officer whose union's level matches the chain step
                                   (grassroots and county → step 1, prefecture → 2,
                                   provincial → 3, national → national review) and whose
                                   jurisdiction contains the employer's division
record the health opinion          health officer of a *provincial* health commission whose
                                   province contains the employer's division
=================================  ===========================================================

Jurisdiction is the division-code prefix of the organisation
(:func:`tuoyu.accounts.permissions.jurisdiction_prefixes`).
"""

from __future__ import annotations

from django.db.models import Q

from tuoyu.accounts.choices import AdminLevel, OrganizationKind, Role
from tuoyu.accounts.permissions import NOTHING, jurisdiction_q, memberships_of, organizations_of
from tuoyu.designation.choices import LEVEL_STEP
from tuoyu.designation.workflow import APPLY, STATUS_STEP, ApplicationStatus


def _union_memberships(user):
    return [m for m in memberships_of(user)
            if m.role == Role.UNION_OFFICER and m.organization.kind == OrganizationKind.UNION]


def _provincial_health_memberships(user):
    return [m for m in memberships_of(user)
            if m.role == Role.HEALTH_OFFICER and m.organization.kind == OrganizationKind.HEALTH
            and m.organization.level == AdminLevel.PROVINCIAL]


def is_national_union_officer(user) -> bool:
    """True when ``user`` is a union officer of a national-level union (全国总工会)."""
    return any(m.organization.level == AdminLevel.NATIONAL for m in _union_memberships(user))


def can_manage_campaign(user) -> bool:
    """True when ``user`` may create and configure campaigns (national union officers)."""
    return is_national_union_officer(user)


def can_view_campaigns(user) -> bool:
    """True when ``user`` holds any active membership (campaigns are not secret)."""
    return bool(memberships_of(user))


def employer_ids(user) -> set[int]:
    """Employers ``user`` administers (the ones they may apply for)."""
    return {o.pk for o in organizations_of(user, Role.EMPLOYER_ADMIN)
            if o.kind == OrganizationKind.EMPLOYER}


def can_apply(user, employer) -> bool:
    """True when ``user`` administers ``employer`` (an employer organisation)."""
    return getattr(employer, "pk", employer) in employer_ids(user)


def steps_for(user, division_code: str) -> set[str]:
    """Chain steps (``ChainStep`` values) ``user`` may act at for an employer in ``division_code``."""
    return {
        LEVEL_STEP[m.organization.level] for m in _union_memberships(user)
        if m.organization.level in LEVEL_STEP
        and division_code.startswith(m.organization.jurisdiction_prefix)
    }


def can_act_on_application(user, application, capability: str) -> bool:
    """True when ``user`` holds workflow ``capability`` (``apply`` or a chain step) on ``application``."""
    if capability == APPLY:
        return can_apply(user, application.employer_id)
    return capability in steps_for(user, application.employer.division.code)


def can_decide_application(user, application) -> bool:
    """True when ``user`` may recommend, return or reject ``application`` in its current status."""
    step = STATUS_STEP.get(application.status)
    return step is not None and can_act_on_application(user, application, step)


def can_record_health_opinion(user, application) -> bool:
    """True when ``user`` is a provincial health officer of the employer's province."""
    code = application.employer.division.code
    return any(code.startswith(m.organization.jurisdiction_prefix)
               for m in _provincial_health_memberships(user))


def applications_q(user) -> Q:
    """Q of the applications ``user`` may see (own employers, or officials in jurisdiction)."""
    q = jurisdiction_q(user, "employer__division__code",
                       roles=[Role.UNION_OFFICER, Role.HEALTH_OFFICER])
    own = employer_ids(user)
    if own:
        q = q | Q(employer_id__in=own)
    return q


def queue_q(user) -> Q:
    """Q of the applications waiting for ``user``'s decision (their step, their jurisdiction)."""
    q = NOTHING
    for m in _union_memberships(user):
        step = LEVEL_STEP.get(m.organization.level)
        statuses = [s for s, st in STATUS_STEP.items() if st == step]
        if statuses:
            q = q | Q(status__in=statuses,
                      employer__division__code__startswith=m.organization.jurisdiction_prefix)
    for m in _provincial_health_memberships(user):
        q = q | Q(status=ApplicationStatus.CITY_RECOMMENDED, health_opinion="",
                  employer__division__code__startswith=m.organization.jurisdiction_prefix)
    return q


def can_review_designations(user) -> bool:
    """True when ``user`` may see re-assessment results and withdraw designations (撤销):
    the national union officers who name units (ADR 0091)."""
    return can_manage_campaign(user)


def can_file_designation_report(user, designation) -> bool:
    """True when ``user`` administers the named employer of ``designation`` (年度报告)."""
    return can_apply(user, designation.employer_id)
