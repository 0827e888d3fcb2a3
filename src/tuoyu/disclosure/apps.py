"""App configuration of the public disclosure portal (信息公示)."""

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """The public portal: search, facility pages, figures, tile map and open data."""

    name = "tuoyu.disclosure"
    verbose_name = "信息公示"

    def ready(self):
        """Connect the search cache's invalidation signals (``disclosure.cache``)."""
        from tuoyu.disclosure.cache import connect_signals

        connect_signals()
