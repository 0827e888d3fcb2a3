"""The site navigation's links to the later modules, by the roles a user holds.

``{% module_nav user as mods %}`` gives a dict of booleans — ``designation``,
``expert``, ``supervision_plans``, ``inspections``, ``rectifications``, ``annual_reports``,
``complaint_queue``, ``moderation``, ``alerts`` — so ``base.html`` shows only the links a user can
use (each page still checks its own permission). Roles come from
:func:`tuoyu.accounts.permissions.roles_of`, or the app's own predicate where it has one.
"""

from __future__ import annotations

from django import template

from tuoyu.accounts.choices import Role
from tuoyu.accounts.permissions import roles_of
from tuoyu.complaints.permissions import can_moderate_complaints, is_complaint_officer
from tuoyu.monitoring.permissions import can_view_alerts

register = template.Library()


@register.simple_tag
def module_nav(user) -> dict[str, bool]:
    """Which module links ``user`` sees: a dict of link name → bool (all False when anonymous)."""
    roles = roles_of(user) if getattr(user, "is_authenticated", False) else frozenset()
    return {
        "designation": bool(
            roles & {Role.UNION_OFFICER, Role.HEALTH_OFFICER, Role.EMPLOYER_ADMIN}
        ),
        "expert": Role.EXPERT in roles,
        "supervision_plans": Role.HEALTH_OFFICER in roles,
        "inspections": bool(roles & {Role.HEALTH_OFFICER, Role.INSPECTOR}),
        "rectifications": bool(
            roles & {Role.HEALTH_OFFICER, Role.INSPECTOR, Role.EMPLOYER_ADMIN,
                     Role.FACILITY_OPERATOR}
        ),
        "annual_reports": bool(
            roles & {Role.HEALTH_OFFICER, Role.EMPLOYER_ADMIN, Role.FACILITY_OPERATOR}
        ),
        # The complaints app's own predicates: a link shows exactly when its page lets in.
        "complaint_queue": is_complaint_officer(user),
        "moderation": can_moderate_complaints(user),
        "alerts": can_view_alerts(user),
    }
