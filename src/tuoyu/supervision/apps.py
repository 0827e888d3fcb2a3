from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervision (监管): annual reports, double-random inspections (双随机、一公开), rectification and publication."""

    name = "tuoyu.supervision"
    label = "supervision"
    verbose_name = "Supervision"
