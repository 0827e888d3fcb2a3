"""``tuoyu survey project SURVEY_ID --as-of YYYY-MM-DD --json`` (托位规划测算)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def _plain(value: Any) -> Any:
    """JSON-safe: Decimal → str (money and counts keep their places), date → ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def plan_as_json(plan) -> dict[str, Any]:
    """The plan as a JSON-safe dict: survey, projection months, capacity phases, scenarios.

    When the plan is suppressed (fewer than ``SURVEY_MIN_CELL`` answers would use the
    facility) ``projection`` and ``capacity`` are null and ``suppressed`` is true.
    Otherwise it holds exactly what the page shows (ADR 0055): hidden projection cells,
    hidden capacity rows and totals (with the months driving them: ``places_month``,
    ``carers_month``, ``rooms_month``, ADR 0056) are null; ``respondents_counted`` is null unless it
    and its complement may be shown.
    """
    p = plan.projection
    out: dict[str, Any] = {
        "survey": {"id": plan.survey.pk, "title": plan.survey.title},
        "as_of": plan.as_of,
        "start": p.start,
        "suppressed": plan.suppressed,
        "min_cell": plan.min_cell,
        "respondents": p.respondents,
        "scale": plan.scale,
        "projection": None,
        "capacity": None,
    }
    if not plan.suppressed:
        out["respondents_counted"] = p.respondents_counted if plan.using_shown else None
        out["projection"] = [
            {"month": row.month.month.strftime("%Y-%m"), **row.cells, "total": row.total,
             "under": row.under}
            for row in plan.months
        ]
        out["capacity"] = [_phase_json(ph) for ph in plan.capacity.phases]
    out["scenarios"] = []
    for s in plan.scenarios:
        entry: dict[str, Any] = {"name": s.scenario.name}
        if s.result is None:
            entry["error"] = {"code": s.error.code, "message": s.error.message}
        else:
            r = s.result
            entry.update(
                inputs=r.inputs.as_json(),
                cost_lines=r.cost_lines,
                income_lines=r.income_lines,
                total_cost=r.total_cost,
                total_income=r.total_income,
                balance=r.balance,
                cost_per_place=r.cost_per_place,
                break_even_children=r.break_even_children,
                break_even_whole=r.break_even_whole,
                break_even_pct=r.break_even_pct,
                break_even_fee=r.break_even_fee,
                findings=[{"code": f.code, "message": f.message} for f in r.findings],
            )
        out["scenarios"].append(entry)
    return _plain(out)


def _phase_json(ph) -> dict[str, Any]:
    classes = [
        {
            "class_type": c.class_type, "month": c.month.strftime("%Y-%m") if c.month else None,
            "children": c.children, "places": c.places, "classes": c.classes,
            "class_sizes": list(c.class_sizes), "carers": c.carers, "cap": c.cap, "ratio": c.ratio,
        }
        if c in ph.shown_classes else {"class_type": c.class_type, "suppressed": True}
        for c in ph.classes
    ]
    totals = ("places", "carers", "rooms", "health_workers", "health_full_time", "directors",
              "security_guards", "building_m2", "outdoor_m2")
    months = {"places_month": ph.places_month, "carers_month": ph.carers_month,
              "rooms_month": ph.rooms_month}
    return {
        "phase": ph.number,
        "first_month": ph.first_month.strftime("%Y-%m") if ph.first_month else None,
        "month": ph.month.strftime("%Y-%m"),
        "classes": classes,
        **{k: getattr(ph, k) if ph.totals_shown else None for k in totals},
        **{k: v.strftime("%Y-%m") if ph.totals_shown and v else None for k, v in months.items()},
    }


def _text(value) -> str:
    return "-" if value is None else str(value)


class Command(BaseCommand):
    """Print the projection, capacity plan and scenarios of one survey.

    ``SURVEY_ID``: the survey's number; ``--as-of``: the projection date (YYYY-MM-DD,
    default today, local time); ``--json``: print JSON (otherwise a short text summary);
    ``--extrapolate``: scale to all staff surveyed (staff count ÷ answers). An operator's
    command: not scoped to a user, but figures built from fewer than ``SURVEY_MIN_CELL``
    answers are suppressed as on the page.

    Exit status 2 with a message (no traceback) for an unknown survey, an invalid date or a
    date on which the rule table has no rule in force.
    """

    help = "Print the 36-month projection, capacity plan and cost scenarios of a survey."

    def add_arguments(self, parser):
        parser.add_argument("survey_id", help="survey number")
        parser.add_argument("--as-of", dest="as_of", default="", help="YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--extrapolate", action="store_true", help="scale to all staff surveyed")

    def handle(self, *args, **options):
        from django.utils.translation import activate

        from tuoyu.core.dates import local_today
        from tuoyu.core.errors import DomainError, message_for
        from tuoyu.surveys.dates import DATE_MAX, DATE_MIN, date_in_bounds
        from tuoyu.surveys.models import Survey
        from tuoyu.surveys.planning.errors import SUR_PLAN_BAD_DATE
        from tuoyu.surveys.planning.selectors import survey_plan

        activate("en")
        raw_id = str(options["survey_id"]).strip()
        survey = None
        if raw_id.isdigit():
            survey = Survey.objects.select_related("employer__division").filter(pk=int(raw_id)).first()
        if survey is None:
            raise CommandError(f"unknown survey {raw_id!r}", returncode=2)
        as_of = local_today()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"].strip())
            except ValueError:
                raise CommandError(
                    message_for(SUR_PLAN_BAD_DATE, {"value": options["as_of"]}, "en"), returncode=2
                ) from None
            if not date_in_bounds(as_of):
                raise CommandError(
                    f"--as-of must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}",
                    returncode=2,
                )
        try:
            plan = survey_plan(survey, as_of=as_of, extrapolate=options["extrapolate"])
        except DomainError as exc:  # e.g. STD-001: no rule in force on that date
            raise CommandError(str(exc), returncode=2) from None
        data = plan_as_json(plan)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{survey.title} — as of {data['as_of']}, {data['respondents']} answers")
        if plan.suppressed:
            self.stdout.write(message_for("SUR-066", {"min_cell": plan.min_cell}, "en"))
        else:
            for m in data["projection"]:
                self.stdout.write(
                    f"{m['month']}  infant {_text(m['infant']):>7}  toddler {_text(m['toddler']):>7}"
                    f"  older {_text(m['older']):>7}"
                )
            for ph in data["capacity"]:
                self.stdout.write(
                    f"phase {ph['phase']} ({ph['first_month']} to {ph['month']}): "
                    f"{_text(ph['places'])} places ({_text(ph['places_month'])}), "
                    f"{_text(ph['rooms'])} classes ({_text(ph['rooms_month'])}), "
                    f"{_text(ph['carers'])} carers ({_text(ph['carers_month'])}), "
                    f"{_text(ph['health_workers'])} health, {_text(ph['building_m2'])} m²"
                )
        for s in data["scenarios"]:
            if "error" in s:
                self.stdout.write(f"scenario {s['name']}: {s['error']['code']}")
            else:
                self.stdout.write(
                    f"scenario {s['name']}: cost {s['total_cost']}/month, break-even "
                    f"{s['break_even_pct']}%"
                )
