"""Pages of survey planning: the plan (projection, capacity, scenarios), its XLSX, and
scenario create/edit/delete. Thin: read with the selectors, write with the services.

Only managers of the survey (employer administrators with ``manage_surveys``) reach these
pages: GEN-001 becomes 404 (existence is never revealed), GEN-002 becomes 403.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.facilities.views import login_required
from tuoyu.surveys.models import PlanScenario
from tuoyu.surveys.planning import exporting, services
from tuoyu.surveys.planning.charts import projection_bars
from tuoyu.surveys.planning.costs import COMPARISON_ROWS, CostInputs
from tuoyu.surveys.planning.forms import PlanOptionsForm, ScenarioForm
from tuoyu.surveys.planning.labels import (
    CLASS_TYPE_LABELS,
    COMPARISON_LABELS,
    COST_LINE_LABELS,
    INCOME_LINE_LABELS,
)
from tuoyu.surveys.planning.projection import CLASS_TYPES
from tuoyu.surveys.planning.selectors import survey_plan
from tuoyu.surveys.results import suppressed_marker, suppression_note
from tuoyu.surveys.views import survey_for_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scenario(survey, scenario_pk) -> PlanScenario:
    scenario = survey.scenarios.filter(pk=scenario_pk).first()
    if scenario is None:
        raise Http404
    return scenario


def _plan(request, survey):
    """Options form and plan. An invalid or out-of-range date is a form error (the plan is
    made for today); a date with no rules in force falls back to today with a message
    naming the date actually used (shown in the page header)."""
    today = local_today()
    options = PlanOptionsForm(request.GET or None, initial={"as_of": today})
    as_of = options.as_of_or(today)
    extrapolate = bool(options.is_valid() and options.cleaned_data.get("extrapolate"))
    try:
        return options, survey_plan(survey, as_of=as_of, extrapolate=extrapolate)
    except DomainError:
        if as_of == today:
            raise
        options.add_error("as_of", _("%(day)s没有生效的规则表，已改按%(today)s测算。") % {
            "day": as_of.isoformat(), "today": today.isoformat(),
        })
        return options, survey_plan(survey, as_of=today, extrapolate=extrapolate)


@require_GET
@login_required
def plan_page(request, pk):
    """The printable plan of survey ``pk``: projection table and chart, capacity plan and
    scenarios side by side. Query: ``as_of`` (YYYY-MM-DD, default today), ``extrapolate``."""
    survey = survey_for_request(request, pk)
    options, plan = _plan(request, survey)
    scenario_rows = []
    ok = [s for s in plan.scenarios if s.result is not None]
    for key, label in COST_LINE_LABELS.items():
        scenario_rows.append((label, "money", [s.result.cost_lines[key] for s in ok]))
    for key, label in INCOME_LINE_LABELS.items():
        scenario_rows.append((label, "money", [s.result.income_lines[key] for s in ok]))
    kinds = dict(COMPARISON_ROWS)
    summary_rows = [(COMPARISON_LABELS[k], kinds[k], values) for k, values in plan.comparison]
    months = [(row.month, row) for row in plan.months]
    return render(
        request,
        "surveys/plan_page.html",
        {
            "survey": survey,
            "plan": plan,
            "options": options,
            "chart": None if plan.suppressed else projection_bars(plan.projection, plan.months),
            "class_types": [(t, CLASS_TYPE_LABELS[t]) for t in CLASS_TYPES],
            "months": months,
            "scenarios_ok": ok,
            "scenarios_failed": [s for s in plan.scenarios if s.result is None],
            "scenario_rows": scenario_rows,
            "summary_rows": summary_rows,
            "query": request.GET.urlencode(),
            "marker": suppressed_marker(),
            "note": suppression_note(),
        },
    )


@require_GET
@login_required
def plan_export(request, pk):
    """The plan of survey ``pk`` as XLSX (same query parameters and figures as the page)."""
    survey = survey_for_request(request, pk)
    _options, plan = _plan(request, survey)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    exporting.plan_xlsx(plan, target)
    target.seek(0)
    response = FileResponse(
        target, as_attachment=True, filename=f"plan-{survey.pk}-{plan.as_of:%Y%m%d}.xlsx",
        content_type=XLSX,
    )
    response["Cache-Control"] = "no-store"
    return response


def _scenario_form_page(request, survey, *, scenario=None):
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                if scenario is None:
                    services.scenario_create(
                        actor=request.user, survey=survey, name=form.cleaned_data["name"],
                        inputs=form.inputs,
                    )
                else:
                    services.scenario_update(
                        actor=request.user, scenario=scenario, name=form.cleaned_data["name"],
                        inputs=form.inputs,
                    )
            except DomainError as exc:
                if exc.code == GEN_FORBIDDEN:
                    raise PermissionDenied(exc.message) from None
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("测算方案已保存。"))
                return redirect(reverse("surveys:plan", args=[survey.pk]) + "#scenarios")
    elif scenario is not None:
        initial = {"name": scenario.name}
        try:
            initial.update(CostInputs.from_dict(scenario.inputs).as_json())
        except DomainError:
            initial.update(scenario.inputs or {})
        form = ScenarioForm(initial=initial)
    else:
        _options, plan = _plan(request, survey)
        form = ScenarioForm(initial=plan.scenario_defaults())
    return render(
        request, "surveys/plan_scenario_form.html",
        {"survey": survey, "form": form, "scenario": scenario},
    )


@require_http_methods(["GET", "POST"])
@login_required
def scenario_create(request, pk):
    """Form to add a scenario to survey ``pk``; places, carers, other staff and area start
    from the capacity plan (unless it is suppressed)."""
    return _scenario_form_page(request, survey_for_request(request, pk))


@require_http_methods(["GET", "POST"])
@login_required
def scenario_edit(request, pk, scenario_pk):
    """Form to change scenario ``scenario_pk`` of survey ``pk``."""
    survey = survey_for_request(request, pk)
    return _scenario_form_page(request, survey, scenario=_scenario(survey, scenario_pk))


@require_POST
@login_required
def scenario_delete(request, pk, scenario_pk):
    """Delete scenario ``scenario_pk`` of survey ``pk`` (POST from the plan page)."""
    survey = survey_for_request(request, pk)
    scenario = _scenario(survey, scenario_pk)
    try:
        services.scenario_delete(actor=request.user, scenario=scenario)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("测算方案已删除。"))
    return redirect(reverse("surveys:plan", args=[survey.pk]) + "#scenarios")
