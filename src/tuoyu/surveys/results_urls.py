"""Page URLs of survey results, paper-answer import and officers' demand view (namespace ``surveys``)."""

from django.urls import path

from tuoyu.surveys import results_views as views

urlpatterns: list = [
    path("<int:pk>/results/", views.results_page, name="results"),
    path("<int:pk>/results.<str:fmt>", views.results_export, name="results_export"),
    path("<int:pk>/paper-import/", views.paper_import, name="paper_import"),
    path(
        "<int:pk>/paper-import/template.<str:fmt>",
        views.import_template,
        name="paper_import_template",
    ),
    path("demand/", views.demand_page, name="demand"),
    path("demand/export.csv", views.demand_export, name="demand_export"),
]
