from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    """Reference data (参考数据): divisions, industries, organisation categories, populations, calendar."""

    name = "tuoyu.reference"
    label = "reference"
    verbose_name = _("参考数据")
