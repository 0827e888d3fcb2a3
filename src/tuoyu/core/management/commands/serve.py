"""``tuoyu serve [--demo] [--host H] [--port P] [--workers N]``: set up and serve with gunicorn."""

from __future__ import annotations

import os
import sys
import unicodedata

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import connections

from tuoyu.disclosure.cache import register_changed

# Commands of other apps that load data shipped with the package, run when registered.
REFERENCE_COMMANDS = ("load_reference", "load_rules")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def accounts_table(accounts) -> str:
    """Return the demo accounts (``DemoAccount`` rows) as an aligned plain-text table."""
    header = ("username", "password", "role", "organisation", "province / county")
    rows = [header] + [
        (a.username, a.password, f"{a.role_label} ({a.role})", a.organization, a.province)
        for a in accounts
    ]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    """The command line that runs gunicorn on ``tuoyu.config.wsgi:application``."""
    return [
        sys.executable, "-m", "gunicorn", "tuoyu.config.wsgi:application",
        "--bind", _bind(host, port), "--workers", str(workers),
        "--access-logfile", "-", "--timeout", "60",
    ]


def exec_gunicorn(argv: list[str]) -> None:
    """Close the database connections and replace this process with gunicorn.

    gunicorn's signals and exit status then are the command's own.
    """
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)  # noqa: S606 - fixed argv built above, no shell


class Command(BaseCommand):
    """Migrate, load reference data, optionally build the demo, collect static files, serve.

    Steps: ``migrate``; ``load_reference`` and ``load_rules`` when those commands exist;
    with ``--demo`` the demo data set (idempotent) and a table of the demo accounts;
    ``collectstatic`` into ``$TUOYU_DATA_DIR/static`` (served by the app itself, see
    docs/adr/0005); then gunicorn on ``--host``:``--port`` (default 127.0.0.1:8000) with
    ``--workers`` processes (default 2). ``--dry-run`` stops before starting gunicorn.
    """

    help = "Set up the database (and demo data with --demo) and serve Tuoyu with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="create the demo data set")
        parser.add_argument("--host", default=settings.TUOYU_DEFAULT_HOST)
        parser.add_argument("--port", type=int, default=settings.TUOYU_DEFAULT_PORT)
        parser.add_argument("--workers", type=int, default=2, metavar="N")
        parser.add_argument("--dry-run", action="store_true",
                            help="do every step except starting the server")

    def handle(self, *args, demo: bool, host: str, port: int, workers: int, dry_run: bool,
               **options):
        out = self.stdout
        out.write(f"Data directory: {settings.DATA_DIR}")
        out.write("Migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        available = get_commands()
        for name in REFERENCE_COMMANDS:
            if name in available:
                out.write(f"Running {name} …")
                call_command(name, verbosity=0)
        if demo:
            from tuoyu.core.demo import demo_accounts, demo_build

            out.write("Building the demo data set …")
            summary = demo_build()
            out.write(
                f"Demo data: {summary.organizations} organisations, "
                f"{summary.facilities} facilities, {summary.users} users"
                f"{'' if summary.created else ' (already present)'}."
            )
            out.write("")
            out.write("Demo accounts (all with the same password):")
            out.write(accounts_table(demo_accounts()))
        # Data written above (or by commands run while the server was down, such as
        # `tuoyu demo --facilities N`, which writes in bulk) may be newer than the portal's
        # cached search pages: start from a new register version (docs/adr/0041).
        register_changed()
        call_command("collectstatic", interactive=False, verbosity=0)
        if not getattr(settings, "SERVE_STATIC", True):
            out.write(f"TUOYU_SERVE_STATIC is off: serve {settings.STATIC_ROOT} at /static/ yourself.")
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        out.write("")
        out.write(f"Tuoyu: http://{_bind(shown, port)}/   (admin: /admin/)")
        if host not in ("127.0.0.1", "localhost", "::1") and host not in settings.ALLOWED_HOSTS:
            out.write("Reaching it by another name? Add that name to TUOYU_ALLOWED_HOSTS.")
        if dry_run:
            return
        exec_gunicorn(gunicorn_argv(host=host, port=port, workers=workers))
