"""Content negotiation of the API (响应格式协商).

DRF's default answers an unknown ``?format=`` with a bare 404, as if the resource did not
exist. Here an unknown format is a 406 with the API's error shape (API-009), naming the
formats the endpoint can give, like an ``Accept`` header that no renderer satisfies.
"""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNotAvailable(NotAcceptable):
    """``?format=<format>`` names no renderer of the endpoint; ``available``: its formats."""

    def __init__(self, *, requested: str, available: list[str]):
        super().__init__(detail=f"format={requested}")
        self.requested = requested
        self.available = available


class ApiContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that an unknown ``?format=`` raises :class:`FormatNotAvailable`
    (406, API-009) instead of Http404."""

    def filter_renderers(self, renderers, format):
        """The renderers of ``format``; raises FormatNotAvailable when there is none."""
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            raise FormatNotAvailable(
                requested=format, available=sorted({r.format for r in renderers if r.format})
            )
        return matching
