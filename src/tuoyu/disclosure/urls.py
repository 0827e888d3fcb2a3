"""Page URLs of the public portal (namespace ``disclosure``), under ``/portal/``."""

from django.urls import path, re_path

from tuoyu.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("facilities/", views.search, name="search"),
    path("facilities/<int:pk>/", views.facility, name="facility"),
    re_path(r"^provinces/(?P<code>\d{6})/$", views.province, name="province"),
    re_path(r"^counties/(?P<code>\d{6})/$", views.county, name="county"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/register.schema.json", views.open_data_schema, name="open_data_schema"),
    re_path(r"^open-data/register\.(?P<fmt>csv|xlsx|json)$", views.open_data_export,
            name="open_data_export"),
    path("open-data/inspections.schema.json", views.open_data_schema, {"dataset": "inspections"},
         name="open_data_inspections_schema"),
    re_path(r"^open-data/inspections\.(?P<fmt>csv|xlsx|json)$", views.open_data_export,
            {"dataset": "inspections"}, name="open_data_inspections_export"),
    path("health/", views.health, name="health"),
]
