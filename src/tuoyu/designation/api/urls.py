"""Routes of the designation app's API, registered on the one router in ``tuoyu.api.urls``."""

from tuoyu.designation.api.views import ObjectionViewSet, PublicPublicityViewSet

#: (prefix, viewset, basename) registered under ``/api/v1/``.
ROUTES = [
    ("public/designation/publicity", PublicPublicityViewSet, "public-designation-publicity"),
    ("designation/objections", ObjectionViewSet, "designation-objection"),
]
