"""Reads of the API app: a user's own API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from tuoyu.api.models import ApiToken


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """``user``'s tokens, active first, newest first (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-revoked_at", "-created_at", "-id")
