"""Per-client throttling of the portal's search and open-data pages (限流).

A fixed-window counter in the Django cache, keyed by scope, client IP
(:func:`tuoyu.core.network.client_ip`, proxies taken into account) and window number.
Rates are ``settings.TUOYU_PORTAL_THROTTLE`` — ``{"search": rate, "open_data": rate}``
where a rate is ``(requests, seconds)`` or the text ``"requests/seconds"`` (as read from
the environment variables ``TUOYU_PORTAL_SEARCH_RATE`` and ``TUOYU_PORTAL_OPEN_DATA_RATE``)
— with the defaults below; ``None``, ``""`` or ``"off"`` turns a scope off. Over the limit a client gets 429 with ``Retry-After``. With several server
processes the cache must be shared (e.g. Redis or the database cache) for the limit to
be global; with the default in-process cache it holds per process.
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from tuoyu.core.network import client_ip

DEFAULT_RATES = {"search": (120, 60), "open_data": (20, 60)}


def rate_for(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) allowed for ``scope``, or None when not throttled."""
    rates = {**DEFAULT_RATES, **getattr(settings, "TUOYU_PORTAL_THROTTLE", {})}
    rate = rates.get(scope)
    if isinstance(rate, str):
        if rate.strip().lower() in ("", "off", "0"):
            return None
        requests, _slash, seconds = rate.partition("/")
        return int(requests), int(seconds or 60)
    return tuple(rate) if rate else None


def hit(scope: str, ip: str) -> int | None:
    """Count one request of ``ip`` in ``scope``; return seconds to wait if over the limit, else None."""
    rate = rate_for(scope)
    if not rate:
        return None
    limit, period = rate
    now = int(time.time())
    window = now // period
    key = f"tuoyu:throttle:{scope}:{ip}:{window}"
    if cache.add(key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=period + 1)
            count = 1
    if count > limit:
        return max(period - (now % period), 1)
    return None


def throttled(scope: str):
    """Decorate a view so a client over the ``scope`` rate gets 429 Too Many Requests."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = hit(scope, client_ip(request) or "unknown")
            if wait is not None:
                response = HttpResponse(
                    _("请求过于频繁，请稍后再试。"), status=429, content_type="text/plain; charset=utf-8"
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
