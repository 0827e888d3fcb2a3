"""Benchmark of the public portal: search page and public list latency, and throughput.

Usage (PostgreSQL only; the URL is the *admin* connection, e.g. the ``postgres`` database)::

    TUOYU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/portal.py [--facilities 126000] [--requests 200] [--seconds 20] [--keep]

What it does, all in one run:

1. creates a fresh database ``--database`` (default ``tuoyu_bench_portal``; dropped first if
   it exists) and migrates it (which loads the real reference data); with ``--reuse`` the
   kept database is only migrated (new migrations, e.g. the search index);
2. generates ``--facilities`` facilities with ``tuoyu.core.demo.demo_extend`` (employers,
   classes, staff, children; about 60 % filed), then ``VACUUM ANALYZE`` — skipped when the
   database is kept from an earlier run with ``--reuse``;
3. starts gunicorn (``--workers`` sync workers) on 127.0.0.1, with the per-client limits of
   production; requests come from :data:`CLIENTS` addresses in turn through one trusted
   proxy, so none is refused and each pays a visitor's throttle bookkeeping;
4. measures, each endpoint ``--requests`` times, interleaved so they share the same
   conditions, one request at a time on a fresh connection:

   - **baseline** — ``/portal/health/``, a minimal Django view of the same server;
   - **search** — ``/portal/facilities/?q=…&province=…`` (keyword + province, first page
     of 20, with the result count); request *i* uses pair *i* of :data:`MIX`, a fixed list
     of keyword × province pairs drawn with a fixed seed from :data:`KEYWORDS` and the 31
     provinces, so no single page is measured over and over;
   - **search_fixed** — the single query of earlier runs, ``q=托育中心&province=440000``,
     for comparison with them;
   - **list** — the public API list ``/api/v1/public/facilities/?q=…&province=…`` with
     the same pairs, when it answers 200, else the open-data JSON with the same filters;

   and reports the median and 95th percentile in ms and each median as a ratio to the
   baseline median (target ≤ 3×). Search pages are cached under a register version
   (``tuoyu.disclosure.cache``, ADR 0041), so the search and list are measured in passes,
   each against the baseline of its own pass: **cold** (server cache emptied, each of the
   100 pairs once: the first request of every key), **warm** (the same 100 pairs again:
   the pages as visitors are served them once someone has asked), and ``search``/``list``,
   a mix from an empty cache with each pair requested ``--requests`` / 100 times (twice
   by default) — half first requests, so its median lies between the two kinds;
   then, the cache warm, **one write** — a facility in Guangdong saved through the ORM, as an
   edit would — and the same pairs once more (**after_write**): kept pages are scoped by
   province (ADR 0041, fourth round), so only the pairs in Guangdong are answered cold;
5. requests per second of the search page (the same pairs, from an empty cache) at 16 concurrent clients
   (threads), each sending requests until ``--seconds`` have passed or ``--max-requests``
   were sent;
6. prints a JSON summary — ``targets`` gives each pass's ratio and whether it is within
   3× — and drops the database (unless ``--keep``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "tuoyu_bench_portal"
QUERY = f"q={quote('托育中心')}&province=440000"
BASELINE = "/portal/health/"
SEARCH_PAGE = "/portal/facilities/"
API_LIST_PAGE = "/api/v1/public/facilities/"
OPEN_DATA_PAGE = "/portal/open-data/register.json"
#: Keywords of the mix: generic words (many matches), name stems (a few per county),
#: a two-word query, a traditional-character spelling and one that matches nothing.
KEYWORDS = (
    "托育中心", "托育", "爱心托育园", "宝贝", "服务中心", "托育室", "园区托育点", "职工",
    "华兴", "康宁", "瑞丰", "嘉和", "恒达", "远航", "盛新", "悦晨", "光明", "金鼎",
    "托育 中心", "託育中心", "寶貝", "海润", "德润托育", "不存在的机构",
)
#: Province-level codes of the 31 mainland provinces.
PROVINCES = (
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000",
    "320000", "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000",
    "440000", "450000", "460000", "500000", "510000", "520000", "530000", "540000", "610000",
    "620000", "630000", "640000", "650000",
)
#: The latency target: a median at most this many times the minimal endpoint's.
TARGET = 3.0
#: Number of keyword × province pairs of the mix.
MIX_SIZE = 100


def _mix(seed: int = 20260501) -> list[str]:
    """Query strings of :data:`MIX_SIZE` keyword × province pairs, drawn with ``seed``."""
    import random

    rng = random.Random(seed)
    return [f"q={quote(rng.choice(KEYWORDS))}&province={rng.choice(PROVINCES)}" for _ in range(MIX_SIZE)]


MIX = _mix()


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def _bench_url(url: str, name: str = BENCH_DB) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


#: Client addresses the requests come from, in turn (see :func:`_env`).
CLIENTS = 512
_next_client = itertools.count()


def _client_address() -> str:
    """The next of :data:`CLIENTS` client addresses (``10.0.x.y``), round robin."""
    n = next(_next_client) % CLIENTS
    return f"10.0.{n // 250}.{n % 250 + 1}"


def _env(url: str, data_dir: str, name: str = BENCH_DB) -> dict:
    """The server's environment: the bench database and data directory, and the per-client
    limits of the portal and the API as in production (their defaults). The requests come
    through one trusted proxy from :data:`CLIENTS` addresses in turn (``X-Forwarded-For``),
    so no address reaches its limit and each request pays a visitor's throttle bookkeeping
    (one address sending thousands of requests a minute would be refused in production)."""
    env = dict(os.environ)
    for key in ("TUOYU_PORTAL_SEARCH_RATE", "TUOYU_PORTAL_OPEN_DATA_RATE", "TUOYU_API_PUBLIC_RATE",
                "TUOYU_API_ANON_RATE"):
        env.pop(key, None)
    env.update({
        "TUOYU_DATABASE_URL": _bench_url(url, name),
        "TUOYU_DATA_DIR": data_dir,
        "TUOYU_TRUSTED_PROXIES": "1",
        "DJANGO_SETTINGS_MODULE": "tuoyu.config.settings",
        "TUOYU_ALLOWED_HOSTS": "127.0.0.1,localhost",
    })
    return env


def _generate(count: int) -> None:
    """Child process: bulk-create ``count`` facilities in the bench database."""
    import django

    django.setup()
    from tuoyu.core.demo.bulk import demo_extend

    demo_extend(count=count, progress=True)


#: Province of the one write of the ``after_write`` pass (广东).
WRITE_PROVINCE = "44"


def _write_one(province: str) -> None:
    """Child process: save one filed facility of ``province`` (two-digit prefix) through the
    ORM, so the register version of that province changes as on any edit."""
    import django

    django.setup()
    from tuoyu.facilities.models import Facility

    facility = (Facility.objects.filter(filing_status="filed", division__code__startswith=province)
                .order_by("pk").first())
    if facility is None:
        raise SystemExit(f"no filed facility in province {province}")
    facility.save()


def _columns(conn, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name <> 'id' ORDER BY ordinal_position", (table,)
    ).fetchall()
    return [row[0] for row in rows]


def _replicate(conn, target: int) -> int:
    """Copy generated facilities in SQL until there are ``target``; returns the copies made.

    A copy keeps the original's fields (name, address, places, status…) but lies in a
    county drawn from the original's id and the round, and gets its own external id and
    receipt number; its services, current enrolments and sponsor links are copied too
    (what the search and list pages read). Staff, classes and documents are not copied.
    Used with ``--replicate-to`` when generating every facility would take too long.
    """
    have = conn.execute("SELECT count(*) FROM facilities_facility").fetchone()[0]
    base = conn.execute(
        "SELECT count(*) FROM facilities_facility WHERE source_system = 'demo-bulk' "
        "AND external_id NOT LIKE '%-r%'"
    ).fetchone()[0]
    need = max(target - have, 0)
    if base == 0:
        return 0
    if need:
        rounds = need // base + 1
        cols = _columns(conn, "facilities_facility")
        special = {
            "external_id": "f.external_id || '-r' || k",
            "receipt_number": "CASE WHEN f.receipt_number = '' THEN '' ELSE f.receipt_number || '-R' || k END",
            "division_id": "c.a[1 + ((f.id * 7919 + k * 104729) %% array_length(c.a, 1))]",
        }
        select = ", ".join(special.get(col, f"f.{col}") for col in cols)
        conn.execute(
            f"INSERT INTO facilities_facility ({', '.join(cols)}) "  # noqa: S608 - fixed names
            "WITH c AS (SELECT array_agg(id ORDER BY code) AS a FROM reference_division "
            "WHERE level = 'county' AND status = 'active' AND code < '710000') "
            f"SELECT {select} FROM facilities_facility f, c, generate_series(1, %s) AS k "
            "WHERE f.source_system = 'demo-bulk' AND f.external_id NOT LIKE '%%-r%%' "
            "ORDER BY k, f.id LIMIT %s", (rounds, need),
        )
    conn.execute("ANALYZE facilities_facility")
    # Copies without their services yet (resumable): original id by the external id.
    conn.execute(
        "CREATE TEMP TABLE clone_map AS SELECT n.id AS new_id, o.id AS old_id "
        "FROM facilities_facility n JOIN facilities_facility o "
        "ON o.external_id = split_part(n.external_id, '-r', 1) "
        "WHERE n.source_system = 'demo-bulk' AND n.external_id LIKE '%-r%' "
        "AND o.source_system = 'demo-bulk' AND o.external_id NOT LIKE '%-r%' "
        "AND NOT EXISTS (SELECT 1 FROM facilities_facilityservice s WHERE s.facility_id = n.id)"
    )
    conn.execute("CREATE INDEX ON clone_map (old_id)")
    conn.execute("ANALYZE clone_map")
    for table, where in (("facilities_facilityservice", ""),
                         ("facilities_enrolment", " AND t.left_on IS NULL"),
                         ("facilities_facility_sponsors", "")):
        cols = [col for col in _columns(conn, table) if col != "facility_id"]
        conn.execute(
            f"INSERT INTO {table} (facility_id, {', '.join(cols)}) "  # noqa: S608 - fixed names
            f"SELECT m.new_id, {', '.join('t.' + col for col in cols)} FROM {table} t "
            f"JOIN clone_map m ON m.old_id = t.facility_id WHERE true{where}"
        )
    conn.execute("DROP TABLE clone_map")
    return need


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, float]:
    """Status and milliseconds of one GET of ``url`` from the next client address."""
    request = urllib.request.Request(url, headers={"X-Forwarded-For": _client_address()})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, (time.perf_counter() - start) * 1000


def _wait_ready(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(base + BASELINE)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def _clear_cache(data_dir: str, cache_url: str = "") -> None:
    """Empty the server's cache — the Redis database of ``cache_url`` when given, else the
    file cache of ``data_dir`` — (register version, cached pages, throttle counters): the
    next request of every search is cold. Each worker's kept reference reads stay (ADR 0041)."""
    if cache_url:
        import redis

        redis.Redis.from_url(cache_url).flushdb()
    shutil.rmtree(Path(data_dir) / "cache", ignore_errors=True)


