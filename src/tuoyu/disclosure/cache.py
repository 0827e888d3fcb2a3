"""Cached search pages of the portal and the public API (检索结果缓存), keyed by a register version.

A search page costs most in reading every match of its filter: the count, and the order
over all matches before the page's 20 ids (ADR 0041). Both depend only on the register —
facilities, their services (fees, service types) and current enrolments (free places),
their sponsors, their operators' names and the divisions — so (ADR 0041, second round):

- the **register version** is an opaque token in the shared cache (:data:`VERSION_KEY`);
  any write to those tables replaces it with a new random token (never an increment, so
  two concurrent writers can never leave the same token behind): ``post_save``,
  ``post_delete`` and ``m2m_changed`` signals of the models, plus every audit event of
  the facilities app (the services and the bulk import record one; the import writes in
  bulk, without model signals). The token is replaced at once *and* again when the
  writing transaction commits, so a request that read the old data before the commit can
  only have stored it under a token nobody asks for any more;
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

#: Cache key of the register version token.
VERSION_KEY = "disclosure:register-version"
#: Seconds a cached page is kept (it is unreachable anyway once the version changes).
SEARCH_CACHE_SECONDS = 3600
#: Prefix of the cache keys of pages.
PAGE_KEY_PREFIX = "disclosure:page:"


def register_version() -> str:
    """The current register version token (a new one is made when the cache lost it)."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY) or ""
    return token


def register_changed() -> None:
    """Replace the register version token: every cached page becomes unreachable."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def register_written(using: str | None = None) -> None:
    """Replace the version now and again when the current transaction on ``using`` commits
    (at once when there is none)."""
    register_changed()
    transaction.on_commit(register_changed, using=using)


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


def _on_write(sender, using=None, **kwargs):
    register_written(using)


def _on_m2m(sender, action, using=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        register_written(using)


def _on_audit(sender, instance, created=False, using=None, **kwargs):
    if created and str(instance.object_type or "").startswith("facilities."):
        register_written(using)


def connect_signals() -> None:
    """Connect the invalidation handlers (called once from the app's ``ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from tuoyu.accounts.models import Organization
    from tuoyu.audit.models import AuditEvent
    from tuoyu.facilities.models import Enrolment, Facility, FacilityService
    from tuoyu.reference.models import Division

    for model in (Facility, FacilityService, Enrolment, Division, Organization):
        post_save.connect(_on_write, sender=model, dispatch_uid=f"disclosure-version-save-{model.__name__}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"disclosure-version-delete-{model.__name__}")
    m2m_changed.connect(_on_m2m, sender=Facility.sponsors.through, dispatch_uid="disclosure-version-sponsors")
    post_save.connect(_on_audit, sender=AuditEvent, dispatch_uid="disclosure-version-audit")
