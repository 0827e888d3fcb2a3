"""``tuoyu inspections draw --entities FILE --inspectors FILE --seed S …`` (双随机抽取)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.errors import DomainError


class Command(BaseCommand):
    """Run the double-random draw ``tuoyu-draw/1`` on any agency's two lists.

    Inputs: ``--entities FILE`` and ``--inspectors FILE`` (CSV in UTF-8, UTF-8 with BOM
    or GBK/GB18030, or XLSX; columns in docs/draw-algorithm.md), ``--seed S`` (the
    published seed text, surrounding spaces removed), ``--ratio R`` (e.g. ``0.05`` or
    ``5%``; default 5 %, rounded up, at least 1) or ``--count N``, ``--strata COLS``
    (comma-separated column names), ``--per-target K`` (default 2), ``--weights FILE.json``
    (the risk-weight table; default the configured one). Output: the result as
    JSON with ``--json``, otherwise one line per target.

    Exit status: 0 drawn; 2 bad input (each problem on stderr with its row and column);
    1 the draw is impossible (e.g. a target with too few inspectors free of conflict;
    every such target is named).
    """

    help = "Double-random draw (双随机): targets by risk weight, inspectors without conflicts."

    def add_arguments(self, parser):
        parser.add_argument("--entities", required=True, metavar="FILE", help="entity list (CSV/XLSX)")
        parser.add_argument("--inspectors", required=True, metavar="FILE", help="inspector list (CSV/XLSX)")
        parser.add_argument("--seed", required=True, help="the published seed, e.g. lottery number + plan id")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--ratio", help="share to draw, e.g. 0.05 or 5%% (default 5%%)")
        group.add_argument("--count", type=int, help="number of targets to draw")
        parser.add_argument("--strata", default="", metavar="COLS", help="stratum columns, comma-separated")
        parser.add_argument("--per-target", type=int, default=2, help="inspectors per target (default 2)")
        parser.add_argument(
            "--weights", metavar="FILE.json",
            help="risk-weight table (JSON; a draw result's parameters.weights); default: settings",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        from tuoyu.supervision.draw import DrawImpossible, draw, weights_from_settings
        from tuoyu.supervision.draw_lists import read_entities, read_inspectors

        strata = tuple(c.strip() for c in options["strata"].split(",") if c.strip())
        try:
            entities = read_entities(options["entities"], strata)
            inspectors = read_inspectors(options["inspectors"])
            result = draw(
                entities,
                inspectors,
                options["seed"].strip(),
                ratio=options["ratio"],
                count=options["count"],
                strata_columns=strata,
                per_target=options["per_target"],
                weights=_weights(options["weights"]) if options["weights"] else weights_from_settings(),
            )
        except DrawImpossible as exc:
            for target in (exc.details or {}).get("targets", []):
                self.stderr.write(
                    f"target {target['entity']}: {target['eligible']} eligible inspector(s), "
                    f"{target['needed']} needed"
                )
            raise CommandError(exc.message, returncode=1) from exc
        except DomainError as exc:
            for error in (exc.details or {}).get("errors", []):
                self.stderr.write(
                    f"row {error['row']} [{error['column']}] {error['code']}: {error['message']}"
                )
            raise CommandError(f"{exc.code}: {exc.message}", returncode=2) from exc
        if options["json"]:
            self.stdout.write(result.to_json(), ending="")
            return
        self.stdout.write(
            f"{result.algorithm} seed={result.seed} entities={result.entity_count} "
            f"sha256={result.entities_sha256} inspectors={result.inspector_count} "
            f"sha256={result.inspectors_sha256} targets={len(result.targets)}"
        )
        for target in result.targets:
            self.stdout.write(f"{target.order}\t{target.entity}\t{','.join(target.inspectors)}")


def _weights(path: str):
    """The weight table in the JSON file at ``path`` (a table, or a whole draw result).

    Raises DomainError SUP-007 when the file cannot be read, SUP-004 for a bad table.
    """
    import json
    from pathlib import Path

    from tuoyu.supervision.draw import WeightTable
    from tuoyu.supervision.errors import SUP_FILE_UNREADABLE

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise DomainError(SUP_FILE_UNREADABLE, {"path": Path(path).name, "detail": str(exc)}) from exc
    if isinstance(data, dict) and "parameters" in data:
        data = data["parameters"].get("weights", {})
    if not isinstance(data, dict):
        raise DomainError(SUP_FILE_UNREADABLE, {"path": Path(path).name, "detail": "not a JSON object"})
    return WeightTable.from_mapping(data)
