from django.apps import AppConfig


class DesignationConfig(AppConfig):
    """Designation campaigns (全国爱心托育用人单位): applications, recommendation, expert scoring, representative selection, publicity and naming."""

    name = "tuoyu.designation"
    label = "designation"
    verbose_name = "Designation"
