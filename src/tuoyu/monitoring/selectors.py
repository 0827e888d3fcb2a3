"""Scoped reads of the alerts (预警查询)."""

from __future__ import annotations

from django.db.models import QuerySet

from tuoyu.accounts.permissions import jurisdiction_q
from tuoyu.core.errors import GEN_NOT_FOUND, DomainError
from tuoyu.monitoring import permissions as perms
from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.rules import RULES_BY_CODE


def alerts_visible_to(user, *, rule: str = "", status: str = "") -> QuerySet[Alert]:
    """Alerts about facilities in ``user``'s jurisdiction as a health officer, newest first.

    ``rule``: a rule code to keep (unknown codes give nothing); ``status``: an
    :class:`~tuoyu.monitoring.choices.AlertStatus` value to keep (unknown values give
    nothing); '' keeps all. Anonymous users and users without the role get nothing.
    Facility and division are loaded with the alerts (one query for a page).
    """
    if not perms.can_view_alerts(user):
        return Alert.objects.none()
    qs = Alert.objects.filter(jurisdiction_q(user, "facility__division__code", roles=perms.ALERT_ROLE))
    if rule:
        qs = qs.filter(rule_code=rule) if rule in RULES_BY_CODE else qs.none()
    if status:
        qs = qs.filter(status=status) if status in AlertStatus.values else qs.none()
    return qs.select_related("facility__division", "acknowledged_by").order_by("-raised_on", "-id")


def alert_get_for_user(user, pk) -> Alert:
    """Alert ``pk`` if ``user`` may see it. Raises DomainError GEN-001 when it does not
    exist or lies outside the user's jurisdiction (an officer of another province gets
    "not found", not "forbidden")."""
    try:
        alert = Alert.objects.select_related("facility__division", "acknowledged_by").get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_alert(user, alert):
        raise DomainError(GEN_NOT_FOUND)
    return alert
