"""Page URLs of the reference app."""

from django.urls import path  # noqa: F401

app_name = "reference"

urlpatterns: list = []
