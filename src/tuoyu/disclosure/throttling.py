"""Per-client throttling (限流): the one rate-limit mechanism of the public pages.

A fixed-window counter in the Django cache, keyed by scope, client (usually the client
IP, :func:`tuoyu.core.network.client_ip`, proxies taken into account) and window number.
The portal's scopes take their rates from ``settings.TUOYU_PORTAL_THROTTLE`` —
``{"search": rate, "open_data": rate, "complaint": rate}`` where a rate is
``(requests, seconds)`` or the text ``"requests/seconds"`` (as read from the environment
variables ``TUOYU_PORTAL_SEARCH_RATE``, ``TUOYU_PORTAL_OPEN_DATA_RATE`` and
``TUOYU_COMPLAINT_RATE``) — with the defaults below; ``None``, ``""`` or ``"off"`` turns a
scope off. Over the limit a client gets 429 with ``Retry-After``. Other limits (survey
open links, publicity objections) read their own settings with :func:`parse_rate` and
pass the rate to :func:`hit` and :func:`reached`. With several server processes the cache
must be shared (e.g. Redis or the database cache) for the limit to be global; with the
default in-process cache it holds per process.
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
#: Marks "the portal rate of the scope" as :func:`hit`'s default (None means no limit).
_PORTAL = object()


def parse_rate(rate, *, default_seconds: int = 60) -> tuple[int, int] | None:
    """``(requests, seconds)`` from a rate setting, or None when it turns the limit off.

    ``rate``: a ``(requests, seconds)`` pair, the text ``"requests/seconds"`` (``"requests"``
    alone means per ``default_seconds``), or ``None``/``""``/``"off"``/``"0"`` for no limit.
    """
    if isinstance(rate, str):
        if rate.strip().lower() in ("", "off", "0"):
            return None
        requests, _slash, seconds = rate.partition("/")
        return int(requests), int(seconds or default_seconds)
    return tuple(rate) if rate else None


def rate_for(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) allowed for portal ``scope``, or None when not throttled."""
    rates = {**DEFAULT_RATES, **getattr(settings, "TUOYU_PORTAL_THROTTLE", {})}
    return parse_rate(rates.get(scope))


def _key(scope: str, client: str, period: int, now: int) -> str:
    return f"tuoyu:throttle:{scope}:{client}:{now // period}"


def hit(scope: str, client: str, *, rate=_PORTAL) -> int | None:
    """Count one request of ``client`` (an IP, or any other key) in ``scope``.

    ``rate``: ``(requests, seconds)``, or None for no limit; by default the portal rate of
    ``scope`` (:func:`rate_for`). Returns the seconds to wait (for ``Retry-After``) when this
    request is over the limit, else None.
    """
    if rate is _PORTAL:
        rate = rate_for(scope)
    if not rate:
        return None
    limit, period = rate
    now = int(time.time())
    key = _key(scope, client, period, now)
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


def reached(scope: str, client: str, *, rate) -> int | None:
    """Without counting: the seconds to wait when ``client`` has used up ``rate``
    (``(requests, seconds)``, or None for no limit) in ``scope``, else None.

    For limits that count only some outcomes (e.g. accepted answers): check with this
    before the work, count with :func:`hit` afterwards.
    """
    if not rate:
        return None
    limit, period = rate
    now = int(time.time())
    count = cache.get(_key(scope, client, period, now)) or 0
    return max(period - (now % period), 1) if count >= limit else None


def too_many_requests(wait: int) -> HttpResponse:
    """The plain 429 Too Many Requests answer, with ``Retry-After: wait`` (seconds)."""
    response = HttpResponse(_("请求过于频繁，请稍后再试。"), status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def over_limit(request, scope: str) -> HttpResponse | None:
    """Count ``request`` against its client's portal ``scope`` rate; the 429 answer when
    it is over the limit, else None."""
    wait = hit(scope, client_ip(request) or "unknown")
    return None if wait is None else too_many_requests(wait)


def throttled(scope: str):
    """Decorate a view so a client over the ``scope`` rate gets 429 Too Many Requests."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limited = over_limit(request, scope)
            if limited is not None:
                return limited
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
