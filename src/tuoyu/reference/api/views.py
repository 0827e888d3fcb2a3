"""Read-only API of reference data; any signed-in user may read it."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from tuoyu.reference.api.serializers import DivisionOutputSerializer, IndustryOutputSerializer
from tuoyu.reference.choices import DivisionLevel, DivisionStatus, IndustryLevel
from tuoyu.reference.models import Division, Industry

#: A division-code prefix filter (GB/T 2260): 1 to 6 digits; anything else is a 400 API-005,
#: not an empty list. Also the facilities' ``division`` filter.
DIVISION_PREFIX = RegexValidator(r"^\d{1,6}$", _("请填写1至6位数字的行政区划代码（前缀）。"))


class DivisionFilterSet(django_filters.FilterSet):
    """``code`` prefix (``11`` = 北京市), ``level``, ``status`` (active/changed/retired)."""

    code = django_filters.CharFilter(
        field_name="code", lookup_expr="startswith", max_length=6,
        validators=[DIVISION_PREFIX],
    )
    level = django_filters.ChoiceFilter(choices=DivisionLevel.choices)
    status = django_filters.ChoiceFilter(choices=DivisionStatus.choices)

    class Meta:
        model = Division
        fields = ("code", "level", "status")


class DivisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative division code rows (GB/T 2260), by code then newest row first."""

    queryset = Division.objects.order_by("code", "-valid_from", "id")
    serializer_class = DivisionOutputSerializer
    filterset_class = DivisionFilterSet


#: An industry code (prefix) of GB/T 4754-2017: a section letter and/or up to 4 digits.
INDUSTRY_CODE = RegexValidator(r"^[A-Za-z]?\d{0,4}$", _("请填写国民经济行业分类代码。"))


class IndustryFilterSet(django_filters.FilterSet):
    """``code`` prefix, ``level`` (section/division/group/class), ``parent`` code."""

    code = django_filters.CharFilter(
        field_name="code", lookup_expr="startswith", max_length=4, validators=[INDUSTRY_CODE]
    )
    level = django_filters.ChoiceFilter(choices=IndustryLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id", max_length=4,
                                       validators=[INDUSTRY_CODE])

    class Meta:
        model = Industry
        fields = ("code", "level", "parent")


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """Industries of GB/T 4754-2017, by code (the code is the key)."""

    queryset = Industry.objects.order_by("code")
    serializer_class = IndustryOutputSerializer
    filterset_class = IndustryFilterSet
    lookup_value_regex = "[A-Z0-9]{1,4}"
