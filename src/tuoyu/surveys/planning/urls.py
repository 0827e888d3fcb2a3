"""Page URLs of plans (namespace ``surveys``)."""

from django.urls import path

from tuoyu.surveys.planning import views

urlpatterns: list = [
    path("<int:pk>/plan/", views.plan_page, name="plan"),
    path("<int:pk>/plan.xlsx", views.plan_export, name="plan_export"),
    path("<int:pk>/plan/scenarios/new/", views.scenario_create, name="plan_scenario_create"),
    path(
        "<int:pk>/plan/scenarios/<int:scenario_pk>/edit/",
        views.scenario_edit,
        name="plan_scenario_edit",
    ),
    path(
        "<int:pk>/plan/scenarios/<int:scenario_pk>/delete/",
        views.scenario_delete,
        name="plan_scenario_delete",
    ),
]
