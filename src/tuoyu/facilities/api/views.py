"""API of facilities (托育机构): list, detail, filing history and transitions, compliance
check, integration upsert, and the public read-only mirror.

Scoping is the pages': :func:`~tuoyu.facilities.selectors.facilities_visible_to` /
:func:`~tuoyu.facilities.selectors.facility_get_for_user` (a facility the user may not see
is a 404 GEN-001; a visible one they may not act on is a 403 GEN-002), and the services
check the rest. Personal data (staff) follows ``can_view_personal_data`` and officials'
reads are logged.
"""

from __future__ import annotations

import django_filters
from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from tuoyu.api.pagination import StablePagination, page_number_sent
from tuoyu.api.throttling import PublicRateThrottle
from tuoyu.core.dates import local_today
from tuoyu.disclosure.paging import PublicFacilityPaginator, cached_page
from tuoyu.facilities import selectors, services
from tuoyu.facilities.api import serializers as s
from tuoyu.facilities.api.selectors import facility_detail_parts, filing_review_pending
from tuoyu.facilities.api.services import facility_upsert
from tuoyu.facilities.choices import ProvisionModel, ServiceType
from tuoyu.facilities.models import Facility
from tuoyu.facilities.workflow import FilingStatus
from tuoyu.reference.api.views import DIVISION_PREFIX
from tuoyu.standards.checks import has_blocking

#: Filing transitions reachable by ``POST /facilities/{id}/filing/{action}/``: the
#: service and the ``facility_get_for_user`` action checked first.
FILING_ACTIONS = {
    "submit": (services.filing_submit, "submit"),
    "file": (services.filing_file, "review"),
    "return": (services.filing_return, "review"),
    "submit_change": (services.filing_submit_change, "submit"),
    "file_change": (services.filing_file_change, "review"),
    "return_change": (services.filing_return_change, "review"),
    "cancel": (services.filing_cancel, "cancel"),
}
_REASONED = {"return", "submit_change", "return_change", "cancel"}


class FacilityFilterSet(django_filters.FilterSet):
    """``status`` (filing statuses, repeatable), ``division`` (code prefix, e.g. ``1101``),
    ``provision_model``, ``q`` (words of the name, normalised like the stored names)."""

    status = django_filters.MultipleChoiceFilter(
        field_name="filing_status", choices=FilingStatus.choices
    )
    division = django_filters.CharFilter(
        field_name="division__code", lookup_expr="startswith", max_length=6,
        validators=[DIVISION_PREFIX],
    )
    provision_model = django_filters.ChoiceFilter(choices=ProvisionModel.choices)
    q = django_filters.CharFilter(method="filter_q", max_length=100)

    class Meta:
        model = Facility
        fields = ("status", "division", "provision_model", "q")

    def filter_q(self, queryset, name, value):
        """Keep facilities whose normalised name contains the normalised ``value``."""
        key = selectors.facility_search_key(value)
        return queryset.filter(name_search__contains=key) if key else queryset


