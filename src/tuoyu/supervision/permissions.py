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
from tuoyu.accounts.permissions import OFFICIAL_ROLES, has_role, jurisdiction_prefixes

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
