"""Permission predicates of the facilities app (权限判断).

Plain predicates ``can_<verb>_<entity>(user, obj) -> bool`` that look at roles from
memberships and at jurisdiction (division-code prefix), never at group names.

Who may do what (see also docs/adr/0010-facilities-filing-authority.md):

| action | who |
|---|---|
| view | members (employer admin, facility operator) of the operator or a sponsor; officials (health, union, department, platform admin) whose jurisdiction prefix covers the facility's county |
| edit, classes, staff, enrolment, documents | employer admin or facility operator of the operator or a sponsor, while the filing is draft, returned or filed |
| submit / submit change / cancel | employer admin or facility operator of the operator or a sponsor |
| file / return | a health officer of the **county-level** health commission of the facility's county (登记和备案办法 Art. 7); provincial and prefecture officers see the queue but do not decide |
| suspend / lift suspension / revoke | the same county-level health commission that files (ADR 0097) |
"""

from __future__ import annotations

from tuoyu.accounts.choices import AdminLevel, OrganizationKind, Role
from tuoyu.accounts.permissions import (
    EXPORT_FACILITIES,
    VIEW_FILING_QUEUE,
    VIEW_PERSONAL_DATA,
    has_capability,
    in_jurisdiction,
    jurisdiction_prefixes,
    organizations_of,
)
from tuoyu.facilities.workflow import FilingStatus

#: Roles that act for a facility's own organisations (举办/运营单位).
ORG_ROLES = (Role.EMPLOYER_ADMIN, Role.FACILITY_OPERATOR)
#: Roles that oversee facilities in a jurisdiction (辖区).
OFFICIAL_ROLES = (
    Role.HEALTH_OFFICER,
    Role.UNION_OFFICER,
    Role.DEPARTMENT_OFFICER,
    Role.INSPECTOR,
    Role.PLATFORM_ADMIN,
)
#: Filing statuses in which the facility's data may be edited. A suspended facility stays
#: editable so the operator can record the rectification (new staff, smaller classes);
#: the edits are flagged as unfiled once the suspension is lifted (ADR 0012, 0097).
EDITABLE_STATUSES = frozenset(
    {FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.FILED, FilingStatus.SUSPENDED}
)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def own_organization_ids(user) -> set[int]:
    """Ids of the organisations where ``user`` is an employer admin or facility operator."""
    if not _authenticated(user):
        return set()
    return {org.pk for org in organizations_of(user, roles=ORG_ROLES)}


def facility_organization_ids(facility) -> set[int]:
    """Ids of the operator and every sponsor of ``facility``."""
    ids = {facility.operator_id}
    ids.update(s.pk for s in facility.sponsors.all())
    return ids


def is_own_facility(user, facility) -> bool:
    """True when ``user`` acts for the facility's operator or one of its sponsors."""
    own = own_organization_ids(user)
    return bool(own) and bool(own & facility_organization_ids(facility))


def in_jurisdiction_any(user) -> bool:
    """True when ``user`` oversees some jurisdiction as an official."""
    return bool(jurisdiction_prefixes(user, roles=OFFICIAL_ROLES))


def can_create_facility(user) -> bool:
    """True when ``user`` is an employer admin or facility operator of some organisation."""
    return bool(own_organization_ids(user))


def can_view_facility(user, facility) -> bool:
    """True when ``user`` may see ``facility`` with its staff and enrolment figures."""
    if not _authenticated(user):
        return False
    if is_own_facility(user, facility):
        return True
    return in_jurisdiction(user, facility.division.code, roles=OFFICIAL_ROLES)


def can_view_personal_data(user, facility) -> bool:
    """True when ``user`` may read the facility's staff and enrolment records (personal data).

    The facility's own organisations, and officials whose role grants
    ``view_personal_data`` (health officers) within their jurisdiction; reads by officials
    are logged (see ``selectors.staff_for_user``). Union and department officers see
    counts only.
    """
    if is_own_facility(user, facility):
        return True
    return in_jurisdiction(user, facility.division.code, capability=VIEW_PERSONAL_DATA)


def can_edit_facility(user, facility) -> bool:
    """True when ``user`` may change the facility, its classes, staff, enrolment and documents.

    Only the facility's own organisations, and only while the filing is draft, returned or
    filed (a submitted filing is frozen until the health commission decides; a cancelled
    one is closed).
    """
    return facility.filing_status in EDITABLE_STATUSES and is_own_facility(user, facility)


def can_submit_filing(user, facility) -> bool:
    """True when ``user`` may submit the filing or a change filing (the status is checked by the workflow)."""
    return is_own_facility(user, facility)


def can_cancel_filing(user, facility) -> bool:
    """True when ``user`` may cancel the filing (注销备案, 登记和备案办法 Art. 10): the facility's own organisations."""
    return is_own_facility(user, facility)


def reviewing_organizations(user):
    """County-level health commissions where ``user`` is a health officer (list of Organization)."""
    if not _authenticated(user):
        return []
    return [
        org
        for org in organizations_of(user, roles=(Role.HEALTH_OFFICER,))
        if org.kind == OrganizationKind.HEALTH and org.level == AdminLevel.COUNTY
    ]


def can_review_filing(user, facility) -> bool:
    """True when ``user`` may file or return the facility's filing.

    Source: 托育机构登记和备案办法（试行）Art. 7 — the county-level health department
    handles filing. So only a health officer of the county-level health commission whose
    division is the facility's county decides; provincial and prefecture officers oversee
    (see ADR 0010).
    """
    code = facility.division.code
    return any(org.division.code[:6] == code[:6] for org in reviewing_organizations(user))


def can_sanction_filing(user, facility) -> bool:
    """True when ``user`` may suspend, lift the suspension of, or revoke the facility's filing.

    Suspension (暂停备案) and revocation (撤销备案) are administrative decisions of the
    authority that filed: the county-level health commission of the facility's county
    (托育机构登记和备案办法（试行）Art. 7; ADR 0010, 0097). Provincial and prefecture
    officers, other counties, unions, departments, the facility's own organisations and
    anonymous users are refused.
    """
    return can_review_filing(user, facility)


def can_see_queue(user) -> bool:
    """True when ``user`` has a filing queue (health officers of any level)."""
    return has_capability(user, VIEW_FILING_QUEUE)


def can_export_facilities(user) -> bool:
    """True when ``user`` may download the facilities they can see (CSV/XLSX)."""
    return has_capability(user, EXPORT_FACILITIES)


#: The workflow's capability names mapped to the predicate that grants each.
CAPABILITY_PREDICATES = {
    "submit_filing": can_submit_filing,
    "review_filing": can_review_filing,
    "cancel_filing": can_cancel_filing,
    "sanction_filing": can_sanction_filing,
}


def has_filing_capability(user, capability: str, facility) -> bool:
    """True when ``user`` holds the workflow ``capability`` for ``facility``."""
    predicate = CAPABILITY_PREDICATES.get(capability)
    return bool(predicate and predicate(user, facility))
