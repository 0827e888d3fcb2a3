"""The ``tuoyu`` console script: Django's management commands with settings preselected.

Two-word commands map to one management command, so ``tuoyu import facilities PATH``
runs ``import_facilities PATH`` and ``tuoyu inspections verify-draw 3`` runs
``inspections_verify_draw 3``. Everything else is passed to Django as is
(``tuoyu migrate``, ``tuoyu serve --demo``, ``tuoyu createsuperuser`` …).
"""

from __future__ import annotations

import os
import sys


def _resolve(argv: list[str]) -> list[str]:
    """Return ``argv`` with a two-word command joined into one, if such a command exists."""
    if len(argv) < 3 or argv[1].startswith("-") or argv[2].startswith("-"):
        return argv
    from django.core.management import get_commands

    joined = f"{argv[1]}_{argv[2]}".replace("-", "_")
    if joined in get_commands():
        return [argv[0], joined, *argv[3:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    """Run a Tuoyu command. ``argv`` defaults to ``sys.argv``; exits with the command's status.

    ``tuoyu --version`` prints Tuoyu's version (from the package metadata), not Django's.
    """
    args = list(argv if argv is not None else sys.argv)
    if args[1:2] in (["--version"], ["-V"], ["version"]):
        from tuoyu import __version__

        sys.stdout.write(f"tuoyu {__version__}\n")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuoyu.config.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line(_resolve(args))


if __name__ == "__main__":
    main()
