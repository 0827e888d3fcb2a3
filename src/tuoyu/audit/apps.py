from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Append-only audit trail (审计日志): who changed what, who read whose personal data."""

    name = "tuoyu.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from tuoyu.audit.guard import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="tuoyu-audit-guard")
