"""Page URLs of the API token page (namespace ``api_tokens``), under ``/accounts/me/tokens/``."""

from django.urls import path

from tuoyu.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
