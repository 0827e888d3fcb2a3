"""Cache backends of the platform (缓存).

The embedded default keeps the shared cache as files in the data directory (settings,
``CACHES``): every server process of one machine sees the same entries (login lock-outs,
throttles, the portal's register version and cached search pages, ADR 0041). Redis
(``TUOYU_CACHE_URL``) replaces it for several machines.
"""

from __future__ import annotations

import itertools
import pickle
import threading
import time
import zlib

from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

#: One write in this many lists the cache directory to see whether entries must be dropped.
CULL_CHECK_EVERY = 50


class FileCache(FileBasedCache):
    """Django's file cache, checking the number of entries on one write in
    :data:`CULL_CHECK_EVERY` instead of on every write.

    Django's ``FileBasedCache`` lists the whole cache directory before each ``set`` to
    decide whether to drop entries; with a few thousand cached search pages that listing
    was 4.5 ms of each 4.9 ms write, paid by every search that missed the cache
    (bench/portal.py, ADR 0041 third round). Checking on every 50th write of a process
    lets the directory exceed ``MAX_ENTRIES`` by at most 50 entries per server process
    between checks; when a check finds too many, Django's rule applies unchanged (a random
    ``1 / CULL_FREQUENCY`` of the entries is deleted). Reads, expiry and the file format
    are Django's.
    """

    def __init__(self, dir, params):  # noqa: A002 - Django's signature
        super().__init__(dir, params)
        self._writes = itertools.count(1)
        self._writes_lock = threading.Lock()

    def _cull(self):
        """Drop entries as Django does, but only on every :data:`CULL_CHECK_EVERY`-th write."""
        with self._writes_lock:
            due = next(self._writes) % CULL_CHECK_EVERY == 0
        if due:
            super()._cull()

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` to the number kept under ``key`` and return the new number, in place
        under an exclusive file lock, as Django's own ``touch`` rewrites an entry.

        Django's file cache increments by reading the entry and writing a new file over it:
        two processes can both read 5 and both write 6, and replacing the file cost about
        0.2 ms on this disk — on every request of a throttled page, whose per-client
        counters are increments (``disclosure.throttling``, bench/portal.py, ADR 0041 fourth
        round). Here the entry keeps its file and expiry and no increment is lost.
        Raises ValueError when ``key`` is missing or expired (Django's contract).
        """
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    expiry = pickle.load(f)  # noqa: S301 - the cache's own files, read as Django reads them
                    if expiry is not None and expiry < time.time():
                        raise EOFError
                    value = pickle.loads(zlib.decompress(f.read())) + delta  # noqa: S301
                    # One write: a reader that does not lock (Django's ``get``) sees the old
                    # entry or the new one, at worst followed by the old tail, which
                    # ``zlib.decompress`` ignores.
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol)
                            + zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
                    return value
                finally:
                    locks.unlock(f)
        except (FileNotFoundError, EOFError):
            raise ValueError(f"Key '{key}' not found") from None
