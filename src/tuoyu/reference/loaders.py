"""Loading the shipped reference data files into the database (idempotent).

Each loader reads one file from ``tuoyu/reference/data/`` and upserts its rows; running a
loader twice changes nothing. Used by the data migration and by ``tuoyu load_reference``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

_LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
_STATUS = {"在用": "active", "变更": "changed", "弃用": "retired"}
_SUCCESSOR = re.compile(r"^(\d{6})(?:\[(\d{4})\])?$")


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def parse_successors(text: str) -> list[dict[str, int | str | None]]:
    """Parse the ``新代码`` column: ``"370211;370282[2012]"`` → ``[{"code": …, "year": …}, …]``."""
    result: list[dict[str, int | str | None]] = []
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        m = _SUCCESSOR.match(part)
        if m:
            result.append({"code": m.group(1), "year": int(m.group(2)) if m.group(2) else None})
    return result


def load_divisions(Division) -> int:  # noqa: N803 - model class passed by migrations
    """Upsert every row of ``areacodes-history.csv`` into ``Division``; return the row count."""
    rows = _read("areacodes-history.csv")
    existing = {(d.code, d.valid_from): d for d in Division.objects.all()}
    to_create, to_update = [], []
    for r in rows:
        values = {
            "name": r["名称"],
            "level": _LEVELS[r["级别"]],
            "status": _STATUS[r["状态"]],
            "province_name": r["一级行政区"],
            "prefecture_name": r["二级行政区"],
            "valid_to": int(r["变更/弃用时间"]) if r["变更/弃用时间"] else None,
            "successors": parse_successors(r["新代码"]),
        }
        key = (r["代码"], int(r["启用时间"]))
        obj = existing.get(key)
        if obj is None:
            to_create.append(Division(code=key[0], valid_from=key[1], **values))
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            to_update.append(obj)
    Division.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Division.objects.bulk_update(to_update, list(values), batch_size=1000)
    return len(rows)


def load_industries(Industry) -> int:  # noqa: N803
    """Upsert GB/T 4754-2017 rows into ``Industry`` (parents first); return the row count."""
    rows = _read("gbt4754-2017.csv")
    for r in rows:
        Industry.objects.update_or_create(
            code=r["code"],
            defaults={"name": r["name"], "level": r["level"], "parent_id": r["parent"] or None},
        )
    return len(rows)


def load_populations(Population) -> int:  # noqa: N803
    """Upsert the 2020 census province populations; return the row count."""
    rows = _read("census2020-provinces.csv")
    source = "第七次全国人口普查公报（第三号）表3-1，2021-05-11"
    for r in rows:
        Population.objects.update_or_create(
            division_code=r["division_code"], year=2020,
            defaults={"population": int(r["population_2020"]), "source": source},
        )
    return len(rows)


def load_organization_categories(OrganizationCategory) -> int:  # noqa: N803
    """Upsert credit-code department/category prefixes; return the row count."""
    rows = _read("organization-categories.csv")
    for r in rows:
        OrganizationCategory.objects.update_or_create(
            code=r["code"],
            defaults={
                "department_code": r["department_code"],
                "department_name": r["department_name"],
                "name": r["name"],
            },
        )
    return len(rows)


def load_all(apps=None) -> dict[str, int]:
    """Load every reference file. ``apps`` is a migration app registry (None = live models)."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    get = apps.get_model
    return {
        "divisions": load_divisions(get("reference", "Division")),
        "industries": load_industries(get("reference", "Industry")),
        "populations": load_populations(get("reference", "Population")),
        "organization_categories": load_organization_categories(
            get("reference", "OrganizationCategory")
        ),
    }
