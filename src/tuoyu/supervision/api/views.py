"""Read-only API of supervision (监管数据) for integrators: annual reports (年报), inspections
(检查) with their results, and rectification orders (整改通知) with the compliance ladder.

Scoping is the pages' (ADR 0096):

- ``supervision/annual-reports/``: the annual-report list page's rule
  (:func:`~tuoyu.supervision.permissions.can_list_annual_reports`: health officers and the
  facilities' own employers and providers; anyone else 403), rows from
  :func:`~tuoyu.supervision.annual_report_selectors.annual_reports_visible_to`, one report
  from :func:`~tuoyu.supervision.annual_report_selectors.annual_report_get_for_user`.
- ``supervision/inspections/`` and ``supervision/rectifications/``: the inspection and
  rectification pages' rule — any signed-in user, rows from
  :func:`~tuoyu.supervision.selectors.inspections_visible_to` /
  :func:`~tuoyu.supervision.selectors.rectifications_visible_to` (assigned inspectors,
  health officers over the facility, the facility's own organisations; an empty list for
  everyone else), one from ``inspection_get_for_user`` / ``rectification_get_for_user``.

A record outside the user's scope is a 404 (GEN-001), as on the pages. Thin: one
selector, one serializer; filters are django-filter FilterSets.
"""

from __future__ import annotations

import django_filters
from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from tuoyu.core.dates import local_today
from tuoyu.reference.api.views import DIVISION_PREFIX
from tuoyu.supervision import permissions as perms
from tuoyu.supervision import selectors
from tuoyu.supervision.annual_report_selectors import (
    annual_report_get_for_user,
    annual_reports_visible_to,
)
from tuoyu.supervision.annual_report_workflow import AnnualReportStatus
from tuoyu.supervision.api import serializers as s
from tuoyu.supervision.models import AnnualReport, Inspection, RectificationOrder
from tuoyu.supervision.rectification import rectification_orders_overdue
from tuoyu.supervision.workflow import InspectionStatus, RectificationStatus

#: Largest id a filter accepts (a 32-bit primary key); larger values are a 400, not a
#: database error.
MAX_ID = 2**31 - 1


class _TodayContext:
    """Serializer context with ``today``, the local date ``overdue`` is decided on."""

    def get_serializer_context(self):
        """DRF's context plus ``today``."""
        return {**super().get_serializer_context(), "today": local_today()}


def facility_filter() -> django_filters.NumberFilter:
    """A ``facility`` filter: a facility id from 1 to :data:`MAX_ID` (anything else is a
    400 API-005 naming the parameter). Shared with the alerts API."""
    return django_filters.NumberFilter(field_name="facility_id", min_value=1, max_value=MAX_ID,
                                       help_text="Facility id.")


# ----------------------------------------------------------------------------- annual reports


class CanListAnnualReports(BasePermission):
    """Health officers and users acting for an employer or provider (the list page's rule)."""

    def has_permission(self, request, view) -> bool:
        """:func:`~tuoyu.supervision.permissions.can_list_annual_reports`."""
        return perms.can_list_annual_reports(request.user)


class AnnualReportFilterSet(django_filters.FilterSet):
    """``year``, ``status`` (draft, submitted, returned, accepted), ``facility`` (id),
    ``division`` (division-code prefix of the facility, e.g. ``1101``)."""

    year = django_filters.NumberFilter(min_value=2000, max_value=2100, help_text="Report year.")
    status = django_filters.ChoiceFilter(choices=AnnualReportStatus.choices)
    facility = facility_filter()
    division = django_filters.CharFilter(
        field_name="facility__division__code", lookup_expr="startswith", max_length=6,
        validators=[DIVISION_PREFIX], help_text="Division-code prefix (1 to 6 digits).",
    )

    class Meta:
        model = AnnualReport
        fields = ("year", "status", "facility", "division")


