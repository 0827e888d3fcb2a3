"""Who may do what with complaints (ADR 0080).

- An office's complaints are handled by the officers of that office kind whose
  jurisdiction (:func:`tuoyu.accounts.permissions.jurisdiction_q`) covers the complaint's
  county: health officers for ``health``, union officers for ``union``. A county officer
  sees their county; a provincial officer (the supervisor) sees the whole province.
- Complaints waiting for moderation are seen and released only by platform
  administrators (the moderators); they reach no office before that.
- The complainant acts with the tracking code, not with an account.
"""

from __future__ import annotations

from django.db.models import Q

from tuoyu.accounts.choices import Role
from tuoyu.accounts.permissions import NOTHING, has_role, in_jurisdiction, jurisdiction_q
from tuoyu.complaints.choices import Office
from tuoyu.complaints.workflow import HANDLE, MODERATE, Status
from tuoyu.supervision.permissions import can_create_ad_hoc_inspection

#: Office kind → the role that handles its complaints.
OFFICE_ROLES = {Office.HEALTH: Role.HEALTH_OFFICER, Office.UNION: Role.UNION_OFFICER}


def handling_q(user) -> Q:
    """Q on Complaint: the routed (not moderated) complaints ``user`` may see and handle."""
    q = NOTHING
    for office, role in OFFICE_ROLES.items():
        area = jurisdiction_q(user, "division__code", roles=role)
        if area is not NOTHING:
            q |= Q(office=office) & area
    if q is NOTHING:
        return q
    return q & ~Q(status=Status.MODERATION)


def can_moderate_complaints(user) -> bool:
    """True for platform administrators, who release or discard submissions in moderation."""
    return has_role(user, Role.PLATFORM_ADMIN)


def is_complaint_officer(user) -> bool:
    """True when ``user`` handles complaints somewhere (health or union officer)."""
    return any(has_role(user, role) for role in OFFICE_ROLES.values())


def can_handle_complaint(user, complaint) -> bool:
    """True when ``complaint`` is routed to an office ``user`` works for, in their jurisdiction."""
    if complaint.status == Status.MODERATION:
        return False
    role = OFFICE_ROLES.get(complaint.office)
    return bool(role) and in_jurisdiction(user, complaint.division.code, roles=role)


def can_view_complaint(user, complaint) -> bool:
    """Officers who may handle it, and moderators (who see every submission)."""
    return can_handle_complaint(user, complaint) or can_moderate_complaints(user)


def can_open_inspection(user, complaint) -> bool:
    """True when ``user`` may open an ad hoc inspection (转为检查) from ``complaint`` now (ADR 0085).

    A facility complaint routed to the health commission, not rejected, not yet linked to
    an inspection, which ``user`` may handle and whose facility ``user`` may inspect ad
    hoc (:func:`tuoyu.supervision.permissions.can_create_ad_hoc_inspection`).
    """
    return (
        complaint.facility_id is not None
        and complaint.office == Office.HEALTH
        and not complaint.inspection_id
        and complaint.status != Status.REJECTED
        and can_handle_complaint(user, complaint)
        and can_create_ad_hoc_inspection(user, complaint.facility)
    )


def has_transition_capability(user, complaint, capability: str) -> bool:
    """True when ``user`` holds ``capability`` of the workflow table for ``complaint``.

    The complainant capability is never held by a user: it is granted by the tracking code.
    """
    if capability == MODERATE:
        return can_moderate_complaints(user)
    if capability == HANDLE:
        return can_handle_complaint(user, complaint)
    return False  # COMPLAINANT and anything unknown
