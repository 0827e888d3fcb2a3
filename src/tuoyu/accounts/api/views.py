"""Read-only API of organisations, scoped like the pages (``organizations_visible_to``).

Officials see the organisations in their jurisdiction and their own; employer admins and
facility operators see their own organisations only.
"""

from __future__ import annotations

import django_filters
from rest_framework import viewsets

from tuoyu.accounts.api.serializers import OrganizationOutputSerializer
from tuoyu.accounts.choices import AdminLevel, OrganizationKind
from tuoyu.accounts.models import Organization
from tuoyu.accounts.selectors import organizations_visible_to
from tuoyu.core.text import normalize_search


class OrganizationFilterSet(django_filters.FilterSet):
    """``kind``, ``level``, ``division`` (code prefix), ``q`` (words of the name, normalised)."""

    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    level = django_filters.ChoiceFilter(choices=AdminLevel.choices)
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", max_length=6
    )
    q = django_filters.CharFilter(method="filter_q", max_length=100)

    class Meta:
        model = Organization
        fields = ("kind", "level", "division", "q")

    def filter_q(self, queryset, name, value):
        """Keep organisations whose normalised name contains the normalised ``value``."""
        key = normalize_search(value)
        return queryset.filter(name_search__contains=key) if key else queryset


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations the user may see, by name then id."""

    serializer_class = OrganizationOutputSerializer
    filterset_class = OrganizationFilterSet
    queryset = Organization.objects.none()

    def get_queryset(self):
        """:func:`~tuoyu.accounts.selectors.organizations_visible_to` with division loaded."""
        return (
            organizations_visible_to(self.request.user)
            .select_related("division")
            .order_by("name", "id")
        )
