"""Page URLs of the reference app."""

from django.urls import path

from tuoyu.reference import views

app_name = "reference"

urlpatterns = [
    path("divisions/", views.division_lookup, name="division_lookup"),
]
