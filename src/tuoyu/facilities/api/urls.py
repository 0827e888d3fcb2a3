"""Routes of the facilities app's API, registered on the one router in ``tuoyu.api.urls``."""

from django.urls import path

from tuoyu.facilities.api.views import (
    FacilityUpsertViewSet,
    FacilityViewSet,
    PublicFacilityViewSet,
)

#: (prefix, viewset, basename) registered under ``/api/v1/``.
ROUTES = [
    ("facilities", FacilityViewSet, "facility"),
    ("public/facilities", PublicFacilityViewSet, "public-facility"),
]

#: Extra paths under ``/api/v1/`` (placed before the router's).
urlpatterns = [
    path(
        "facilities/by-key/<str:source_system>/<str:external_id>/",
        FacilityUpsertViewSet.as_view({"put": "update"}),
        name="facility-upsert",
    ),
]
