"""API of designation publicity (公示) and objections (异议).

- ``public/designation/publicity/`` (list, detail): the published lists as the publicity
  page shows them — anyone, throttled with the public mirror's rate, no authentication.
- ``public/designation/publicity/{id}/objections/`` (POST): lodge an objection through
  :func:`~tuoyu.designation.publicity.objection_submit`, the service of the page's form,
  named or anonymous; counted against the page's own per-client objection limit
  (``DESIGNATION_OBJECTION_RATE``), so the page and the API share one budget.
- ``designation/objections/`` (list, detail): the national reviewers' view of every
  campaign's objections, scoped as the objections page (national union officers only;
  other signed-in users 403, anonymous 401).

Thin: parse, call one selector or service, serialise. A refused objection is the
service's DomainError in the one error shape (DES-052 after the end, DES-058 a unit not on
the list: 400).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from tuoyu.api.throttling import PublicRateThrottle
from tuoyu.core.network import client_ip
from tuoyu.designation import permissions as perms
from tuoyu.designation import publicity as pub
from tuoyu.designation.api import serializers as s
from tuoyu.designation.models import Objection, ObjectionStatus, Publicity
from tuoyu.disclosure.throttling import hit

#: The throttle scope the publicity page counts objections in (one budget for both).
OBJECTION_SCOPE = "objection"


class ObjectionRateThrottle(BaseThrottle):
    """The publicity page's objection limit: ``DESIGNATION_OBJECTION_RATE`` per client
    address (:func:`tuoyu.core.network.client_ip`, proxies as the pages count them), in
    the same cache counter as the page's form (:func:`tuoyu.disclosure.throttling.hit`)."""

    def allow_request(self, request, view) -> bool:
        """Count this request; False when the client is over the limit."""
        self._wait = hit(OBJECTION_SCOPE, client_ip(request._request) or "unknown",
                         rate=pub.objection_rate())
        return self._wait is None

    def wait(self) -> int | None:
        """Seconds until the window ends (``Retry-After``)."""
        return self._wait


class PublicPublicityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             viewsets.GenericViewSet):
    """Publicity lists (公示名单) on the portal: anyone may read them and object."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = s.PublicityOutputSerializer
    queryset = Publicity.objects.none()
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"

    def get_throttles(self):
        """Objections: the page's objection limit; reads: the public mirror's rate."""
        if self.action == "objections":
            return [ObjectionRateThrottle()]
        return [PublicRateThrottle()]

    def get_queryset(self):
        """:func:`~tuoyu.designation.publicity.publicities_public` (newest first)."""
        return pub.publicities_public()

    def retrieve(self, request, *args, **kwargs):
        """One publicity with its listed units; an unknown id is a 404."""
        publicity = pub.publicity_public_get(kwargs["pk"])
        return Response(s.PublicityOutputSerializer(publicity).data)

    @extend_schema(request=s.ObjectionInputSerializer,
                   responses={201: s.ObjectionReceiptOutputSerializer})
    @action(detail=True, methods=["post"], url_path="objections", pagination_class=None)
    def objections(self, request, pk=None):
        """Lodge an objection (提出异议) to a listed unit, named or anonymous, until
        23:59:59 Beijing time of ``ends_on``: 201 with the receipt. After the end 400
        DES-052 (the page's message); a unit not (or no longer) on the list 400 DES-058
        (``field: entry``); bad input 400 API-005; over the objection limit 429 API-007."""
        publicity = pub.publicity_public_get(pk)
        payload = s.ObjectionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        objection = pub.objection_submit(publicity=publicity, entry_id=data["entry"],
                                         text=data["text"], name=data["name"],
                                         contact=data["contact"], actor=None)
        return Response(s.ObjectionReceiptOutputSerializer(objection).data,
                        status=status.HTTP_201_CREATED)


class IsNationalReviewer(BasePermission):
    """National union officers (全国审核人员), who review objections."""

    def has_permission(self, request, view) -> bool:
        """True for a national union officer."""
        return perms.can_manage_campaign(request.user)


class ObjectionFilterSet(django_filters.FilterSet):
    """``campaign`` (id), ``status`` (``open``, ``upheld``, ``dismissed``)."""

    campaign = django_filters.NumberFilter(field_name="entry__publicity__campaign_id")
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices)

    class Meta:
        model = Objection
        fields = ("campaign", "status")


class ObjectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Objections of every campaign's publicity for the national reviewers, oldest first
    (the objections page's rows); resolving stays on the page."""

    permission_classes = [IsAuthenticated, IsNationalReviewer]
    serializer_class = s.ObjectionOutputSerializer
    filterset_class = ObjectionFilterSet
    queryset = Objection.objects.none()
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        """:func:`~tuoyu.designation.publicity.objections_visible_to` the user."""
        return pub.objections_visible_to(self.request.user)
