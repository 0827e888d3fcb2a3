"""Permission predicates of the alerts (预警权限).

| action | who |
|---|---|
| see the alerts page | a health officer (卫健部门, county, city or province) |
| see an alert | a health officer whose jurisdiction (division-code prefix) covers its facility |
| acknowledge an alert | the same |

The rule explanations page is open to every signed-in user. The scoping is the
supervision app's: the health officer role over the facility's division code.
"""

from __future__ import annotations

from tuoyu.accounts.permissions import has_role, in_jurisdiction
from tuoyu.supervision import permissions as supervision_perms

#: The role that sees and acknowledges alerts: the supervision app's planning role.
ALERT_ROLE = supervision_perms.PLANNING_ROLE


def can_view_alerts(user) -> bool:
    """True when ``user`` holds the health officer role anywhere (the page then shows
    only the alerts in their jurisdiction)."""
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, ALERT_ROLE)


def can_view_alert(user, alert) -> bool:
    """True when ``user`` is a health officer whose jurisdiction covers ``alert.facility``."""
    return in_jurisdiction(user, alert.facility.division.code, roles=ALERT_ROLE)


def can_acknowledge_alert(user, alert) -> bool:
    """True when ``user`` may acknowledge ``alert``: as for :func:`can_view_alert`."""
    return can_view_alert(user, alert)


def commission_over(user, facility):
    """The narrowest health commission of ``user`` covering ``facility`` (for the audit
    trail), or None."""
    return supervision_perms.organization_over(user, facility)
