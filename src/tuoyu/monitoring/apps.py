from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Alerts (动态监管预警): rules over facilities, staff, rectification orders, annual
    reports and complaints, run by a periodic job (ADR 0087)."""

    name = "tuoyu.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
