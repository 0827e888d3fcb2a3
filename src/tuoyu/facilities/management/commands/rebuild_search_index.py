"""``tuoyu rebuild_search_index [--check]``: (re)build the gram index of the public search (检索索引)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    """Recreate the function ``tuoyu_search_grams`` and the GIN index of the public keyword
    search (ADR 0041), then ``ANALYZE`` the facilities, printing each step and its time in
    seconds.

    PostgreSQL maintains the index on every write, so this is needed only to repair it
    (e.g. after a restore without indexes, or a changed function). ``--check`` only
    verifies the index: for every two-character pair of the first 200 public facility
    names, the indexed search and the plain substring filter find the same facilities,
    with a progress bar; exit status 2 on a difference. On other databases (SQLite) there
    is no index and the command says so.
    """

    help = "Rebuild (or --check) the gram index of the public facility search (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only verify the index")

    def handle(self, *args, **options):
        from tuoyu.facilities import search_index

        if not search_index.uses_index():
            self.stdout.write("No gram index on this database: the search uses the substring filter.")
            return
        if options["check"]:
            self._check()
            return
        steps = (
            ("function", (search_index.CREATE_FUNCTION_SQL,)),
            ("drop index", search_index.DROP_SQL[:1]),
            ("create index", (search_index.CREATE_INDEX_SQL,)),
            ("analyze", ("ANALYZE facilities_facility",)),
        )
        with connection.cursor() as cursor:
            for label, statements in steps:
                start = time.perf_counter()
                for statement in statements:
                    cursor.execute(statement)
                self.stdout.write(f"{label}: {time.perf_counter() - start:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"{search_index.GRAMS_INDEX} rebuilt"))

    def _check(self):
        from tqdm import tqdm

        from tuoyu.disclosure.selectors import public_facilities

        names = list(public_facilities({"sort": "name"}).values_list("name_search", flat=True)[:200])
        words = sorted({name[i : i + 2] for name in names for i in range(len(name) - 1)} - {""})
        words = [w for w in words if " " not in w]
        bad = []
        for word in tqdm(words, unit="word", desc="gram index", disable=not self.stdout.isatty()):
            indexed = set(public_facilities({"q": word}).values_list("pk", flat=True))
            plain = set(
                public_facilities({}).filter(name_search__contains=word).values_list("pk", flat=True)
            ) | set(public_facilities({}).filter(address__contains=word).values_list("pk", flat=True))
            if indexed != plain:
                bad.append(word)
        if bad:
            raise CommandError(f"{len(bad)} words differ, e.g. {bad[:5]}", returncode=2)
        self.stdout.write(self.style.SUCCESS(f"{len(words)} words: indexed search = substring filter"))
