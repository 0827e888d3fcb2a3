"""The project's URLs plus the export URLs, for tests of the export links on the list page."""

from django.urls import include, path

from tuoyu.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("facilities/export/", include("tuoyu.facilities.export_urls")),
    *[p for p in project_urlpatterns if "export" not in str(getattr(p, "pattern", ""))],
]
