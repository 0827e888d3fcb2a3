"""The one router of ``/api/v1/`` and the schema and docs URLs.

Each app lists its resources in ``tuoyu/<app>/api/urls.py`` as ``ROUTES`` —
``(prefix, viewset, basename)`` — and may add plain ``urlpatterns``; adding an app's API
is one entry in :data:`API_MODULES`. Any other path under ``/api/v1/`` is a JSON 404
(API-004).
"""

from __future__ import annotations

from importlib import import_module

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from tuoyu.api.exceptions import not_found_view

#: Modules whose ``ROUTES`` (and optional ``urlpatterns``) make up the API.
API_MODULES = (
    "tuoyu.reference.api.urls",
    "tuoyu.accounts.api.urls",
    "tuoyu.facilities.api.urls",
    "tuoyu.designation.api.urls",
    "tuoyu.supervision.api.urls",
    "tuoyu.monitoring.api.urls",
)

app_name = "api"

router = DefaultRouter()
extra_patterns: list = []
for module_name in API_MODULES:
    module = import_module(module_name)
    for prefix, viewset, basename in getattr(module, "ROUTES", ()):
        router.register(prefix, viewset, basename=basename)
    extra_patterns += getattr(module, "urlpatterns", [])

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html",
            permission_classes=[AllowAny], authentication_classes=[],
        ),
        name="docs",
    ),
    *extra_patterns,
    path("", include(router.urls)),
    re_path(r"^.*$", not_found_view, name="not-found"),
]
