"""The database-level append-only guard of the audit tables (审计日志只增不改).

The models refuse updates and deletes in Python (:mod:`tuoyu.audit.models`); migration
``0002`` adds database triggers so that raw SQL cannot change or delete a row either:

- PostgreSQL: a ``BEFORE UPDATE OR DELETE ... FOR EACH ROW`` trigger that raises. A
  ``TRUNCATE`` (used by Django's ``flush`` in tests) fires no row trigger; it needs table
  ownership, which the application's database role should not have in production.
- SQLite: a ``BEFORE UPDATE`` trigger that always aborts, and a ``BEFORE DELETE`` trigger
  that aborts unless the SQL function ``tuoyu_audit_locked()`` returns 0. That function is
  registered on each of the application's SQLite connections and returns 0 only inside
  :func:`purge_allowed` in the same thread, which the ``flush`` command (emptying the
  whole database, as tests do) uses. Any other connection (e.g. the ``sqlite3`` shell) has
  no such function, so its deletes fail too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Tables guarded by the triggers.
AUDIT_TABLES = ("audit_auditevent", "audit_dataaccessevent")
#: The error text the triggers raise.
APPEND_ONLY_MESSAGE = "audit records are append-only"

_state = threading.local()


@contextmanager
def purge_allowed() -> Iterator[None]:
    """Within this block (this thread only), SQLite lets whole audit rows be deleted.

    For emptying the entire database (``flush``); never for removing single events.
    """
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def audit_locked() -> int:
    """1 while audit rows are protected (always, except inside :func:`purge_allowed`), else 0."""
    return 0 if getattr(_state, "depth", 0) > 0 else 1


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: add ``tuoyu_audit_locked()`` to each SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("tuoyu_audit_locked", 0, audit_locked)
