"""Paging of public search results (分页): the page's ids and the count in one query,
then the page's rows by primary key.

The search's order (relevance, name, fee — always ending with ``id``) is decided over
every match. Joining the operator and the division and computing free places and the
lowest fee for every match only to keep 20 of them, and reading the matches a second
time for the count, was most of the search's database time at 126,000 facilities. So a
page first selects the ids of its rows with ``count(*) OVER ()`` (filter, order, offset,
limit — no joins, no per-facility subqueries), then loads those rows with everything
(ADR 0041). Rows, order and count are those of Django's paginator; a page beyond the
last falls back to it (a count query, then Django's errors).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window


class PublicFacilityPaginator(Paginator):
    """A :class:`~django.core.paginator.Paginator` of a queryset from
    :func:`tuoyu.disclosure.selectors.public_facilities` (ordered with ``id`` last) that
    loads a page as ids plus count first, then full rows. Pages, counts and errors are
    Django's."""

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
            if wanted >= 1:
                bottom = (wanted - 1) * self.per_page
                pairs = list(
                    self.object_list.annotate(_total=Window(Count("pk")))
                    .values_list("pk", "_total")[bottom : bottom + self.per_page]
                )
                if pairs:
                    self.__dict__["count"] = pairs[0][1]
                    return self._get_page(self._rows([pk for pk, _total in pairs]),
                                          self.validate_number(wanted), self)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(list(self.object_list.values_list("pk", flat=True)[bottom:top])),
                              number, self)

    @staticmethod
    def _rows(ids):
        from tuoyu.disclosure.selectors import public_facility_rows

        return public_facility_rows(ids)
