from django.apps import AppConfig


class StandardsConfig(AppConfig):
    """The rule table (规则表): the national setting standard and related rules as versioned data."""

    name = "tuoyu.standards"
    label = "standards"
    verbose_name = "Standards"
