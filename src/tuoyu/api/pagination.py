"""Stable page-number pagination (分页) of every API list.

Each list view orders its queryset by its sort key(s) and the primary key last, so a
row never appears on two pages nor on none while the data does not change.
"""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class StablePagination(PageNumberPagination):
    """``?page=N&page_size=M`` (default 50, at most 200).

    Response: ``{"count": int, "next": url|null, "previous": url|null, "results": [...]}``.
    A page beyond the last is a 404 (API-004). The queryset must be ordered with a unique
    last key (``"id"``); :meth:`paginate_queryset` adds it when missing.
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
