"""Authentication of API requests: ``Authorization: Token <key>`` and the session.

Session requests are checked for CSRF (DRF's ``SessionAuthentication``); token requests
are not (a token is not sent by the browser on its own).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from tuoyu.api.errors import API_TOKEN_INVALID
from tuoyu.api.models import ApiToken
from tuoyu.api.services import token_hash
from tuoyu.core.errors import message_for

#: ``last_used_at`` is written at most this often per token (one UPDATE a minute at most).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` against :class:`~tuoyu.api.models.ApiToken`.

    Returns ``(user, token)``; ``None`` when the header is absent or names another scheme.
    Raises AuthenticationFailed (API-002) for a malformed, unknown or revoked token or an
    inactive user.
    """

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(message_for(API_TOKEN_INVALID), code=API_TOKEN_INVALID)
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                message_for(API_TOKEN_INVALID), code=API_TOKEN_INVALID
            ) from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(message_for(API_TOKEN_INVALID), code=API_TOKEN_INVALID)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        """The ``WWW-Authenticate`` challenge, so unauthenticated requests get 401."""
        return self.keyword
