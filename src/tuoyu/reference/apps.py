from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """Reference data (参考数据): divisions, industries, organisation categories, populations, calendar."""

    name = "tuoyu.reference"
    label = "reference"
    verbose_name = "Reference data"
