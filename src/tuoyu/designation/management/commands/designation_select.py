"""``tuoyu designation select CANDIDATES.csv --size K [--rules RULES.yaml] [--json]`` (代表性遴选)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.errors import DomainError, message_for
from tuoyu.designation.errors import DES_CANDIDATES_INVALID


class Command(BaseCommand):
    """Choose K representative units from a candidate file (CSV or XLSX) and explain it.

    Input: the candidate file (columns in docs/designation-select.md; UTF-8 with or
    without BOM, or GBK/GB18030), ``--size K``, optional ``--rules RULES.yaml``. Output:
    a table of the chosen units with the explanation in zh-Hans and English, or with
    ``--json`` one JSON object on stdout (chosen ids, total score, top-K, binding groups,
    coverage, relaxations, messages; on bad input ``{"errors": [...]}``).
    Exit status: 0 a selection meets every rule; 1 the rules cannot all be met (the
    output says which groups to relax); 2 bad input (file unreadable, columns missing,
    row-level errors with row, column and code, invalid rules, K out of range) or the
    solver reached ``--time-limit`` without proving an optimum (DES-007).
    """

    help = "Choose K representative units (maximum total score under quotas and coverage targets)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="candidate list, .csv or .xlsx")
        parser.add_argument(
            "--size", type=int, required=True, metavar="K", help="number of units to choose"
        )
        parser.add_argument(
            "--rules", metavar="RULES.yaml", help="caps, quotas, coverage targets, extra rules"
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=120.0,
            metavar="SECONDS",
            help="limit of each solve (default 120)",
        )

    def handle(self, *args, **options):
        from tuoyu.designation.selection import (
            SelectionRules,
            candidates_read,
            rules_load,
            select_representatives,
        )

        as_json = options["json"]
        try:
            rules = rules_load(options["rules"]) if options["rules"] else SelectionRules()
            candidates, errors = candidates_read(options["path"])
            if errors:
                raise DomainError(
                    DES_CANDIDATES_INVALID,
                    {"count": len(errors)},
                    details={"errors": [e.as_dict() for e in errors]},
                )
            result = select_representatives(
                candidates, size=options["size"], rules=rules, time_limit=options["time_limit"]
            )
        except DomainError as exc:
            self._bad_input(exc, as_json)
            raise CommandError(str(exc), returncode=2) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._table(result)
        if not result.feasible:
            raise CommandError("the rules cannot all be met; see the advice above", returncode=1)

    def _bad_input(self, exc: DomainError, as_json: bool) -> None:
        rows = (exc.details or {}).get("errors", [])
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "error": {
                            "code": exc.code,
                            "message": message_for(exc.code, exc.params, "zh-hans"),
                            "message_en": message_for(exc.code, exc.params, "en"),
                            "field": exc.field,
                        },
                        "errors": rows,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stderr.write(f"{exc.code}: {message_for(exc.code, exc.params, 'zh-hans')}")
        self.stderr.write(f"{exc.code}: {message_for(exc.code, exc.params, 'en')}")
        for row in rows[:100]:
            self.stderr.write(
                f"row {row['row']} [{row['column']}] {row['code']}: {row['message']} / {row['message_en']}"
            )
        if len(rows) > 100:
            self.stderr.write(f"... {len(rows) - 100} more")

    def _table(self, result) -> None:
        out = self.stdout
        if result.feasible:
            top = {c.id for c in result.top_k}
            out.write(
                "  #  id          score     prov ind model          ownership    staff   children  top-K"
            )
            for number, c in enumerate(result.chosen, start=1):
                out.write(
                    f"{number:>3}  {c.id:<10}  {c.score!s:>8}  {c.province:<4} {c.industry:<3} "
                    f"{c.provision_model:<14} {c.ownership:<12} {c.headcount:>6}  {c.children_served:>8}  "
                    f"{'yes' if c.id in top else 'NO'}  {c.name}"
                )
            out.write("")
            out.write(
                f"total {result.total_score}  top-K {result.top_k_score}  given up {result.score_given_up}"
            )
            out.write("")
            out.write("coverage      available  chosen  top-K  gained / lost")
            for cov in result.coverage:
                out.write(
                    f"{cov.dimension:<16} {cov.available:>6} {cov.chosen:>7} {cov.top_k:>6}  "
                    f"+{','.join(cov.gained) or '-'} / -{','.join(cov.lost) or '-'}"
                )
            out.write("")
        for message in (*result.notes, *result.messages):
            out.write(message.zh)
            out.write(message.en)
