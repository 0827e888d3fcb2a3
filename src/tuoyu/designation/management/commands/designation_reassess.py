"""``tuoyu designation reassess --year YYYY [--json]`` (命名单位年度复核)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.errors import DomainError


class Command(BaseCommand):
    """Run the re-assessment rules (DES-R01 … DES-R04) for every designation reporting on a year.

    Input: ``--year YYYY`` (2022 … the current year). Every designation named in or
    before that year and not withdrawn is judged as of today (local); the results are
    stored (one row per designation and year, replacing an earlier run) and audited with
    no user (the system). Progress goes to stderr (a bar on a terminal). Output: one line
    per flagged unit — certificate number, employer, the codes and messages of the
    findings — then a summary; with ``--json`` one JSON object on stdout:
    ``{"year", "as_of", "checked", "flagged": [{"certificate_number", "employer",
    "findings": [...]}]}``. Exit status: 0 done (flagged units are not an error);
    2 the year is out of range (DES-070).
    """

    help = "Run the yearly re-assessment rules for all named units and print the flagged ones."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, metavar="YYYY",
                            help="the reported year")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options):
        from tqdm import tqdm

        from tuoyu.core.dates import local_today
        from tuoyu.designation.choices import FindingSeverity
        from tuoyu.designation.reassessment import reassess_year

        year, as_json = options["year"], options["json"]
        as_of = local_today()
        bar = None

        def progress(i, total, row):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="unit", desc=f"reassess {year}", file=self.stderr,
                           disable=not self.stderr.isatty())
                self.stderr.write(f"Re-assessing {total} named unit(s) for {year} …")
            bar.update(1)

        try:
            rows = reassess_year(actor=None, year=year, as_of=as_of, progress=progress)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}", returncode=2) from None
        finally:
            if bar is not None:
                bar.close()
        flagged = [(r, [f for f in r.findings if f["severity"] == FindingSeverity.BLOCK])
                   for r in rows if r.flagged]
        if as_json:
            self.stdout.write(json.dumps({
                "year": year, "as_of": as_of.isoformat(), "checked": len(rows),
                "flagged": [{"certificate_number": r.designation.certificate_number,
                             "employer": r.designation.employer.name, "findings": blocks}
                            for r, blocks in flagged]}, ensure_ascii=False, indent=2))
            return
        for r, blocks in flagged:
            self.stdout.write(f"{r.designation.certificate_number} {r.designation.employer.name}")
            for f in blocks:
                self.stdout.write(f"  {f['rule_code']} {f['message']}")
        self.stdout.write(f"{len(rows)} unit(s) re-assessed for {year} as of {as_of.isoformat()}: "
                          f"{len(flagged)} no longer qualify.")
