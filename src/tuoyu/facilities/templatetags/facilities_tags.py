"""Template tags of the facilities pages: the navigation a user's roles call for."""

from __future__ import annotations

from django import template

from tuoyu.facilities import permissions as perms

register = template.Library()


@register.simple_tag
def facility_nav(user) -> dict[str, bool]:
    """Which navigation entries ``user`` gets: my facilities, filing queue, admin site.

    Returns ``{"facilities": bool, "own": bool, "queue": bool, "admin": bool}``; ``own``
    is True for employer admins and facility operators (the list is "my facilities"),
    False for officials (the list is "facilities in my jurisdiction").
    """
    if not getattr(user, "is_authenticated", False):
        return {"facilities": False, "own": False, "queue": False, "admin": False}
    own = perms.can_create_facility(user)
    official = perms.in_jurisdiction_any(user)
    return {
        "facilities": own or official,
        "own": own,
        "queue": perms.can_see_queue(user),
        "admin": bool(user.is_staff),
    }


@register.filter
def status_class(status: str) -> str:
    """A CSS class for a filing status badge (``status-filed`` …)."""
    return f"status status-{status}"


@register.simple_tag
def export_url(fmt: str, querystring: str = "") -> str:
    """The export download URL for ``fmt`` (csv/xlsx) with the list's filters, or ``""``.

    Empty when the export URLs are not installed in the project's URL configuration.
    """
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("facility_export:download", args=[fmt])
    except NoReverseMatch:
        return ""
    return f"{url}?{querystring}" if querystring else url
