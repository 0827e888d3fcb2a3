"""The client's address behind reverse proxies (客户端地址).

``settings.TRUSTED_PROXIES`` is the number of reverse proxies in front of the app. Each
proxy appends the address it received the request from to ``X-Forwarded-For``, so with
*n* trusted proxies the client is the *n*-th entry from the right: the right-most entry
that no trusted proxy of ours could have written. Entries further left were supplied by
the client itself and are never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """Return the client's IP address for ``request`` as a string ("" when unknown).

    With ``TRUSTED_PROXIES = 0`` it is ``REMOTE_ADDR``. With *n* > 0 it is the *n*-th
    ``X-Forwarded-For`` entry from the right; when the header holds fewer entries than
    that (a request that bypassed a proxy) or the entry is not an IP address,
    ``REMOTE_ADDR`` is used.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = int(getattr(settings, "TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < trusted:
        return remote
    return _valid(entries[-trusted]) or remote
