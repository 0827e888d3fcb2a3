"""Permission predicates of the double-random inspections (权限判断).

| action | who |
|---|---|
| create a plan, freeze its lists, draw, re-draw | a health officer (卫健部门) of the plan's organisation, whose jurisdiction covers the plan's scope |
| view a plan, its lists and draws | officials whose jurisdiction covers or lies within the plan's scope |

The accounts capability table has no "plan inspections" capability yet; the health
officer role of the plan's organisation stands for it (ADR 0073).
"""

from __future__ import annotations

from tuoyu.accounts.choices import OrganizationKind, Role
from tuoyu.accounts.permissions import (
    OFFICIAL_ROLES,
    RECORD_INSPECTION,
    has_role,
    in_jurisdiction,
    jurisdiction_prefixes,
)
from tuoyu.facilities.permissions import is_own_facility, own_organization_ids

#: The role that plans and draws (卫健部门 officers at county, city or province level).
PLANNING_ROLE = Role.HEALTH_OFFICER


def can_create_inspection_plan(user, organization, scope_prefix: str) -> bool:
    """True when ``user`` is a health officer of health commission ``organization`` and
    ``scope_prefix`` (a division-code prefix) lies within that commission's jurisdiction."""
    if organization is None or organization.kind != OrganizationKind.HEALTH:
        return False
    if not has_role(user, PLANNING_ROLE, organization=organization):
        return False
    return str(scope_prefix or "").startswith(organization.jurisdiction_prefix)


def can_manage_inspection_plan(user, plan) -> bool:
    """True when ``user`` may freeze the lists of ``plan``, draw and re-draw."""
    return can_create_inspection_plan(user, plan.organization, plan.scope_prefix)


def can_view_inspection_plan(user, plan) -> bool:
    """True when an official's jurisdiction covers the plan's scope or lies within it."""
    scope = plan.scope_prefix
    return any(
        scope.startswith(p) or p.startswith(scope)
        for p in jurisdiction_prefixes(user, roles=OFFICIAL_ROLES)
    )


# --- inspections and rectification ---------------------------------------------------------
#
# | action | who |
# |---|---|
# | create inspections from a draw | as for drawing (:func:`can_manage_inspection_plan`) |
# | create an ad hoc inspection | a health officer whose jurisdiction covers the facility |
# | record checklist items, close | an assigned inspector (``record_inspection``) whose jurisdiction covers the facility |
# | view an inspection and its order | the above, health officers over the facility, the facility's own organisations |
# | respond to an order | the facility's own organisations (``edit_facility``) |
# | verify or reopen an order | an assigned inspector of the inspection |


def can_create_ad_hoc_inspection(user, facility) -> bool:
    """True when ``user`` is a health officer whose jurisdiction covers ``facility``."""
    return in_jurisdiction(user, facility.division.code, roles=PLANNING_ROLE)


def is_eligible_inspector(user, facility) -> bool:
    """True when ``user`` holds ``record_inspection`` with ``facility`` in that role's jurisdiction."""
    return in_jurisdiction(user, facility.division.code, capability=RECORD_INSPECTION)


def can_record_inspection(user, inspection) -> bool:
    """True when ``user`` is an assigned inspector of ``inspection`` and still eligible
    (inspector role with the facility in their jurisdiction). Open/closed is checked by the service."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not inspection.inspectors.filter(pk=user.pk).exists():
        return False
    return is_eligible_inspector(user, inspection.facility)


def can_view_inspection(user, inspection) -> bool:
    """True for the assigned inspectors, health officers over the facility and the
    facility's own organisations."""
    facility = inspection.facility
    return (
        can_record_inspection(user, inspection)
        or in_jurisdiction(user, facility.division.code, roles=PLANNING_ROLE)
        or is_own_facility(user, facility)
    )


def can_respond_rectification(user, order) -> bool:
    """True when ``user`` acts for the facility's operator or a sponsor (``edit_facility``)."""
    return is_own_facility(user, order.facility)


def can_verify_rectification(user, order) -> bool:
    """True when ``user`` may verify or reopen ``order``: an assigned inspector of its inspection."""
    return can_record_inspection(user, order.inspection)


#: Workflow capability → predicate over (user, order), for the rectification table.
RECTIFICATION_PREDICATES = {
    "edit_facility": can_respond_rectification,
    "record_inspection": can_verify_rectification,
}


def organization_over(user, facility):
    """The health commission of ``user`` whose jurisdiction covers ``facility`` (the
    narrowest one), or None."""
    from tuoyu.accounts.permissions import organizations_of

    code = facility.division.code
    fitting = [
        o for o in organizations_of(user, roles=PLANNING_ROLE)
        if code.startswith(o.jurisdiction_prefix)
    ]
    return max(fitting, key=lambda o: len(o.jurisdiction_prefix), default=None)


# --- annual reports (年报) ---------------------------------------------------------------
#
# | action | who |
# |---|---|
# | create, edit, submit | the facility's own organisations (employer administrator, facility operator) |
# | return for correction, accept | a health officer whose jurisdiction covers the facility (county, city or province) |
# | view | both of the above |
# | list of reports, late and missing | a health officer, for the facilities in their jurisdiction |


def can_edit_annual_report(user, report) -> bool:
    """True when ``user`` acts for the facility's operator or a sponsor (the facilities
    app's ``is_own_facility``). Whether the status allows edits is checked by the service."""
    return is_own_facility(user, report.facility)


def can_create_annual_report(user, facility) -> bool:
    """True when ``user`` acts for ``facility``'s operator or a sponsor."""
    return is_own_facility(user, facility)


def can_review_annual_report(user, report) -> bool:
    """True when ``user`` is a health officer whose jurisdiction covers the report's facility."""
    return in_jurisdiction(user, report.facility.division.code, roles=PLANNING_ROLE)


def can_view_annual_report(user, report) -> bool:
    """True for the facility's own organisations and the health officers over it."""
    return can_edit_annual_report(user, report) or can_review_annual_report(user, report)


def can_see_annual_report_overview(user) -> bool:
    """True when ``user`` is a health officer somewhere (the list of reports, late and missing)."""
    return bool(jurisdiction_prefixes(user, roles=PLANNING_ROLE))


def can_list_annual_reports(user) -> bool:
    """True when ``user`` may open the annual-report list (page and API): a health officer
    somewhere, or a user acting for an employer or provider (their own facilities). Anyone
    else (union and other department officers, inspectors, platform administrators) is
    refused; which reports a permitted user sees is the selectors' scoping."""
    return can_see_annual_report_overview(user) or bool(own_organization_ids(user))


#: Workflow capability → predicate over (user, report), for the annual-report table.
ANNUAL_REPORT_PREDICATES = {
    "edit_facility": can_edit_annual_report,
    "review_annual_report": can_review_annual_report,
}
