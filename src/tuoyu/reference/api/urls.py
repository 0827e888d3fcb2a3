"""Routes of the reference app's API, registered on the one router in ``tuoyu.api.urls``."""

from tuoyu.reference.api.views import DivisionViewSet, IndustryViewSet

#: (prefix, viewset, basename) registered under ``/api/v1/``.
ROUTES = [
    ("divisions", DivisionViewSet, "division"),
    ("industries", IndustryViewSet, "industry"),
]
