"""``tuoyu demo [--facilities N] [--seed S]``: build the demo data set (演示数据)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.demo import DEFAULT_SEED, demo_accounts, demo_build, demo_extend
from tuoyu.core.management.commands.serve import accounts_table
from tuoyu.disclosure.cache import register_changed


class Command(BaseCommand):
    """Build the seeded demo data set (idempotent) and, with ``--facilities N``, N more.

    The fixed set covers all 31 provinces, every provision model, every filing state and a
    few facilities that break rules, with one account per role (printed at the end). ``N``
    extra facilities are bulk-created each time the option is given (for benchmarks).
    Exit status 0; 2 for a negative ``--facilities``; database errors propagate.
    """

    help = "Build the demo data set; --facilities N adds N generated facilities (bulk)."

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=int, default=0, metavar="N",
                            help="also bulk-create N generated facilities (default 0)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                            help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, facilities: int, seed: int, no_progress: bool, **options):
        if facilities < 0:
            raise CommandError(f"--facilities must be 0 or more, not {facilities}", returncode=2)
        summary = demo_build(seed=seed)
        verb = "created" if summary.created else "already present"
        self.stdout.write(
            f"Demo data set {verb}: {summary.organizations} organisations, "
            f"{summary.facilities} facilities, {summary.users} users."
        )
        if facilities > 0:
            made = demo_extend(count=facilities, seed=seed, progress=not no_progress)
            self.stdout.write(f"Added {made} generated facilities.")
        # The bulk writes bypass the signals that retire cached portal pages (docs/adr/0041).
        register_changed()
        self.stdout.write(accounts_table(demo_accounts()))