class FacilityViewSet(viewsets.ReadOnlyModelViewSet):
    """Facilities the user may see (officials: their jurisdiction; employers: their own)."""

    filterset_class = FacilityFilterSet
    queryset = Facility.objects.none()
    serializer_class = s.FacilityListOutputSerializer

    def get_queryset(self):
        """:func:`~tuoyu.facilities.selectors.facilities_list_for` (with class and child counts)."""
        return selectors.facilities_list_for(self.request.user).order_by("name", "id")

    def _facility(self, action_name: str = "view") -> Facility:
        return selectors.facility_get_for_user(
            self.request.user, self.kwargs["pk"], action=action_name
        )

    @extend_schema(responses=s.FacilityDetailOutputSerializer)
    def retrieve(self, request, *args, **kwargs):
        """One facility with sponsors, services, classes, enrolment counts and staff (if allowed)."""
        facility = self._facility()
        parts = facility_detail_parts(request.user, facility)
        context = {
            "request": request, "classes": parts.classes,
            "enrolment_counts": parts.enrolment_counts, "staff": parts.staff,
            "staff_count": parts.staff_count,
        }
        return Response(s.FacilityDetailOutputSerializer(facility, context=context).data)

    @extend_schema(responses=s.FilingEventOutputSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="filing", filter_backends=[],
            pagination_class=None)
    def filing(self, request, pk=None):
        """The filing history (备案记录), oldest first."""
        events = selectors.filing_history(self._facility())
        return Response(s.FilingEventOutputSerializer(events, many=True).data)

    @extend_schema(
        request=s.FilingActionInputSerializer,
        responses=s.FilingStateOutputSerializer,
        parameters=[OpenApiParameter(
            "transition", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FILING_ACTIONS)
        )],
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path=r"filing/(?P<transition>[^/.]+)",
            filter_backends=[], pagination_class=None)
    def filing_transition(self, request, pk=None, transition=None):
        """Run a filing transition (submit, file, return, submit_change, file_change,
        return_change, cancel) through the facilities services.

        Body: ``expected_version`` (required: the ``version`` the caller read; 409 GEN-003
        when stale) and ``reason``. Returns the filing state (status, version, receipt
        number, review deadline, links), not the whole facility."""
        if transition not in FILING_ACTIONS:
            raise NotFound
        service, needed = FILING_ACTIONS[transition]
        facility = self._facility(needed)
        payload = s.FilingActionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        kwargs = {"actor": request.user, "facility": facility,
                  "expected_version": payload.validated_data["expected_version"]}
        if transition in _REASONED:
            kwargs["reason"] = payload.validated_data.get("reason", "")
        facility = service(**kwargs)
        context = {"request": request, "pending_event": filing_review_pending(facility)}
        return Response(s.FilingStateOutputSerializer(facility, context=context).data)

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY)],
        responses=s.CheckOutputSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="check", filter_backends=[],
            pagination_class=None)
    def check(self, request, pk=None):
        """The compliance check (设置标准核查) as of ``as_of`` (default today)."""
        query = s.CheckQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or local_today()
        facility = self._facility()
        findings = selectors.facility_findings_for(request.user, facility, as_of=as_of)
        body = {
            "facility": facility.pk, "as_of": as_of, "blocking": has_blocking(findings),
            "findings": [services.finding_as_dict(f) for f in findings],
        }
        return Response(s.CheckOutputSerializer(body).data)


