from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervision (监管): annual reports, double-random inspections (双随机、一公开), rectification and publication."""

    name = "tuoyu.supervision"
    label = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        """Recount provisional rectification deadlines and publication dates whenever a
        calendar year is loaded."""
        from tuoyu.reference.calendar import register_deadline_recomputer
        from tuoyu.supervision.rectification import recompute_provisional_dates

        register_deadline_recomputer(recompute_provisional_dates)