def _latencies(base: str, paths: dict[str, list[str]], n: int, warm_up: bool = True) -> dict[str, list[float]]:
    """Milliseconds of ``n`` requests per endpoint, interleaved; request ``i`` of an endpoint
    uses path ``i`` (cyclically) of its list. With ``warm_up``, three requests each first
    (not counted); without, one request of the baseline per worker's worth (not counted)."""
    result: dict[str, list[float]] = {name: [] for name in paths}
    for choices in paths.values() if warm_up else ([BASELINE] * 4,):  # warm-up
        for path in choices[-3:] if warm_up else choices:
            _get(base + path)
    for i in range(n):
        for name, choices in paths.items():
            path = choices[i % len(choices)]
            status, ms = _get(base + path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            result[name].append(ms)
    return result


def _throughput(urls: list[str], clients: int, seconds: float, max_requests: int) -> dict:
    done: list[int] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop:
            with lock:
                sent = len(done) + len(errors)
                if sent >= max_requests:
                    return
            status, _ms = _get(urls[sent % len(urls)])
            with lock:
                (done if status == 200 else errors).append(status)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {"clients": clients, "requests": len(done), "errors": len(errors),
            "seconds": round(elapsed, 2), "requests_per_second": round(len(done) / elapsed, 1)}


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2), "n": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=126_000)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per endpoint")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="time bound of the throughput run")
    parser.add_argument("--max-requests", type=int, default=20_000, help="count bound of the throughput run")
    parser.add_argument("--workers", type=int, default=max(os.cpu_count() or 2, 2))
    parser.add_argument("--replicate-to", type=int, default=0,
                        help="after generating, copy facilities in SQL up to this many (see _replicate)")
    parser.add_argument("--database", default=BENCH_DB, help="name of the benchmark database")
    parser.add_argument("--cache-url", default="",
                        help="the server's shared cache (TUOYU_CACHE_URL), e.g. redis://127.0.0.1:6379/5 "
                             "— a Redis database of its own: the bench empties it; default: the file cache")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database as it is")
    parser.add_argument("--child-generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-write", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_generate:
        _generate(args.child_generate)
        return
    if args.child_write:
        _write_one(args.child_write)
        return

    admin_url = os.environ.get("TUOYU_DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "set TUOYU_DATABASE_URL to a PostgreSQL admin URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    name = args.database
    if not name.replace("_", "").isalnum():
        raise SystemExit("--database: letters, digits and _ only")
    data_dir = tempfile.mkdtemp(prefix="tuoyu-bench-portal-")
    env = _env(admin_url, data_dir, name)
    env.pop("TUOYU_CACHE_URL", None)
    if args.cache_url:
        env["TUOYU_CACHE_URL"] = args.cache_url
    timings: dict[str, float] = {}
    if not args.reuse:
        with _admin(admin_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tuoyu", "migrate", "-v", "0"], env=env, check=True)
    timings["migrate_s"] = round(time.perf_counter() - start, 1)
    if not args.reuse:
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child-generate", str(args.facilities)],
                       env=env, check=True)
        timings["generate_s"] = round(time.perf_counter() - start, 1)
    if args.replicate_to:
        start = time.perf_counter()
        with _admin(_bench_url(admin_url, name)) as conn:
            timings["replicated"] = _replicate(conn, args.replicate_to)
        timings["replicate_s"] = round(time.perf_counter() - start, 1)
    if not args.reuse or args.replicate_to:
        with _admin(_bench_url(admin_url, name)) as conn:
            conn.execute("VACUUM ANALYZE")
    with _admin(_bench_url(admin_url, name)) as conn:
        counts = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE filing_status = 'filed') FROM facilities_facility"
        ).fetchone()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tuoyu.config.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--log-level", "warning"],
        env=env, cwd=str(REPO),
    )
    try:
        _wait_ready(base)
        list_page = API_LIST_PAGE if _get(f"{base}{API_LIST_PAGE}?{QUERY}")[0] == 200 else OPEN_DATA_PAGE
        searches = [f"{SEARCH_PAGE}?{query}" for query in MIX]
        lists = [f"{list_page}?{query}" for query in MIX]
        # Cold: the cache emptied (no register version, no cached page), every pair once —
        # the first request of each search and list key. Warm: the same pairs again.
        _clear_cache(data_dir, args.cache_url)
        cold = _latencies(base, {"baseline": [BASELINE], "search": searches, "list": lists},
                          len(MIX), warm_up=False)
        warm = _latencies(base, {"baseline": [BASELINE], "search": searches, "list": lists},
                          len(MIX), warm_up=False)
        # One write in one province, then the same pairs again: only that province's are cold.
        subprocess.run([sys.executable, __file__, "--child-write", WRITE_PROVINCE], env=env, check=True)
        after_write = _latencies(base, {"baseline": [BASELINE], "search": searches, "list": lists},
                                 len(MIX), warm_up=False)
        # The headline mix: every pair requested ``--requests`` / 100 times (twice by
        # default), starting from an empty cache, as the pairs come.
        _clear_cache(data_dir, args.cache_url)
        raw = _latencies(base, {
            "baseline": [BASELINE], "search": searches,
            "search_fixed": [f"{SEARCH_PAGE}?{QUERY}"],
            "list": lists,
        }, args.requests, warm_up=False)
        figures = {key: _summary(values) for key, values in raw.items()}
        passes = (("cold", cold), ("warm", warm), ("after_write", after_write))
        for label, part in passes:
            for key in ("search", "list"):
                figures[f"{key}_{label}"] = _summary(part[key])
            figures[f"baseline_{label}"] = _summary(part["baseline"])
        for key in figures:
            if key.startswith(("search", "list")):
                label = next((name for name, _part in passes if key.endswith("_" + name)), "")
                base_key = f"baseline_{label}" if label else "baseline"
                figures[key]["ratio_to_baseline"] = round(
                    figures[key]["median_ms"] / figures[base_key]["median_ms"], 2
                )
        _clear_cache(data_dir, args.cache_url)
        throughput = _throughput([base + path for path in searches], args.clients, args.seconds,
                                 args.max_requests)
        baseline_throughput = _throughput([base + BASELINE], args.clients, min(args.seconds, 10),
                                          args.max_requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    in_province = sum(1 for query in MIX if f"province={WRITE_PROVINCE}" in query)
    # Each figure against the target (median ≤ 3× the minimal endpoint of the same pass).
    targets = {
        f"{key}_{label}": {"ratio": figures[f"{key}_{label}" if label else key]["ratio_to_baseline"],
                           "within_3x": figures[f"{key}_{label}" if label else key]["ratio_to_baseline"] <= TARGET}
        for key in ("search", "list") for label in ("warm", "after_write", "", "cold")
    }
    report = {
        "facilities": counts[0], "filed": counts[1], "workers": args.workers,
        "cache": "redis" if args.cache_url else "file",
        "after_write": f"one facility saved in province {WRITE_PROVINCE}0000; "
                       f"{in_province} of the {len(MIX)} pairs search there",
        "cpus": os.cpu_count(), "search_path": f"{SEARCH_PAGE}?{MIX[0]} (+{len(MIX) - 1} more pairs)",
        "search_fixed_path": f"{SEARCH_PAGE}?{QUERY}", "list_path": list_page, **timings,
        "latency": figures, "targets": {k.rstrip("_"): v for k, v in targets.items()},
        "search_throughput": throughput,
        "baseline_throughput": baseline_throughput,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if not args.keep:
        with _admin(admin_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
