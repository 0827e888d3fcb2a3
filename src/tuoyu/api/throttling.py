"""Throttles of the API: per client for anonymous and public requests.

The client is identified by its address as DRF computes it: the ``NUM_PROXIES`` setting
(from ``TUOYU_TRUSTED_PROXIES``) says how many proxies' ``X-Forwarded-For`` entries to trust.
Rates are in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class PublicRateThrottle(SimpleRateThrottle):
    """Rate ``public`` per client address, for everyone (signed in or not), on the public mirror."""

    scope = "public"

    def get_cache_key(self, request, view):
        """One bucket per client address."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


__all__ = ["AnonRateThrottle", "PublicRateThrottle"]
