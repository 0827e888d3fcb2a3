"""Cached search pages of the portal and the public API (检索结果缓存), keyed by a register version.

A search page costs most in reading every match of its filter: the count, and the order
over all matches before the page's 20 ids (ADR 0041). Both depend only on the register —
facilities, their services (fees, service types) and current enrolments (free places),
their sponsors, their operators' names and the divisions — so (ADR 0041, second round):

- the **register version** is made of opaque tokens in the shared cache; any write to
  those tables replaces tokens with new random ones (never an increment, so two
  concurrent writers can never leave the same token behind): ``post_save``,
  ``post_delete`` and ``m2m_changed`` signals of the models, plus every audit event of
  the facilities app (the services and the bulk import record one; the import writes in
  bulk, without model signals). Tokens are replaced at once *and* again when the
  writing transaction commits, so a request that read the old data before the commit can
  only have stored it under a token nobody asks for any more;
- the version is **scoped by province** (ADR 0041, fourth round): a search limited to a
  place reads the whole-register token (:data:`VERSION_KEY`) and its province's token
  (:data:`PROVINCE_KEY`); a search without a place reads the whole-register token and the
  national token (:data:`NATIONAL_KEY`). A write that belongs to known facilities (a
  facility, its services, enrolments or sponsors, or an audit event of one of them)
  replaces the tokens of their provinces — before and after the write, so a facility
  moved to another province leaves both — and the national token; so does a renamed
  organisation, for the provinces of the facilities it runs or sponsors (a new one is on
  no page yet). Any other write (divisions, a deleted organisation, the bulk import, a
  row that cannot be placed) replaces the whole-register token, which ends every kept
  page. So a child enrolled in Guangdong no longer ends the kept searches of the
  thirty other provinces;
- a page of results is kept as ``(count, ids)`` under the version, the normalised filters
  (``selectors.search_key``, also the ``search_key`` attribute of the queryset of
  ``public_facilities``), the page size and the page number; the public API list keeps
  its page's body (rows with the operator's name: organisation writes replace the
  version too). The portal's search page keeps its printed rows as well
  (name, place, provision model, places, free places, lowest fee, unfiled changes — all
  from the tables above) and their rendered table per language, so a repeated search
  page makes no database query.

A request reads the version *before* it reads the data; a write replaces it *after* its
data is committed. So once a write has returned, no request can be answered from an entry
made before it: no stale count is ever visible (tests/disclosure/test_search_cache.py).

Reference data (divisions' names and lists, populations) and what is rendered from it
(the search form's options and fields) are kept in each process instead, by
:class:`ProcessMemo`: they change only by migration.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import transaction

#: Cache key of the whole-register version token (every kept page depends on it).
VERSION_KEY = "disclosure:register-version"
#: Cache key of the token of searches without a place (replaced by every register write).
NATIONAL_KEY = "disclosure:register-version:national"
#: Cache key of a province's token (``{}``: the first two digits of its division code).
PROVINCE_KEY = "disclosure:register-version:province:{}"
#: Seconds a cached page is kept (it is unreachable anyway once the version changes).
SEARCH_CACHE_SECONDS = 3600
#: Prefix of the cache keys of pages.
PAGE_KEY_PREFIX = "disclosure:page:"


def _scope_key(place: str) -> str:
    """The token key of searches limited to division-code prefix ``place`` (``""``: none)."""
    province = str(place or "")[:2]
    if len(province) == 2 and province.isdigit():
        return PROVINCE_KEY.format(province)
    return NATIONAL_KEY


def register_version(place: str = "") -> str:
    """The register version of searches limited to division-code prefix ``place`` (2, 4 or
    6 digits; ``""`` for no place filter): the whole-register token and the token of the
    place's province (or the national token), joined. A token the cache lost is made anew.
    """
    keys = (VERSION_KEY, _scope_key(place))
    tokens = cache.get_many(keys)
    for key in keys:
        if tokens.get(key) is None:
            cache.add(key, uuid.uuid4().hex, None)
            tokens[key] = cache.get(key) or ""
    return "-".join(tokens[key] for key in keys)


def register_changed(provinces=None) -> None:
    """Replace version tokens so the kept pages they guard become unreachable.

    ``provinces``: None replaces the whole-register token (every kept page); an iterable of
    two-digit province prefixes replaces those provinces' tokens and the national token.
    """
    if provinces is None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        return
    keys = [NATIONAL_KEY, *(PROVINCE_KEY.format(p) for p in sorted(set(provinces)))]
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def register_written(using: str | None = None, provinces=None) -> None:
    """Replace the tokens of ``provinces`` (see :func:`register_changed`) now and again when
    the current transaction on ``using`` commits (at once when there is none)."""
    register_changed(provinces)
    transaction.on_commit(lambda: register_changed(provinces), using=using)


def page_key(version: str, search_key: tuple, per_page: int, number: int, kind: str = "ids") -> str:
    """Cache key of page ``number`` (1-based) of ``per_page`` rows of a search under
    ``version``; ``kind`` names what is kept (``ids``: the paginator's ids, ``page:<language>``:
    the search page's printed rows and their table)."""
    digest = hashlib.sha256(repr((kind, search_key, per_page, number)).encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}{version}:{digest}"


def page_get(key: str) -> tuple[int, list] | None:
    """``(count, items)`` kept under ``key``, or None (items: ids, rows, or a page's HTML)."""
    return cache.get(key)


def page_set(key: str, count: int, items) -> None:
    """Keep ``(count, items)`` under ``key`` for :data:`SEARCH_CACHE_SECONDS`; ``items``: a
    list of ids, or (rows, HTML of their table)."""
    cache.set(key, (count, items), SEARCH_CACHE_SECONDS)


# --- Whole pages for visitors without an account ------------------------------------------

#: Stands for the visitor's CSRF token in a kept page (the language form posts one).
CSRF_MARK = "\x00csrf-token\x00"
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def page_shareable(request) -> bool:
    """True when ``request``'s page may be served from, and kept for, every visitor: no
    account signed in (the navigation depends on the user) and no messages waiting to be
    shown (they are part of the page once)."""
    if request.user.is_authenticated:
        return False
    from django.contrib.messages import get_messages

    return len(get_messages(request)) == 0


def html_key(version: str, language: str, full_path: str) -> str:
    """Cache key of the page at ``full_path`` (path and query string as requested) in
    ``language`` under register ``version``."""
    digest = hashlib.sha256(repr(("html", language, full_path)).encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}{version}:{digest}"


def html_get(key: str, request) -> str | None:
    """The page kept under ``key`` with ``request``'s own CSRF token in place of
    :data:`CSRF_MARK` (which also sets the visitor's CSRF cookie, as rendering would), or
    None when nothing is kept."""
    html = cache.get(key)
    if html is None:
        return None
    from django.middleware.csrf import get_token

    return html.replace(CSRF_MARK, get_token(request))


def html_set(key: str, html: str) -> None:
    """Keep the page ``html`` under ``key`` for :data:`SEARCH_CACHE_SECONDS`, every CSRF
    token in it replaced by :data:`CSRF_MARK` (a token is never shared between visitors)."""
    cache.set(key, _CSRF_VALUE.sub(lambda m: m.group(1) + CSRF_MARK + m.group(3), html),
              SEARCH_CACHE_SECONDS)


# --- Kept in the process (reference data and what is rendered from it) -------------------


class ProcessMemo:
    """Values computed once and kept in this process (each worker keeps its own): at most
    ``size`` keys (None: no limit), the least recently used dropped first, each for
    ``seconds`` (None: until dropped). For reference data, which changes only by migration
    (ADR 0004), and for what is rendered from it (ADR 0041); never for register data,
    which has the shared cache and its version. :func:`process_memos_clear` forgets them all.
    """

    def __init__(self, *, size: int | None = None, seconds: float | None = None):
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        _MEMOS.append(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The kept value of ``key``, else ``compute()`` (called outside the lock), kept."""
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] > now:
                self._items.move_to_end(key)
                return hit[1]
        value = compute()
        expires = math.inf if self.seconds is None else now + self.seconds
        with self._lock:
            self._items[key] = (expires, value)
            self._items.move_to_end(key)
            while self.size is not None and len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every kept value."""
        with self._lock:
            self._items.clear()


_MEMOS: list[ProcessMemo] = []


def process_memos_clear() -> None:
    """Forget the values of every :class:`ProcessMemo` (after reference data changed)."""
    for memo in _MEMOS:
        memo.clear()


# --- Invalidation by signals (house style: signals only for cache invalidation) ---------


def _provinces_by(model, code_field: str, ids) -> set[str] | None:
    """Province prefixes (the first two digits of a GB/T 2260 code) of the rows ``ids`` of
    ``model``, read through ``code_field`` (``code`` of a division, ``division__code`` of a
    facility); None when an id is None or unknown, or a row has no code."""
    if None in ids:
        return None
    wanted = {int(i) for i in ids}
    codes = dict(model.objects.filter(pk__in=wanted).values_list("pk", code_field))
    if len(codes) != len(wanted) or None in codes.values():
        return None
    return {code[:2] for code in codes.values()}


def _provinces_of_divisions(ids) -> set[str] | None:
    """Province prefixes of the divisions ``ids``; None when one of them is unknown."""
    from tuoyu.reference.models import Division

    return _provinces_by(Division, "code", list(ids))


def _provinces_of_facilities(ids) -> set[str] | None:
    """Province prefixes of the facilities ``ids``; None when one of them is unknown."""
    from tuoyu.facilities.models import Facility

    return _provinces_by(Facility, "division__code", list(ids))


#: The field that places a row of each scoped model: a facility by its division, its
#: services and enrolments by their facility.
_PLACED_BY = {"Facility": "division_id", "FacilityService": "facility_id", "Enrolment": "facility_id"}


def _place_ids(sender, instance) -> list:
    """The division ids (facility) or facility ids (services, enrolments) that place
    ``instance`` now and, when it was saved before under another one, then."""
    field = _PLACED_BY[sender.__name__]
    return [getattr(instance, field), *getattr(instance, "_register_placed_before", ())]


def _provinces_of(sender, instance) -> set[str] | None:
    ids = _place_ids(sender, instance)
    if sender.__name__ == "Facility":
        return _provinces_of_divisions(ids)
    return _provinces_of_facilities(ids)


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember where a saved row was placed before (a move leaves its old province)."""
    field = _PLACED_BY[sender.__name__]
    instance._register_placed_before = ()
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and field.removesuffix("_id") not in update_fields and field not in update_fields:
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    if before is not None and before != getattr(instance, field):
        instance._register_placed_before = (before,)


def _on_write(sender, instance=None, using=None, **kwargs):
    """A write of a facility, service or enrolment ends the kept pages of its province(s)."""
    try:
        provinces = _provinces_of(sender, instance)
    except (KeyError, TypeError, ValueError):
        provinces = None
    register_written(using, provinces)


def _on_other_write(sender, using=None, **kwargs):
    """A write of a division, or the deletion of an organisation, ends every kept page."""
    register_written(using)


def _on_organization_save(sender, instance, created=False, using=None, **kwargs):
    """A new organisation is on no page yet; a changed one (a new name) ends the kept pages
    of the provinces of the facilities it runs or sponsors (none: nothing is ended)."""
    if created:
        return
    from django.db.models import Q

    from tuoyu.facilities.models import Facility

    codes = set(
        Facility.objects.filter(Q(operator=instance) | Q(sponsors=instance))
        .values_list("division__code", flat=True).distinct()
    )
    if codes:
        register_written(using, None if None in codes else {code[:2] for code in codes})


def _on_m2m(sender, instance=None, action="", reverse=False, pk_set=None, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from tuoyu.facilities.models import Facility

    provinces = None
    if isinstance(instance, Facility):
        provinces = _provinces_of_divisions([instance.division_id])
    elif pk_set:
        provinces = _provinces_of_facilities(pk_set)
    register_written(using, provinces)


def _on_audit(sender, instance, created=False, using=None, **kwargs):
    """An audit event of the facilities app (the bulk import and every registry service
    record one) ends the kept pages of the audited row's province, or every kept page when
    the row cannot be placed (the import, a deleted row)."""
    object_type = str(instance.object_type or "")
    if not created or not object_type.startswith("facilities."):
        return
    register_written(using, _audited_provinces(object_type, instance.object_id))


def _audited_provinces(object_type: str, object_id) -> set[str] | None:
    """Province prefixes of the facilities-app row ``object_type`` (``app.model``) with
    primary key ``object_id``: a facility's own, or its facility's for a row with a
    ``facility``; None when it cannot be placed."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
        pk = int(object_id)
    except (LookupError, TypeError, ValueError):
        return None
    if model.__name__ == "Facility":
        return _provinces_of_facilities([pk])
    if not any(f.name == "facility" for f in model._meta.get_fields()):
        return None
    facility_id = model._default_manager.filter(pk=pk).values_list("facility_id", flat=True).first()
    return _provinces_of_facilities([facility_id]) if facility_id is not None else None


def connect_signals() -> None:
    """Connect the invalidation handlers (called once from the app's ``ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from tuoyu.accounts.models import Organization
    from tuoyu.audit.models import AuditEvent
    from tuoyu.facilities.models import Enrolment, Facility, FacilityService
    from tuoyu.reference.models import Division

    for model in (Facility, FacilityService, Enrolment):
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"disclosure-version-pre-{model.__name__}")
        post_save.connect(_on_write, sender=model, dispatch_uid=f"disclosure-version-save-{model.__name__}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"disclosure-version-delete-{model.__name__}")
    post_save.connect(_on_other_write, sender=Division, dispatch_uid="disclosure-version-save-Division")
    post_save.connect(_on_organization_save, sender=Organization,
                      dispatch_uid="disclosure-version-save-Organization")
    for model in (Division, Organization):
        post_delete.connect(_on_other_write, sender=model,
                            dispatch_uid=f"disclosure-version-delete-{model.__name__}")
    m2m_changed.connect(_on_m2m, sender=Facility.sponsors.through, dispatch_uid="disclosure-version-sponsors")
    post_save.connect(_on_audit, sender=AuditEvent, dispatch_uid="disclosure-version-audit")
