"""Template tags of the facilities pages: the navigation a user's roles call for."""

from __future__ import annotations

from django import template

from tuoyu.facilities import permissions as perms
from tuoyu.facilities.workflow import FILING_ACTION_LABELS

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
    """The export download URL for ``fmt`` (``csv`` or ``xlsx``) with the list's query string."""
    from django.urls import reverse

    url = reverse("facility_export:download", args=[fmt])
    return f"{url}?{querystring}" if querystring else url


@register.filter
def filing_action_label(action: str) -> str:
    """The translated label of a filing action code (``submit`` → 提交备案); unknown codes as is."""
    return str(FILING_ACTION_LABELS.get(action, action))


@register.filter
def place_name(division, with_prefecture: bool = True) -> str:
    """A county's place name: province, prefecture and county, space-separated.

    The prefecture is left out when it is blank, repeats the province, or is a placeholder
    such as ``直辖`` / ``省直辖县级行政区划`` (districts of 北京/上海/天津/重庆 and counties
    directly under a province): ``北京市 海淀区``, ``河南省 郑州市 中原区``.
    ``with_prefecture=False`` gives province and county only.
    """
    if division is None:
        return ""
    province = getattr(division, "province_name", "") or ""
    prefecture = getattr(division, "prefecture_name", "") or ""
    parts = [province]
    if with_prefecture and prefecture and prefecture != province and "直辖" not in prefecture:
        parts.append(prefecture)
    parts.append(getattr(division, "name", "") or "")
    return " ".join(p for p in parts if p)
