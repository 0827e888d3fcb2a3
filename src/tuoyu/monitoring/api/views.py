"""Read-only API of the alerts (动态监管预警) for integrators: ``monitoring/alerts/``.

Scoped as the alert pages (ADR 0096): only health officers read alerts
(:func:`~tuoyu.monitoring.permissions.can_view_alerts`; every other signed-in user 403,
anonymous 401), the alerts of facilities in their jurisdiction
(:func:`~tuoyu.monitoring.selectors.alerts_visible_to`); an alert outside it is a 404
(GEN-001, :func:`~tuoyu.monitoring.selectors.alert_get_for_user`). Unlike the page, the
list has no default status filter: it lists every status unless ``status`` is given.
Acknowledging stays on the page.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from tuoyu.monitoring import permissions as perms
from tuoyu.monitoring import selectors
from tuoyu.monitoring.api.serializers import AlertOutputSerializer
from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.rules import RULES
from tuoyu.supervision.api.views import facility_filter


class CanViewAlerts(BasePermission):
    """Health officers (卫健部门), the alert pages' readers."""

    def has_permission(self, request, view) -> bool:
        """:func:`~tuoyu.monitoring.permissions.can_view_alerts`."""
        return perms.can_view_alerts(request.user)


class AlertFilterSet(django_filters.FilterSet):
    """``rule`` (a rule code, ``MON-001`` …), ``status`` (open, acknowledged, resolved),
    ``facility`` (id)."""

    rule = django_filters.ChoiceFilter(field_name="rule_code",
                                       choices=[(r.code, r.code) for r in RULES])
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices)
    facility = facility_filter()

    class Meta:
        model = Alert
        fields = ("rule", "status", "facility")


@extend_schema_view(
    list=extend_schema(
        summary="Alerts (预警)",
        description=(
            "Alerts about the facilities in the health officer's jurisdiction, newest first, "
            "every status unless filtered. Other roles: 403."
        ),
    ),
    retrieve=extend_schema(
        summary="One alert (预警)",
        description="One alert; outside the officer's jurisdiction: 404.",
    ),
)
class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts (预警), read-only, scoped as the alert pages."""

    permission_classes = [IsAuthenticated, CanViewAlerts]
    serializer_class = AlertOutputSerializer
    filterset_class = AlertFilterSet
    queryset = Alert.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        """:func:`~tuoyu.monitoring.selectors.alerts_visible_to` the user (no filter)."""
        return selectors.alerts_visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        """One alert; GEN-001 (404) outside the jurisdiction."""
        alert = selectors.alert_get_for_user(request.user, kwargs["pk"])
        return Response(AlertOutputSerializer(alert).data)
