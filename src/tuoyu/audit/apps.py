from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Append-only audit trail (审计日志): who changed what, who read whose personal data."""

    name = "tuoyu.audit"
    label = "audit"
    verbose_name = "Audit"
