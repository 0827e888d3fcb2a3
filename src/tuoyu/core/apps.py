from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks: base model, errors, workflow, dates, ages, money, text."""

    name = "tuoyu.core"
    label = "core"
