"""Writes of survey planning: cost-sharing scenarios (测算方案) of a survey.

Keyword-only services in one transaction each: the actor must manage the survey
(``manage_surveys`` for its employer), the inputs are validated by
:meth:`tuoyu.surveys.planning.costs.CostInputs.from_dict` and stored complete (every key,
JSON-safe), the model is ``full_clean``-ed, and an audit event is written. At most
``SURVEY_PLAN_MAX_SCENARIOS`` (default 10) scenarios per survey; names are unique per
survey (a database constraint backs the check).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tuoyu.accounts.permissions import MANAGE_SURVEYS, acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.surveys import permissions as perms
from tuoyu.surveys.models import PlanScenario, Survey
from tuoyu.surveys.planning.costs import CostInputs
from tuoyu.surveys.planning.errors import SUR_PLAN_NAME_TAKEN, SUR_PLAN_TOO_MANY


def max_scenarios() -> int:
    """Scenarios allowed per survey (``SURVEY_PLAN_MAX_SCENARIOS``, default 10)."""
    return int(getattr(settings, "SURVEY_PLAN_MAX_SCENARIOS", 10))


def _require_manager(actor, survey: Survey) -> None:
    if not perms.can_manage_survey(actor, survey):
        raise DomainError(GEN_FORBIDDEN)


def _audit(actor, action: str, scenario: PlanScenario, *, before=None, after=None) -> None:
    org, role = acting_as(actor, organization=scenario.survey.employer_id, capability=MANAGE_SURVEYS)
    audit_record(
        actor=actor, action=action, obj=scenario, before=before, after=after,
        organization=org, role=role,
    )


def _save(scenario: PlanScenario) -> None:
    name_taken = (
        PlanScenario.objects.filter(survey_id=scenario.survey_id, name=scenario.name)
        .exclude(pk=scenario.pk)
        .exists()
    )
    if name_taken:
        raise DomainError(SUR_PLAN_NAME_TAKEN, {"name": scenario.name}, field="name")
    try:
        scenario.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise DomainError(GEN_INVALID, {"detail": "; ".join(exc.messages)}) from None
    try:
        with transaction.atomic():
            scenario.save()
    except IntegrityError:  # lost a race for the same name
        raise DomainError(SUR_PLAN_NAME_TAKEN, {"name": scenario.name}, field="name") from None


@transaction.atomic
def scenario_create(*, actor, survey: Survey, name: str, inputs: dict[str, Any]) -> PlanScenario:
    """Add a scenario ``name`` with cost-model ``inputs`` (see ``CostInputs``) to ``survey``.

    Returns the saved :class:`PlanScenario` (placed last). Raises DomainError ``GEN-002``
    when ``actor`` does not manage the survey, ``SUR-063`` for an invalid input,
    ``SUR-064`` for a name already used, ``SUR-065`` when the survey has the most
    scenarios allowed.
    """
    _require_manager(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    existing = list(survey.scenarios.values_list("position", flat=True))
    if len(existing) >= max_scenarios():
        raise DomainError(SUR_PLAN_TOO_MANY, {"limit": max_scenarios()})
    scenario = PlanScenario(
        survey=survey,
        name=(name or "").strip(),
        position=max(existing, default=0) + 1,
        inputs=CostInputs.from_dict(inputs).as_json(),
        created_by=actor,
    )
    _save(scenario)
    _audit(actor, "survey.scenario_create", scenario, after=snapshot(scenario))
    return scenario


@transaction.atomic
def scenario_update(
    *, actor, scenario: PlanScenario, name: str, inputs: dict[str, Any]
) -> PlanScenario:
    """Rename ``scenario`` and replace its inputs. Returns it saved.

    Raises DomainError ``GEN-002`` (not a manager), ``SUR-063`` (invalid input),
    ``SUR-064`` (name already used in the survey).
    """
    scenario = PlanScenario.objects.select_for_update().select_related("survey").get(pk=scenario.pk)
    _require_manager(actor, scenario.survey)
    before = snapshot(scenario)
    scenario.name = (name or "").strip()
    scenario.inputs = CostInputs.from_dict(inputs).as_json()
    _save(scenario)
    _audit(actor, "survey.scenario_update", scenario, before=before, after=snapshot(scenario))
    return scenario


@transaction.atomic
def scenario_delete(*, actor, scenario: PlanScenario) -> None:
    """Delete ``scenario``. Raises DomainError ``GEN-002`` when ``actor`` does not manage it."""
    scenario = PlanScenario.objects.select_related("survey").get(pk=scenario.pk)
    _require_manager(actor, scenario.survey)
    _audit(actor, "survey.scenario_delete", scenario, before=snapshot(scenario))
    scenario.delete()