class FacilityUpsertViewSet(viewsets.GenericViewSet):
    """``PUT /facilities/by-key/{source_system}/{external_id}/``: create or change a facility
    keyed by an integration's own identifier; repeating the same upload changes nothing."""

    queryset = Facility.objects.none()
    serializer_class = s.FacilityUpsertInputSerializer
    filter_backends: list = []
    pagination_class = None
    metadata_class = None  # OPTIONS would need an object lookup this view does not have

    @extend_schema(
        request=s.FacilityUpsertInputSerializer,
        responses={200: s.FacilityDetailOutputSerializer, 201: s.FacilityDetailOutputSerializer},
        parameters=[
            OpenApiParameter("source_system", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter("external_id", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
    )
    def update(self, request, source_system=None, external_id=None):
        """Upsert; 201 when created, 200 when changed or unchanged (header ``X-Upsert``)."""
        payload = s.FacilityUpsertInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            result = facility_upsert(
                actor=request.user, source_system=source_system, external_id=external_id,
                data=payload.validated_data,
            )
        facility = selectors.facility_get_for_user(request.user, result.facility.pk)
        parts = facility_detail_parts(request.user, facility)
        context = {
            "request": request, "classes": parts.classes,
            "enrolment_counts": parts.enrolment_counts, "staff": parts.staff,
            "staff_count": parts.staff_count,
        }
        body = s.FacilityDetailOutputSerializer(facility, context=context).data
        code = status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK
        return Response(body, status=code, headers={"X-Upsert": result.outcome})


# ----------------------------------------------------------------------------- public mirror


class PublicFacilityFilterSet(django_filters.FilterSet):
    """The portal's search filters (see ``tuoyu.disclosure.selectors.public_facilities``).

    The query is validated by the portal's own form
    (:class:`tuoyu.disclosure.forms.PortalSearchForm`), so the API and the portal accept
    the same values: a county or city without its province implies it; any bad value
    (``province=abc``, an unknown ``service_type``, ``free_places=maybe``, a county outside
    the province) is a 400 API-005 naming the parameter. The declarations below describe
    the parameters in the schema.
    """

    q = django_filters.CharFilter(method="noop", max_length=100)
    province = django_filters.CharFilter(
        method="noop", max_length=6, help_text="Province code: 6 digits (110000) or 2 (11)."
    )
    city = django_filters.CharFilter(
        method="noop", max_length=6,
        help_text="Prefecture code: 6 digits (130100) or 4 (1301); implies its province.",
    )
    county = django_filters.CharFilter(
        method="noop", max_length=6,
        help_text="County code (6 digits); implies its province (and prefecture).",
    )
    provision_model = django_filters.ChoiceFilter(method="noop", choices=ProvisionModel.choices)
    service_type = django_filters.ChoiceFilter(method="noop", choices=ServiceType.choices)
    fee_min = django_filters.NumberFilter(method="noop", min_value=0)
    fee_max = django_filters.NumberFilter(method="noop", min_value=0)
    free_places = django_filters.BooleanFilter(method="noop")
    sort = django_filters.ChoiceFilter(
        method="noop", choices=[("relevance", "relevance"), ("name", "name"), ("fee", "fee")]
    )

    class Meta:
        model = Facility
        fields: tuple = ()

    def noop(self, queryset, name, value):
        """Filtering is done by the portal's selector as a whole (see :attr:`qs`)."""
        return queryset

    def get_form_class(self):
        """The portal's search form: one validation for the portal and the API."""
        from tuoyu.disclosure.forms import PortalSearchForm

        return PortalSearchForm

    @property
    def qs(self):
        """The portal's selector applied to the form's filters (the form was valid)."""
        from tuoyu.disclosure.selectors import public_facilities

        if not self.is_valid():
            return super().qs
        return public_facilities(self.form.filters())


class PublicPagination(StablePagination):
    """The API's stable pagination, loading a page as ids first, then rows (ADR 0041)."""

    django_paginator_class = PublicFacilityPaginator


class PublicFacilityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The public register (公示名录): filed facilities, published fields only, anyone may read."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRateThrottle]
    serializer_class = s.PublicFacilityOutputSerializer
    filterset_class = PublicFacilityFilterSet
    queryset = Facility.objects.none()
    pagination_class = PublicPagination

    def get_queryset(self):
        """Facilities on the public register, by name; :class:`PublicFacilityFilterSet`
        replaces it with the portal's selector (so it is kept cheap to build)."""
        from tuoyu.facilities.selectors import PUBLIC_STATUSES

        return Facility.objects.filter(filing_status__in=PUBLIC_STATUSES).order_by("name", "id")

    def list(self, request, *args, **kwargs):
        """The page of the filtered register; the page's body is kept under the register
        version (``tuoyu.disclosure.cache``, ADR 0041) per normalised filter, page size and
        page, and served from there until a write to the register replaces the version.
        Invalid filters, pages that are not a positive number and pages beyond the last
        take the normal path (400, 404)."""
        from tuoyu.disclosure import cache as search_cache
        from tuoyu.disclosure.forms import PortalSearchForm
        from tuoyu.disclosure.selectors import division_prefix, search_key

        # The whole JSON body, kept under the version, the absolute URL (its next/previous
        # links are absolute) and the negotiated media type (ADR 0041, third round).
        # One read of the version serves both keys (a cache round trip on every request);
        # the version is that of the place in the query (ADR 0041, fourth round).
        place = division_prefix(request.query_params)
        version = search_cache.register_version(place)
        self._body_key = ""
        if request.accepted_renderer.format == "json":
            self._body_key = search_cache.html_key(
                version, f"api:{request.accepted_media_type}",
                request.build_absolute_uri(),
            )
            body = search_cache.cache.get(self._body_key)
            if body is not None:
                self._body_key = ""
                return HttpResponse(body, content_type=request.accepted_renderer.media_type)
        paginator = self.paginator
        number = page_number_sent(str(request.query_params.get(paginator.page_query_param, "1")))
        key = ""
        if number is not None:
            form = PortalSearchForm(request.query_params or None)
            # Kept only when the checked filters search the same province as the query
            # read for the version (a county alone implies its province either way).
            if (not form.is_bound or form.is_valid()) and (
                division_prefix(form.filters())[:2] == place[:2]
            ):
                size = paginator.get_page_size(request)
                key = search_cache.page_key(version, search_key(form.filters()),
                                            size, number, kind="api")
                hit = search_cache.page_get(key)
                if hit is not None:
                    count, results = hit
                    paginator.page = cached_page(results, number, size, count)
                    paginator.request = request
                    return paginator.get_paginated_response(results)
        response = super().list(request, *args, **kwargs)
        if key and response.status_code == 200 and paginator.page.number == number:
            search_cache.page_set(key, paginator.page.paginator.count, response.data["results"])
        else:
            self._body_key = ""
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        """DRF's, then a list page marked by :meth:`list` is rendered and its body kept."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "_body_key", "") and response.status_code == 200:
            from tuoyu.disclosure import cache as search_cache

            response.render()
            search_cache.cache.set(self._body_key, response.content, search_cache.SEARCH_CACHE_SECONDS)
        return response

    @extend_schema(responses=s.PublicFacilityDetailOutputSerializer, filters=False)
    def retrieve(self, request, *args, **kwargs):
        """One filed facility with its services and fees."""
        from tuoyu.disclosure.selectors import public_facility_get

        facility = public_facility_get(kwargs["pk"])
        return Response(s.PublicFacilityDetailOutputSerializer(facility).data)
