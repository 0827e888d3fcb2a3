"""URL configuration. Each app has its own ``urls.py`` (pages) and ``api/urls.py`` (REST)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from tuoyu.disclosure.views import home

urlpatterns = [
    path("", home, name="home"),
    path("portal/", include("tuoyu.disclosure.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/me/tokens/", include("tuoyu.api.page_urls")),
    path("accounts/", include("tuoyu.accounts.urls")),
    path("audit/", include("tuoyu.audit.urls")),
    path("facilities/export/", include("tuoyu.facilities.export_urls")),
    path("facilities/", include("tuoyu.facilities.urls")),
    path("reference/", include("tuoyu.reference.urls")),
    path("surveys/", include("tuoyu.surveys.urls")),
    path("designation/", include("tuoyu.designation.urls")),
    path("supervision/", include("tuoyu.supervision.urls")),
    path("complaints/", include("tuoyu.complaints.urls")),
    path("monitoring/", include("tuoyu.monitoring.urls")),
    path("standards/", include("tuoyu.standards.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tuoyu.api.urls")),
]

if settings.SERVE_STATIC:
    from django.urls import re_path

    from tuoyu.core.staticfiles import static_serve

    urlpatterns += [re_path(r"^static/(?P<path>.+)$", static_serve, name="static")]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
