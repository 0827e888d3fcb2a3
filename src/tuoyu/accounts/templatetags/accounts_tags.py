"""Template filters over the permission predicates: ``{% load accounts_tags %}``."""

from django import template

from tuoyu.accounts import permissions

register = template.Library()


@register.filter
def has_capability(user, capability: str) -> bool:
    """``{% if user|has_capability:"view_audit" %}`` — :func:`permissions.has_capability`."""
    return permissions.has_capability(user, capability)


@register.filter
def has_role(user, role: str) -> bool:
    """``{% if user|has_role:"health_officer" %}`` — :func:`permissions.has_role`."""
    return permissions.has_role(user, role)
