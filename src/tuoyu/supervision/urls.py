"""Page URLs of the supervision app (namespace ``supervision``)."""

from django.urls import path

from tuoyu.supervision import views

app_name = "supervision"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/freeze/", views.lists_freeze, name="lists_freeze"),
    path("plans/<int:pk>/draw/", views.draw_run, name="draw_run"),
    path("plans/<int:pk>/lists/<str:which>.txt", views.list_download, name="list_download"),
    path("plans/<int:pk>/draws/<int:draw_pk>.json", views.draw_download, name="draw_download"),
]
