"""Routes of the accounts app's API, registered on the one router in ``tuoyu.api.urls``."""

from tuoyu.accounts.api.views import OrganizationViewSet

#: (prefix, viewset, basename) registered under ``/api/v1/``.
ROUTES = [("organizations", OrganizationViewSet, "organization")]
