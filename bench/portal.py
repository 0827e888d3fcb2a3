"""Benchmark of the public portal: search page and public list latency, and throughput.

Usage (PostgreSQL only; the URL is the *admin* connection, e.g. the ``postgres`` database)::

    TUOYU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/portal.py [--facilities 126000] [--requests 200] [--seconds 20] [--keep]

What it does, all in one run:

1. creates a fresh database ``tuoyu_bench_portal`` (dropped first if it exists) and
   migrates it (which loads the real reference data);
2. generates ``--facilities`` facilities with ``tuoyu.core.demo.demo_extend`` (employers,
   classes, staff, children; about 60 % filed), then ``VACUUM ANALYZE`` — skipped when the
   database is kept from an earlier run with ``--reuse``;
3. starts gunicorn (``--workers`` sync workers, throttling off) on 127.0.0.1;
4. measures, each endpoint ``--requests`` times, interleaved so they share the same
   conditions, one request at a time on a fresh connection:

   - **baseline** — ``/portal/health/``, a minimal Django view of the same server;
   - **search** — ``/portal/facilities/?q=托育中心&province=440000`` (keyword + province,
     first page of 20, with the result count);
   - **list** — the public API list ``/api/v1/public/facilities/?q=托育中心&province=440000``
     when it answers 200, else the open-data JSON with the same filters;

   and reports the median and 95th percentile in ms and each median as a ratio to the
   baseline median (target ≤ 3×);
5. requests per second of the search page at 16 concurrent clients (threads), each
   sending requests until ``--seconds`` have passed or ``--max-requests`` were sent;
6. prints a JSON summary and drops the database (unless ``--keep``).
"""

from __future__ import annotations

import argparse
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
SEARCH = f"/portal/facilities/?{QUERY}"
BASELINE = "/portal/health/"
API_LIST = f"/api/v1/public/facilities/?{QUERY}"
OPEN_DATA = f"/portal/open-data/register.json?{QUERY}"


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def _bench_url(url: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{BENCH_DB}"


def _env(url: str, data_dir: str) -> dict:
    env = dict(os.environ)
    env.update({
        "TUOYU_DATABASE_URL": _bench_url(url),
        "TUOYU_DATA_DIR": data_dir,
        "TUOYU_PORTAL_SEARCH_RATE": "off",
        "TUOYU_PORTAL_OPEN_DATA_RATE": "off",
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
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


def _latencies(base: str, paths: dict[str, str], n: int) -> dict[str, list[float]]:
    result: dict[str, list[float]] = {name: [] for name in paths}
    for path in paths.values():  # warm-up
        for _ in range(3):
            _get(base + path)
    for _ in range(n):
        for name, path in paths.items():
            status, ms = _get(base + path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            result[name].append(ms)
    return result


def _throughput(url: str, clients: int, seconds: float, max_requests: int) -> dict:
    done: list[int] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop:
            with lock:
                if len(done) + len(errors) >= max_requests:
                    return
            status, _ms = _get(url)
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
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database as it is")
    parser.add_argument("--child-generate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_generate:
        _generate(args.child_generate)
        return

    admin_url = os.environ.get("TUOYU_DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "set TUOYU_DATABASE_URL to a PostgreSQL admin URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    data_dir = tempfile.mkdtemp(prefix="tuoyu-bench-portal-")
    env = _env(admin_url, data_dir)
    timings: dict[str, float] = {}
    if not args.reuse:
        with _admin(admin_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tuoyu", "migrate", "-v", "0"], env=env, check=True)
        timings["migrate_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child-generate", str(args.facilities)],
                       env=env, check=True)
        timings["generate_s"] = round(time.perf_counter() - start, 1)
        with _admin(_bench_url(admin_url)) as conn:
            conn.execute("VACUUM ANALYZE")
    with _admin(_bench_url(admin_url)) as conn:
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
        list_path = API_LIST if _get(base + API_LIST)[0] == 200 else OPEN_DATA
        raw = _latencies(base, {"baseline": BASELINE, "search": SEARCH, "list": list_path},
                         args.requests)
        figures = {name: _summary(values) for name, values in raw.items()}
        for name in ("search", "list"):
            figures[name]["ratio_to_baseline"] = round(
                figures[name]["median_ms"] / figures["baseline"]["median_ms"], 2
            )
        throughput = _throughput(base + SEARCH, args.clients, args.seconds, args.max_requests)
        baseline_throughput = _throughput(base + BASELINE, args.clients, min(args.seconds, 10),
                                          args.max_requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    report = {
        "facilities": counts[0], "filed": counts[1], "workers": args.workers,
        "cpus": os.cpu_count(), "search_path": SEARCH, "list_path": list_path, **timings,
        "latency": figures, "search_throughput": throughput,
        "baseline_throughput": baseline_throughput,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if not args.keep:
        with _admin(admin_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
