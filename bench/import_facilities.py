"""Benchmark of the facility import against a row-by-row ORM import and a raw COPY.

Usage (PostgreSQL only; the URL is the *admin* connection, e.g. the ``postgres`` database)::

    TUOYU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/import_facilities.py [--rows 100000] [--sample 5000] [--keep]

What it does, all in one run:

1. creates a fresh database ``tuoyu_bench`` (dropped first if it exists) and migrates it
   (which loads the real reference data);
2. writes a CSV of ``--rows`` facilities in the import template: real county codes in
   use (GB/T 2260), valid unified social credit codes (one operator per five
   facilities), real industry codes, Chinese names and addresses;
3. measures, each in its own subprocess so peak memory is measured separately
   (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of that process, which includes
   Python and Django themselves):

   a. **ours** — ``tuoyu.facilities.importing.facilities_import`` on the whole file
      (checks, organisations, facilities, sponsors, fees, one audit event), then the same
      file once more (every row unchanged, nothing written but the audit event);
   b. **row-by-row ORM** — a plain import, one row at a time with ``get`` /
      ``get_or_create`` / ``update_or_create`` in autocommit, timed on the first
      ``--sample`` rows only (it is too slow for the whole file) and reported as rows/s;
   c. **COPY** — the same rows parsed and mapped with dict look-ups and written with
      PostgreSQL ``COPY`` into the organisation and facility tables: the ceiling.

   The facility and organisation tables are emptied between measurements.
4. prints rows/s, seconds and peak memory for each and the ratios, then drops the
   database (unless ``--keep``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "src" / "tuoyu" / "reference" / "data"
BENCH_DB = "tuoyu_bench"
HEADERS = [
    "记录类型",
    "外部编号",
    "机构名称",
    "运营单位统一社会信用代码",
    "运营单位名称",
    "运营单位行业代码",
    "举办模式",
    "服务形式",
    "全日托月收费（元）",
    "地址",
    "所在县（区）代码",
    "建筑面积（㎡）",
    "户外活动面积（㎡）",
    "婴幼儿生活用房所在楼层",
    "场地性质",
    "开办日期",
    "乳儿班托位",
    "托小班托位",
    "托大班托位",
    "联系电话",
]
MODELS = [
    "用人单位自建",
    "园区集中托育",
    "用人单位+第三方服务",
    "幼儿园托班",
    "医育结合",
    "多单位联合举办",
]
MODEL_VALUES = dict(
    zip(
        MODELS,
        ["employer_built", "park", "third_party", "kindergarten", "medical", "joint"],
        strict=True,
    )
)
TENURES = {"自有": "owned", "租赁": "leased"}
BRANDS = ["爱心", "阳光", "启航", "春苗", "彩虹", "童心", "暖阳", "小树", "星光", "蒲公英"]


# -- data generation ------------------------------------------------------------------


def county_codes() -> list[tuple[str, str]]:
    """Active county-level codes with their province names, from the shipped GB/T 2260 file."""
    with (DATA / "areacodes-history.csv").open(encoding="utf-8-sig") as fh:
        return [
            (row["代码"], (row["一级行政区"] or "") + (row["名称"] or ""))
            for row in csv.DictReader(fh)
            if row["级别"] == "县级" and row["状态"] == "在用"
        ]


def industry_codes() -> list[str]:
    """Two-digit industry divisions (大类) of GB/T 4754-2017 from the shipped file."""
    with (DATA / "gbt4754-2017.csv").open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        next(reader)
        return [row[0] for row in reader if len(row[0]) == 2 and row[0].isdigit()]


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    """Write ``rows`` facilities to ``path`` (UTF-8 with BOM, as Excel saves "CSV UTF-8")."""
    from stdnum.cn import uscc

    rng = random.Random(seed)
    counties = county_codes()
    industries = industry_codes() or ["65"]
    operators = []
    for i in range(max(rows // 5, 1)):
        code, place = rng.choice(counties)
        body = f"91{code}{i:09d}".replace("I", "1")
        operators.append(
            (
                body + uscc.calc_check_digit(body),
                code,
                place,
                f"{place}{rng.choice(BRANDS)}科技有限公司{i}",
            )
        )
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for n in range(rows):
            credit, code, place, org_name = operators[n % len(operators)]
            writer.writerow(
                [
                    "机构",
                    f"BENCH-{n:07d}",
                    f"{place}{rng.choice(BRANDS)}托育中心{n}号",
                    credit,
                    org_name,
                    rng.choice(industries),
                    rng.choice(MODELS),
                    "全日托",
                    rng.choice(["2800", "3200", "4500"]),
                    f"{place}幸福路{n % 999 + 1}号",
                    code,
                    f"{rng.randint(300, 3000)}.5",
                    str(rng.randint(60, 900)),
                    str(rng.choice([1, 1, 1, 2])),
                    rng.choice(list(TENURES)),
                    f"20{rng.randint(15, 25)}-0{rng.randint(1, 9)}-01",
                    str(rng.choice([0, 10, 20])),
                    str(rng.choice([15, 30])),
                    str(rng.choice([20, 40])),
                    f"010-{rng.randint(60000000, 69999999)}",
                ]
            )


# -- the three importers (run in child processes) -------------------------------------


def child_ours(path: str, _sample: int) -> dict:
    from tuoyu.facilities.importing import facilities_import

    started = time.perf_counter()
    report = facilities_import(path, actor=None)
    seconds = time.perf_counter() - started
    if report.errors:
        raise SystemExit(f"import failed: {report.errors[:3]}")
    return {"rows": report.rows, "seconds": seconds, "created": report.facilities.created}


def _read(path: str, limit: int | None = None):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for i, row in enumerate(reader):
            if limit is not None and i >= limit:
                return
            yield row


def child_orm(path: str, sample: int) -> dict:
    """A plain import: each row on its own, the way a first version is usually written."""
    from decimal import Decimal

    from tuoyu.accounts.models import Organization
    from tuoyu.core.identifiers import validate_credit_code
    from tuoyu.core.text import normalize_search
    from tuoyu.facilities.models import Facility, FacilityService
    from tuoyu.reference.models import Division, Industry

    rows = list(_read(path, sample))
    started = time.perf_counter()
    for row in rows:
        division = Division.objects.get(
            code=row["所在县（区）代码"], status="active", level="county"
        )
        credit = validate_credit_code(row["运营单位统一社会信用代码"])
        operator, _ = Organization.objects.get_or_create(
            credit_code=credit,
            defaults={
                "kind": "employer",
                "name": row["运营单位名称"],
                "division": division,
                "industry": Industry.objects.get(code=row["运营单位行业代码"]),
            },
        )
        facility, _ = Facility.objects.update_or_create(
            source_system="",
            external_id=row["外部编号"],
            defaults={
                "name": row["机构名称"],
                "name_search": normalize_search(row["机构名称"]),
                "operator": operator,
                "provision_model": MODEL_VALUES[row["举办模式"]],
                "address": row["地址"],
                "division": division,
                "building_area": Decimal(row["建筑面积（㎡）"]),
                "outdoor_area": Decimal(row["户外活动面积（㎡）"]),
                "children_floor": int(row["婴幼儿生活用房所在楼层"]),
                "premises_tenure": TENURES[row["场地性质"]],
                "opening_date": row["开办日期"],
                "places_infant": int(row["乳儿班托位"]),
                "places_toddler": int(row["托小班托位"]),
                "places_older": int(row["托大班托位"]),
                "contact_phone": row["联系电话"],
            },
        )
        facility.sponsors.add(operator)
        FacilityService.objects.update_or_create(
            facility=facility,
            service_type="full_day",
            defaults={"monthly_fee": Decimal(row["全日托月收费（元）"])},
        )
    return {"rows": len(rows), "seconds": time.perf_counter() - started}


def _copy_values(model, provided: dict, now) -> tuple[list[str], list]:
    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.attname in provided:
            values.append(provided[f.attname])
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values.append(now)
        else:
            default = f.get_default()
            values.append(default if default is not None or f.null else "")
    return columns, values


def child_copy(path: str, _sample: int) -> dict:
    """COPY of the same rows (parsed and mapped with dict look-ups): the ceiling."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from tuoyu.accounts.models import Organization
    from tuoyu.core.text import normalize_search
    from tuoyu.facilities.models import Facility
    from tuoyu.reference.models import Division

    started = time.perf_counter()
    now = timezone.now()
    divisions = dict(
        Division.objects.filter(status="active", level="county").values_list("code", "id")
    )
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        orgs: dict[str, int] = {}
        seen: set[str] = set()
        org_rows = []
        for row in _read(path):
            code = row["运营单位统一社会信用代码"]
            if code not in seen:
                seen.add(code)
                org_rows.append(
                    _copy_values(
                        Organization,
                        {
                            "kind": "employer",
                            "name": row["运营单位名称"],
                            "name_search": normalize_search(row["运营单位名称"]),
                            "credit_code": code,
                            "division_id": divisions[row["所在县（区）代码"]],
                            "industry_id": row["运营单位行业代码"],
                            "parent_id": None,
                        },
                        now,
                    )
                )
        columns = org_rows[0][0]
        with cursor.copy(
            f"COPY {Organization._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for _, values in org_rows:
                copy.write_row(values)
        del org_rows
        cursor.execute(
            f"SELECT credit_code, id FROM {Organization._meta.db_table} WHERE credit_code IS NOT NULL"
        )
        orgs = dict(cursor.fetchall())
        columns = None
        copy_cm = None
        for row in _read(path):
            cols, values = _copy_values(
                Facility,
                {
                    "name": row["机构名称"],
                    "name_search": normalize_search(row["机构名称"]),
                    "operator_id": orgs[row["运营单位统一社会信用代码"]],
                    "provision_model": MODEL_VALUES[row["举办模式"]],
                    "address": row["地址"],
                    "division_id": divisions[row["所在县（区）代码"]],
                    "building_area": Decimal(row["建筑面积（㎡）"]),
                    "outdoor_area": Decimal(row["户外活动面积（㎡）"]),
                    "children_floor": int(row["婴幼儿生活用房所在楼层"]),
                    "premises_tenure": TENURES[row["场地性质"]],
                    "opening_date": row["开办日期"],
                    "places_infant": int(row["乳儿班托位"]),
                    "places_toddler": int(row["托小班托位"]),
                    "places_older": int(row["托大班托位"]),
                    "contact_phone": row["联系电话"],
                    "source_system": "",
                    "external_id": row["外部编号"],
                    "lease_start": None,
                    "lease_end": None,
                    "filed_on": None,
                },
                now,
            )
            if copy_cm is None:
                columns = cols
                copy_cm = cursor.copy(
                    f"COPY {Facility._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                )
                copy = copy_cm.__enter__()
            copy.write_row(values)
            rows += 1
        if copy_cm is not None:
            copy_cm.__exit__(None, None, None)
    return {"rows": rows, "seconds": time.perf_counter() - started}


CHILDREN = {"ours": child_ours, "orm": child_orm, "copy": child_copy}


def run_child(mode: str, path: str, sample: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuoyu.config.settings")
    import django

    django.setup()
    result = CHILDREN[mode](path, sample)
    # ru_maxrss is in KiB on Linux.
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


# -- the driver -----------------------------------------------------------------------


def _admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def _bench_url(url: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{BENCH_DB}"


def _measure(mode: str, path: Path, sample: int, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--file", str(path), "--sample", str(sample)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"{mode} failed")
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def _reset(url: str) -> None:
    """Empty the facility tables and the organisations (the audit log is left alone)."""
    with _admin(url) as conn:
        conn.execute("TRUNCATE facilities_facility RESTART IDENTITY CASCADE")
        conn.execute("DELETE FROM accounts_organization")
        conn.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--sample", type=int, default=5_000, help="rows for the row-by-row ORM import"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the CSV")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.file, args.sample)
        return

    admin_url = os.environ.get("TUOYU_DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "set TUOYU_DATABASE_URL to a PostgreSQL admin URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    bench_url = _bench_url(admin_url)
    with _admin(admin_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    workdir = Path(tempfile.mkdtemp(prefix="tuoyu-bench-"))
    env = dict(os.environ, TUOYU_DATABASE_URL=bench_url, TUOYU_DATA_DIR=str(workdir / "data"))
    try:
        print(f"migrating {BENCH_DB} …", flush=True)
        subprocess.run([sys.executable, "-m", "tuoyu", "migrate", "-v0"], env=env, check=True)
        csv_path = workdir / "facilities.csv"
        started = time.perf_counter()
        generate(csv_path, args.rows)
        print(
            f"generated {args.rows:,} facilities in {time.perf_counter() - started:.1f} s "
            f"({csv_path.stat().st_size / 1e6:.1f} MB)",
            flush=True,
        )
        _reset(bench_url)
        ours = _measure("ours", csv_path, args.sample, env)
        again = _measure("ours", csv_path, args.sample, env)
        _reset(bench_url)
        orm = _measure("orm", csv_path, args.sample, env)
        _reset(bench_url)
        copy = _measure("copy", csv_path, args.sample, env)
        _reset(bench_url)
    finally:
        if not args.keep:
            with _admin(admin_url) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            for p in sorted(workdir.rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            workdir.rmdir()

    def rate(r):
        return r["rows"] / r["seconds"]

    print()
    print(f"{'import':<34}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}")
    for label, r in [
        ("ours (bulk, checked, one tx)", ours),
        ("ours, same file again (unchanged)", again),
        (f"row-by-row ORM (sample {orm['rows']:,})", orm),
        ("raw COPY (ceiling)", copy),
    ]:
        print(
            f"{label:<34}{r['rows']:>9,}{r['seconds']:>10.2f}{rate(r):>10,.0f}{r['maxrss_mb']:>10.0f}"
        )
    print()
    print(f"ours / row-by-row ORM: {rate(ours) / rate(orm):.1f}x   (target >= 10x)")
    print(f"ours / COPY:           {rate(ours) / rate(copy):.2f}   (COPY is the ceiling)")
    print(f"ours rows/s:           {rate(ours):,.0f}   (target >= 5,000)")
    print(f"ours peak memory:      {ours['maxrss_mb']:.0f} MB   (target <= 400 MB)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine:               {os.cpu_count()} CPUs, load average {load} (1/5/15 min)")


if __name__ == "__main__":
    main()
