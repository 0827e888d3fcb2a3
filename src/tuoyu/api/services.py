"""Writes of the API app: create and revoke API tokens (接口令牌).

Services take keyword-only arguments with a required ``actor``, run in one transaction and
record an audit event. The clear token is returned once by :func:`api_token_create` and
never stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tuoyu.accounts.permissions import can_manage_users
from tuoyu.api.models import ApiToken
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_INVALID, DomainError

#: Prefix of every token, so secret scanners can recognise a leaked one.
TOKEN_PREFIX = "ty_"  # noqa: S105 (a public marker, not a secret)


def token_hash(key: str) -> str:
    """The stored form of a token: hex SHA-256 of its UTF-8 bytes (64 characters)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A newly created token: the saved row and the clear ``key`` (shown once)."""

    token: ApiToken
    key: str


def _may_manage(actor, user) -> bool:
    return actor is None or actor.pk == user.pk or can_manage_users(actor)


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> IssuedToken:
    """Create an API token named ``name`` for ``user``; return it with the clear key.

    ``actor`` is the user themself, a user manager (platform admin) or ``None`` (command
    line). The key is ``ty_`` + 40 URL-safe characters (240 bits). Raises GEN-002 when
    ``actor`` may not manage ``user``'s tokens, GEN-004 when ``name`` is blank or longer
    than 100 characters.
    """
    if not _may_manage(actor, user):
        raise DomainError(GEN_FORBIDDEN)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(GEN_INVALID, params={"detail": "name"}, field="name")
    key = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken(user=user, name=name, prefix=key[:8], key_hash=token_hash(key))
    token.full_clean()
    token.save()
    audit_record(
        actor=actor, action="api.token.create", obj=token,
        after=snapshot(token, ["user", "name", "prefix"]),
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (idempotent: an already revoked token keeps its first date).

    Raises GEN-002 when ``actor`` may not manage the token's user.
    """
    if not _may_manage(actor, token.user):
        raise DomainError(GEN_FORBIDDEN)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="api.token.revoke", obj=token,
            after=snapshot(token, ["user", "name", "prefix", "revoked_at"]),
        )
    return token
