from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Public complaint and feedback channel (畅通反映问题的渠道): intake, tracking, routing, handling, abuse resistance."""

    name = "tuoyu.complaints"
    label = "complaints"
    verbose_name = "Complaints"
