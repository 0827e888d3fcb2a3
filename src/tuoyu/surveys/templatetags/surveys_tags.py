"""Template tags of the surveys app."""

from django import template

from tuoyu.surveys import permissions as perms

register = template.Library()


@register.simple_tag
def can_manage_surveys(user) -> bool:
    """True when ``user`` manages the surveys of some employer (navigation link)."""
    return perms.can_create_survey(user)
