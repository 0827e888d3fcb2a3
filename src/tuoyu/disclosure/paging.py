"""Paging of public search results (分页): the page's ids and the count in one query,
then the page's rows by primary key.

The search's order (relevance, name, fee — always ending with ``id``) is decided over
every match. Joining the operator and the division and computing free places and the
lowest fee for every match only to keep 20 of them, and reading the matches a second
time for the count, was most of the search's database time at 126,000 facilities. So a
page first selects the ids of its rows with ``count(*) OVER ()`` (filter, order, offset,
limit — no joins, no per-facility subqueries), then loads those rows with everything
(ADR 0041). The count and the ids of a page are kept in the cache under the register
version (``disclosure.cache``); the rows are always read fresh. Rows, order and count are those of Django's paginator; a page beyond the
last falls back to it (a count query, then Django's errors).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Window

from tuoyu.disclosure.cache import page_get, page_key, page_set, register_version

#: Largest row offset asked of the database (SQLite and PostgreSQL take 64-bit offsets).
MAX_OFFSET = 2**62


def cached_page(items: list, number: int, per_page: int, count: int) -> Page:
    """Page ``number`` (1-based) of ``per_page`` rows holding ``items``, out of ``count``
    results: a page kept in the cache (``disclosure.cache``), rebuilt without a query."""
    paginator = Paginator([], per_page)
    paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return Page(items, number, paginator)


class PublicFacilityPaginator(Paginator):
    """A :class:`~django.core.paginator.Paginator` of a queryset from
    :func:`tuoyu.disclosure.selectors.public_facilities` (ordered with ``id`` last) that
    loads a page as ids plus count first, then full rows. Pages, counts and errors are
    Django's. With :attr:`cache_pages`, a page's count and ids are kept under the register
    version (``disclosure.cache``)."""

    #: Keep pages' counts and ids in the cache (the search page keeps its own rows instead).
    cache_pages = True

    def get_page(self, number):
        """Like Django's: page ``number``, page 1 for a non-number, the last page beyond it
        (without a count query when the page has rows)."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number):
        """The page ``number`` (1-based); raises ``InvalidPage`` subclasses like Django's."""
        if "count" not in self.__dict__ and not self.orphans:
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 0
            # A page whose first row lies beyond any count the database can hold (the
            # offset must fit a 64-bit integer) takes Django's path: a count, then EmptyPage.
            if wanted >= 1 and (wanted - 1) * self.per_page < MAX_OFFSET:
                key = self._cache_key(wanted)
                hit = page_get(key) if key else None
                if hit is not None:
                    self.__dict__["count"], ids = hit
                    return self._get_page(self._rows(ids), self.validate_number(wanted), self)
                bottom = (wanted - 1) * self.per_page
                pairs = list(
                    self.object_list.annotate(_total=Window(Count("pk")))
                    .values_list("pk", "_total")[bottom : bottom + self.per_page]
                )
                if pairs:
                    self.__dict__["count"] = pairs[0][1]
                    ids = [pk for pk, _total in pairs]
                    if key:
                        page_set(key, pairs[0][1], ids)
                    return self._get_page(self._rows(ids), self.validate_number(wanted), self)
                if wanted == 1 and key:
                    # No match at all: page 1 is empty and the count is 0 (cached too).
                    self.__dict__["count"] = 0
                    page_set(key, 0, [])
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(list(self.object_list.values_list("pk", flat=True)[bottom:top])),
                              number, self)

    def _cache_key(self, number: int) -> str:
        """The cache key of page ``number`` (``""`` when the queryset has no ``search_key``)."""
        search_key = getattr(self.object_list, "search_key", None)
        if search_key is None or not self.cache_pages:
            return ""
        # search_key[2] is the searched place's division-code prefix (selectors.search_key).
        return page_key(register_version(search_key[2]), search_key, self.per_page, number)

    @staticmethod
    def _rows(ids):
        from tuoyu.disclosure.selectors import public_facility_rows

        return public_facility_rows(ids)


class PublicFacilityValuesPaginator(PublicFacilityPaginator):
    """A :class:`PublicFacilityPaginator` whose pages hold the plain tuples of
    :func:`tuoyu.disclosure.selectors.public_facility_values` instead of facilities (the
    portal's search page prints nothing else)."""

    @staticmethod
    def _rows(ids):
        from tuoyu.disclosure.selectors import public_facility_values

        return public_facility_values(ids)
