"""``tuoyu survey``: list the survey subcommands (``tuoyu survey project …``).

The two-word commands of the surveys app are Django commands named ``survey_<sub>``;
``tuoyu survey <sub>`` is joined to that name by the command-line entry point. Called
alone (or with ``--help``), this command prints the subcommands and what they do.
"""

from __future__ import annotations

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """Print the ``survey`` subcommands with their one-line help. No input; exit status 0."""

    help = "Survey subcommands: tuoyu survey <subcommand> --help for details."

    def subcommands(self) -> list[tuple[str, str]]:
        """(subcommand, first line of its help) for every ``survey_<sub>`` command, sorted."""
        found = []
        for name, app in sorted(get_commands().items()):
            if name.startswith("survey_"):
                text = (load_command_class(app, name).help or "").strip().splitlines()
                found.append((name.removeprefix("survey_").replace("_", "-"), text[0] if text else ""))
        return found

    def create_parser(self, prog_name, subcommand, **kwargs):
        """The parser, with the subcommand list appended to ``--help``."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = "subcommands:\n" + "\n".join(
            f"  survey {sub:<10} {text}" for sub, text in self.subcommands()
        )
        from argparse import RawDescriptionHelpFormatter

        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def handle(self, *args, **options):
        """Write the subcommands to stdout."""
        self.stdout.write("tuoyu survey <subcommand> [options]\n")
        for sub, text in self.subcommands():
            self.stdout.write(f"  survey {sub:<10} {text}\n")
