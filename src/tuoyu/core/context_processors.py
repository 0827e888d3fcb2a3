"""Template context shared by every page."""

from django.conf import settings


def platform(request):
    """Add ``platform_name`` and ``languages`` to every template context."""
    return {"platform_name": "Tuoyu 托育", "languages": settings.LANGUAGES}
