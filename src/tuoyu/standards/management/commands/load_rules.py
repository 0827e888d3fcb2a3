"""``tuoyu load_rules [--file PATH] [--reset-configured]``: upsert the rule table from its data file."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tuoyu.core.errors import DomainError
from tuoyu.standards.loaders import load_rules, read_rules_file
from tuoyu.standards.models import Rule, RuleOverride


class Command(BaseCommand):
    """Load ``standards/data/rules.json`` (or ``--file``) into Rule and RuleOverride.

    Idempotent: rows are upserted on (code, effective_from) and (rule_code, province_code,
    effective_from). Parameters of configurable rules already in the database are kept
    unless ``--reset-configured``. Prints the counts; exits 1 if the file is invalid.
    """

    help = "Load the rule table from its data file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="rules JSON file (default: the shipped one)")
        parser.add_argument(
            "--reset-configured",
            action="store_true",
            help="also overwrite the parameters of configurable rules",
        )

    def handle(self, *args, **options):
        try:
            data = read_rules_file(options.get("file"))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        with transaction.atomic():
            result = load_rules(
                Rule, RuleOverride, data, reset_configured=options["reset_configured"]
            )
        self.stdout.write(
            f"rules {data['version']}: created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}"
        )
