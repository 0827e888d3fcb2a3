"""Page URLs of the audit app (namespace ``audit``)."""

from django.urls import path

from tuoyu.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
]
