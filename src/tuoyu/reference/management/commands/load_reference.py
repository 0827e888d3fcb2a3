"""``tuoyu load_reference``: load the shipped reference data files (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from tuoyu.reference.loaders import load_all


class Command(BaseCommand):
    """Upsert divisions, industries, populations and credit-code categories; print the counts.

    Reads the CSV files in ``tuoyu/reference/data/``. Running it twice changes nothing.
    The data migration runs the same loaders, so this is only needed after an upgrade
    that ships newer files. Output: one line per table, ``<table>: <rows in file>``.
    """

    help = "Load the shipped reference data (divisions, industries, populations, categories)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_all()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
