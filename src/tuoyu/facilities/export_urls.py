"""URLs of the facility export, included by the project under ``/facilities/export/``.

``/facilities/export/csv/`` and ``/facilities/export/xlsx/`` (name ``facility_export:download``,
argument the format), with the list filters as query parameters.
"""

from django.urls import path

from tuoyu.facilities.export_views import facility_export

app_name = "facility_export"

urlpatterns = [
    path("<str:fmt>/", facility_export, name="download"),
]
