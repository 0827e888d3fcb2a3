"""App configuration of the REST API's shared layer."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The ``tuoyu.api`` app: API tokens and the shared REST machinery."""

    name = "tuoyu.api"
    label = "api"
    verbose_name = _("接口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the token scheme with drf-spectacular."""
        from tuoyu.api import schema  # noqa: F401
