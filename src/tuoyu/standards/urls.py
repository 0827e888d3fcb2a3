"""Page URLs of the standards app (namespace ``standards``)."""

from django.urls import path

from tuoyu.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
]
