"""Page URLs of the designation app (namespace ``designation``)."""

from django.urls import path  # noqa: F401

app_name = "designation"

urlpatterns: list = []
