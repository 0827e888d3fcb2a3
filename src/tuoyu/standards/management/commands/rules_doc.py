"""``tuoyu rules_doc [--output docs/rules.md]``: write the rule table as Markdown."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tuoyu.standards.documentation import rules_markdown


class Command(BaseCommand):
    """Generate ``docs/rules.md`` from the rule table in the database.

    Without ``--output`` the Markdown goes to standard output.
    """

    help = "Generate docs/rules.md from the rule table."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        text = rules_markdown()
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")
