"""A simple brute-force guard for sign-in (登录失败次数限制).

Failed sign-ins are counted in the cache per (username, client IP). After
``TUOYU_LOGIN_MAX_FAILURES`` failures (default 5) within ``TUOYU_LOGIN_LOCK_MINUTES``
(default 15) further attempts for that pair are refused until the window passes; a
successful sign-in clears the count. With the default local-memory cache the count is per
process; configure a shared cache (e.g. Redis) when running several processes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def max_failures() -> int:
    """Failures allowed before the pair is locked (setting ``TUOYU_LOGIN_MAX_FAILURES``)."""
    return int(getattr(settings, "TUOYU_LOGIN_MAX_FAILURES", 5))


def lock_minutes() -> int:
    """Length of the counting window and of the lock, in minutes (``TUOYU_LOGIN_LOCK_MINUTES``)."""
    return int(getattr(settings, "TUOYU_LOGIN_LOCK_MINUTES", 15))


def client_ip(request) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or the X-Forwarded-For entry added by the
    outermost of ``TRUSTED_PROXIES`` trusted reverse proxies."""
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or ""


def _key(request, username: str) -> str:
    raw = f"{(username or '').strip().casefold()}|{client_ip(request)}"
    return "tuoyu:login-fail:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def is_locked(request, username: str) -> bool:
    """True when this username has failed too often from this client recently."""
    return int(cache.get(_key(request, username), 0)) >= max_failures()


def record_failure(request, username: str) -> int:
    """Count one failed sign-in; return the count in the current window."""
    key = _key(request, username)
    if cache.add(key, 1, timeout=lock_minutes() * 60):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=lock_minutes() * 60)
        return 1


def clear_failures(request, username: str) -> None:
    """Forget the failures of this username from this client (after a successful sign-in)."""
    cache.delete(_key(request, username))
