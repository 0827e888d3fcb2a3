"""Stable page-number pagination (分页) of every API list.

Each list view orders its queryset by its sort key(s) and the primary key last, so a
row never appears on two pages nor on none while the data does not change.
"""

from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination

#: How much of a malformed page value is echoed back in the error's ``details``.
ECHO_LIMIT = 50


class InvalidPageNumber(exceptions.APIException):
    """``?page=`` is not a page number (``0``, ``-1``, ``abc``, ``1.5``): a 400 API-013
    naming the parameter (see :func:`tuoyu.api.exceptions.api_exception_handler`).

    ``param`` is the query parameter's name, ``value`` what was sent (cut to
    :data:`ECHO_LIMIT` characters)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_page"

    def __init__(self, param: str, value: str) -> None:
        self.param = param
        self.value = value[:ECHO_LIMIT]
        super().__init__(f"invalid {param}: {self.value!r}")


def page_number_sent(value: str) -> int | None:
    """The page number a query value names: an ``int`` ≥ 1 when ``value`` is decimal
    digits (what ``int()`` reads; ``"²"`` is a digit but no number), else None (``"0"``,
    ``"-1"``, ``"1.5"``, ``"abc"``, ``""``). ``last`` is the caller's to handle."""
    if not value.isdecimal():
        return None
    number = int(value)
    return number if number >= 1 else None


class StablePagination(PageNumberPagination):
    """``?page=N&page_size=M`` (default 50, at most 200).

    Response: ``{"count": int, "next": url|null, "previous": url|null, "results": [...]}``.
    ``page`` is a whole number from 1 (or ``last``; absent or empty is 1): anything else
    (``0``, a negative number, a fraction, text) is a 400 API-013 naming the parameter;
    a well-formed page beyond the last is a 404 (API-004). The queryset must be ordered
    with a unique last key (``"id"``); :meth:`paginate_queryset` adds it when missing.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        """Paginate, first making the order total by appending ``pk`` if needed."""
        ordering = list(getattr(queryset, "query", None) and queryset.query.order_by or ())
        if hasattr(queryset, "order_by") and not any(
            o.lstrip("-") in ("pk", "id") for o in ordering if isinstance(o, str)
        ):
            queryset = queryset.order_by(*(ordering or queryset.model._meta.ordering or []), "pk")
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        """The requested page: ``int`` for ``last`` or no page, else the digits sent.

        Raises :class:`InvalidPageNumber` unless the value is a page number
        (:func:`page_number_sent`)."""
        number = super().get_page_number(request, paginator)
        if isinstance(number, int):
            return number
        if page_number_sent(number) is None:
            raise InvalidPageNumber(self.page_query_param, number)
        return number

    def get_schema_operation_parameters(self, view):
        """DRF's ``page``/``page_size`` parameters, ``page`` documented as starting at 1."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
                parameter["description"] = (
                    "A page number from 1 (or `last`). Not a whole number from 1: 400 "
                    "API-013; beyond the last page: 404 API-004."
                )
        return parameters
