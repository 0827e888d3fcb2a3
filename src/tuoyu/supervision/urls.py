"""Page URLs of the supervision app (namespace ``supervision``)."""

from django.urls import path

from tuoyu.supervision import annual_report_views, inspection_views, views

app_name = "supervision"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/freeze/", views.lists_freeze, name="lists_freeze"),
    path("plans/<int:pk>/draw/", views.draw_run, name="draw_run"),
    path("plans/<int:pk>/lists/<str:which>.txt", views.list_download, name="list_download"),
    path("plans/<int:pk>/draws/<int:draw_pk>.json", views.draw_download, name="draw_download"),
    path(
        "plans/<int:pk>/draws/<int:draw_pk>/inspections/",
        inspection_views.inspections_from_draw, name="inspections_from_draw",
    ),
    path("inspections/", inspection_views.inspection_list, name="inspection_list"),
    path(
        "inspections/new/<int:facility_pk>/",
        inspection_views.inspection_create_view, name="inspection_create",
    ),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/close/", inspection_views.inspection_close_view, name="inspection_close"),
    path("evidence/<int:pk>/", inspection_views.evidence_download, name="evidence_download"),
    path("rectifications/", inspection_views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", inspection_views.rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/respond/",
        inspection_views.rectification_respond_view, name="rectification_respond",
    ),
    path(
        "rectifications/evidence/<int:pk>/",
        inspection_views.rectification_evidence_download, name="rectification_evidence_download",
    ),
    path(
        "rectifications/<int:pk>/review/",
        inspection_views.rectification_review_view, name="rectification_review",
    ),
    path("annual-reports/", annual_report_views.annual_report_list, name="annual_report_list"),
    path(
        "annual-reports/new/<int:facility_pk>/",
        annual_report_views.annual_report_create_view, name="annual_report_create",
    ),
    path("annual-reports/<int:pk>/", annual_report_views.annual_report_detail, name="annual_report_detail"),
    path(
        "annual-reports/<int:pk>/review/",
        annual_report_views.annual_report_review_view, name="annual_report_review",
    ),
]
