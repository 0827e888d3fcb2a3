"""Template tags of the officers' demand view (navigation)."""

from django import template

from tuoyu.surveys.demand import can_view_demand as _can_view_demand

register = template.Library()


@register.simple_tag
def can_view_demand(user) -> bool:
    """True when ``user`` may open the demand page (``view_demand`` with a jurisdiction)."""
    return _can_view_demand(user)