@extend_schema_view(
    list=extend_schema(
        summary="Annual reports (年报)",
        description=(
            "Annual reports the user may see, newest year first, then by facility name: a "
            "health officer's jurisdiction, or the facilities of the user's own employer or "
            "provider. Every report with its status and figures. Other roles: 403."
        ),
    ),
    retrieve=extend_schema(
        summary="One annual report (年报)",
        description="One report with its figures and its history (without who acted). "
                    "A report outside the user's scope is a 404.",
        responses=s.AnnualReportDetailOutputSerializer,
    ),
)
class AnnualReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual reports (年报), read-only, scoped as the annual-report pages."""

    permission_classes = [IsAuthenticated, CanListAnnualReports]
    serializer_class = s.AnnualReportOutputSerializer
    filterset_class = AnnualReportFilterSet
    queryset = AnnualReport.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        """:func:`annual_reports_visible_to` the user, with the figures (three queries)."""
        return annual_reports_visible_to(self.request.user).prefetch_related(
            "enrolment", "staff", "fees"
        )

    def retrieve(self, request, *args, **kwargs):
        """One report with figures and history; GEN-001 (404) outside the scope."""
        report = annual_report_get_for_user(request.user, kwargs["pk"])
        prefetch_related_objects([report], "enrolment", "staff", "fees", "events")
        return Response(s.AnnualReportDetailOutputSerializer(report).data)


# ----------------------------------------------------------------------------- inspections


class InspectionFilterSet(django_filters.FilterSet):
    """``status`` (open, closed), ``facility`` (id)."""

    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices)
    facility = facility_filter()

    class Meta:
        model = Inspection
        fields = ("status", "facility")


@extend_schema_view(
    list=extend_schema(
        summary="Inspections (检查)",
        description=(
            "Inspections the user may see, newest visit first: assigned to them as an "
            "inspector, of facilities in a health officer's jurisdiction, or of the user's "
            "own facilities (an empty list for anyone else, as on the page). Each with its "
            "result and its rectification order in brief."
        ),
    ),
    retrieve=extend_schema(
        summary="One inspection (检查)",
        description="One inspection with its checklist and results. Outside the scope: 404.",
        responses=s.InspectionDetailOutputSerializer,
    ),
)
class InspectionViewSet(_TodayContext, viewsets.ReadOnlyModelViewSet):
    """Inspections (检查) and their results, read-only, scoped as the inspection pages."""

    serializer_class = s.InspectionOutputSerializer
    filterset_class = InspectionFilterSet
    queryset = Inspection.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        """:func:`~tuoyu.supervision.selectors.inspections_visible_to` the user, with the order."""
        return selectors.inspections_visible_to(self.request.user).select_related("rectification")

    def retrieve(self, request, *args, **kwargs):
        """One inspection with its items; GEN-001 (404) outside the scope."""
        inspection = selectors.inspection_get_for_user(request.user, kwargs["pk"])
        prefetch_related_objects([inspection], "items")
        return Response(s.InspectionDetailOutputSerializer(
            inspection, context=self.get_serializer_context()).data)


# ----------------------------------------------------------------------------- rectification


class RectificationOrderFilterSet(django_filters.FilterSet):
    """``status`` (issued, responded, verified), ``facility`` (id), ``overdue`` (true: still
    issued after the deadline today; false: every other order)."""

    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices)
    facility = facility_filter()
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="Still issued after its deadline today.")

    class Meta:
        model = RectificationOrder
        fields = ("status", "facility", "overdue")

    def filter_overdue(self, queryset, name, value):
        """Keep (``true``) or drop (``false``) the orders of
        :func:`~tuoyu.supervision.rectification.rectification_orders_overdue` today."""
        overdue = rectification_orders_overdue(local_today()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


@extend_schema_view(
    list=extend_schema(
        summary="Rectification orders (整改通知)",
        description=(
            "Rectification orders of the inspections the user may see, earliest deadline "
            "first, with status, deadline, whether overdue today and the compliance-ladder "
            "steps taken."
        ),
    ),
    retrieve=extend_schema(
        summary="One rectification order (整改通知)",
        description="One order with its items, latest response and note, ladder and history "
                    "(without who acted or evidence files). Outside the scope: 404.",
        responses=s.RectificationOrderDetailOutputSerializer,
    ),
)
class RectificationOrderViewSet(_TodayContext, viewsets.ReadOnlyModelViewSet):
    """Rectification orders (整改通知), read-only, scoped as the rectification pages."""

    serializer_class = s.RectificationOrderOutputSerializer
    filterset_class = RectificationOrderFilterSet
    queryset = RectificationOrder.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        """:func:`~tuoyu.supervision.selectors.rectifications_visible_to` the user, with the
        facility's division and the ladder."""
        return (
            selectors.rectifications_visible_to(self.request.user)
            .select_related("facility__division")
            .prefetch_related("escalations")
        )

    def retrieve(self, request, *args, **kwargs):
        """One order with items and history; GEN-001 (404) outside the scope."""
        order = selectors.rectification_get_for_user(request.user, kwargs["pk"])
        prefetch_related_objects([order], "escalations", "events", "items")
        return Response(s.RectificationOrderDetailOutputSerializer(
            order, context=self.get_serializer_context()).data)
