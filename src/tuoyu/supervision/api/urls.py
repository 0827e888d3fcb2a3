"""Routes of the supervision app's API, registered on the one router in ``tuoyu.api.urls``."""

from tuoyu.supervision.api.views import (
    AnnualReportViewSet,
    InspectionViewSet,
    RectificationOrderViewSet,
)

#: (prefix, viewset, basename) registered under ``/api/v1/``.
ROUTES = [
    ("supervision/annual-reports", AnnualReportViewSet, "supervision-annual-report"),
    ("supervision/inspections", InspectionViewSet, "supervision-inspection"),
    ("supervision/rectifications", RectificationOrderViewSet, "supervision-rectification"),
]
