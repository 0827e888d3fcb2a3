from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    """Childcare facilities (托育机构), classes, staff, enrolment, and filing (备案)."""

    name = "tuoyu.facilities"
    label = "facilities"
    verbose_name = "Facilities"

    def ready(self) -> None:
        """Recount provisional filing deadlines whenever a calendar year is loaded."""
        from tuoyu.facilities.services import recompute_provisional_deadlines
        from tuoyu.reference.calendar import register_deadline_recomputer

        register_deadline_recomputer(recompute_provisional_deadlines)
