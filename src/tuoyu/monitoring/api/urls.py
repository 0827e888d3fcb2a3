"""Routes of the monitoring app's API, registered on the one router in ``tuoyu.api.urls``."""

from tuoyu.monitoring.api.views import AlertViewSet

#: (prefix, viewset, basename) registered under ``/api/v1/``.
ROUTES = [
    ("monitoring/alerts", AlertViewSet, "monitoring-alert"),
]
