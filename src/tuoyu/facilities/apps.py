from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    """Childcare facilities (托育机构), classes, staff, enrolment, and filing (备案)."""

    name = "tuoyu.facilities"
    label = "facilities"
    verbose_name = "Facilities"
