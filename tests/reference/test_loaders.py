"""Reference data loaders: counts from the shipped files, idempotent."""

from __future__ import annotations

import csv
from io import StringIO

from django.core.management import call_command

from tuoyu.reference.loaders import DATA_DIR, load_all, parse_successors
from tuoyu.reference.models import Division, Industry, OrganizationCategory, Population


def _rows_in(name: str) -> int:
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def _state() -> dict[str, list]:
    return {
        "divisions": list(Division.objects.order_by("id").values_list()),
        "industries": list(Industry.objects.order_by("code").values_list()),
        "populations": list(Population.objects.order_by("id").values_list()),
        "categories": list(OrganizationCategory.objects.order_by("code").values_list()),
    }


def test_migration_loaded_every_row_of_the_shipped_files(db):
    assert Division.objects.count() == _rows_in("areacodes-history.csv") == 6823
    assert Industry.objects.count() == _rows_in("gbt4754-2017.csv") == 119
    assert Population.objects.count() == _rows_in("census2020-provinces.csv") == 31
    assert OrganizationCategory.objects.count() == _rows_in("organization-categories.csv")


def test_active_division_set_has_3213_rows(db):
    assert Division.objects.filter(status="active").count() == 3213


def test_load_all_twice_changes_nothing(db):
    before = _state()
    first = load_all()
    second = load_all()
    assert first == second
    assert first["divisions"] == 6823
    assert first["industries"] == 119
    assert first["populations"] == 31
    assert _state() == before


def test_load_all_restores_a_deleted_row(db):
    Population.objects.filter(division_code="110000").delete()
    load_all()
    assert Population.objects.filter(division_code="110000", year=2020).exists()


def test_load_reference_command_prints_counts(db):
    out = StringIO()
    call_command("load_reference", stdout=out)
    lines = out.getvalue().splitlines()
    assert "divisions: 6823" in lines
    assert "industries: 119" in lines
    assert "populations: 31" in lines


def test_successor_column_is_parsed_with_years():
    assert parse_successors("370211[1996];370211") == [
        {"code": "370211", "year": 1996},
        {"code": "370211", "year": None},
    ]
