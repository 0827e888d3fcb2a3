"""Throttles of the API: per client for anonymous and public requests.

The client is identified by its address as DRF computes it: the ``NUM_PROXIES`` setting
(from ``TUOYU_TRUSTED_PROXIES``) says how many proxies' ``X-Forwarded-For`` entries to trust.
Rates are in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``.

The public mirror counts with the portal's fixed-window counter
(:func:`tuoyu.disclosure.throttling.hit`): one cache increment a request. DRF's own
throttle keeps each client's list of request times and writes the whole list back on
every request, which was most of the cost of a repeated public list request (ADR 0041,
fourth round). A fixed window lets a client send up to twice the rate across the edge of
two windows; the portal's pages have always counted this way.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from tuoyu.disclosure.throttling import hit


class PublicRateThrottle(SimpleRateThrottle):
    """Rate ``public`` per client address, for everyone (signed in or not), on the public
    mirror; counted per fixed window of the rate's period (``120/minute``: per clock minute)."""

    scope = "public"

    def allow_request(self, request, view) -> bool:
        """Count the request in its client's window (one bucket per client address);
        False when it is over the rate."""
        self._wait = None
        if self.rate is None:
            return True
        self._wait = hit("api-public", self.get_ident(request),
                         rate=(self.num_requests, self.duration))
        return self._wait is None

    def wait(self):
        """Seconds until the client's window ends (for ``Retry-After``), when refused."""
        return self._wait


__all__ = ["AnonRateThrottle", "PublicRateThrottle"]
