"""Page URLs of the monitoring app (namespace ``monitoring``)."""

from django.urls import path

from tuoyu.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge_view, name="alert_acknowledge"),
    path("rules/", views.rule_list, name="rule_list"),
]
