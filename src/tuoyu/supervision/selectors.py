"""Scoped reads of the double-random inspections (查询), and draw verification (核验).

The population of a plan comes from the facilities selectors (filed facilities the
planning officer may see, in the plan's scope); the inspector pool from memberships with
the inspector role (检查人员) in organisations within the plan's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from tuoyu.accounts.choices import Role
from tuoyu.accounts.models import Membership
from tuoyu.accounts.permissions import jurisdiction_prefixes
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.draw import (
    Entity,
    Inspector,
    WeightTable,
    canonical_entities,
    canonical_inspectors,
    draw,
    sha256_hex,
)
from tuoyu.supervision.draw_lists import entity_from_record, inspector_from_record
from tuoyu.supervision.models import Draw, DrawList, InspectionPlan


def entity_key(facility_id: int) -> str:
    """The id of facility ``facility_id`` in a draw's entity list (``F<pk>``)."""
    return f"F{facility_id}"


def organisation_key(organization_id: int) -> str:
    """The id of organisation ``organization_id`` in a draw's lists (``O<pk>``)."""
    return f"O{organization_id}"


def inspector_key(user_id: int) -> str:
    """The id of inspector (user) ``user_id`` in a draw's inspector list (``U<pk>``)."""
    return f"U{user_id}"


def inspection_plans_visible_to(user) -> QuerySet[InspectionPlan]:
    """Plans whose scope an official's jurisdiction covers or lies within; newest first."""
    prefixes = jurisdiction_prefixes(user)
    if not prefixes:
        return InspectionPlan.objects.none()
    ids = [
        p.pk
        for p in InspectionPlan.objects.only("id", "scope_prefix")
        if any(p.scope_prefix.startswith(x) or x.startswith(p.scope_prefix) for x in prefixes)
    ]
    return InspectionPlan.objects.filter(pk__in=ids).select_related("organization")


def inspection_plan_get_for_user(user, pk, *, action: str = "view") -> InspectionPlan:
    """Plan ``pk`` if ``user`` may see it (``action="view"``) or manage it (``"manage"``).

    Raises DomainError GEN-001 when it does not exist or is not visible, GEN-002 when it is
    visible but may not be managed by ``user``.
    """
    try:
        plan = InspectionPlan.objects.select_related("organization__division").get(pk=pk)
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_inspection_plan(user, plan):
        raise DomainError(GEN_NOT_FOUND)
    if action == "manage" and not perms.can_manage_inspection_plan(user, plan):
        raise DomainError(GEN_FORBIDDEN)
    return plan


def plan_population(plan: InspectionPlan, *, user, risk_factors: dict | None = None) -> list[Entity]:
    """The candidate entities of ``plan``: filed facilities ``user`` may see in its scope.

    Filed means a filing in force (filed, or filed with a change pending). Each facility is
    ``F<pk>`` with its operator ``O<pk>``; strata values: county = the county code,
    provision_model = the provision model. ``risk_factors`` maps a facility pk to
    ``{credit_class, complaints, open_rectifications, annual_report_missing}``; missing
    factors are blank/0 (the credit, complaint, rectification and annual-report records
    are kept by other modules).
    """
    from tuoyu.facilities.selectors import PUBLIC_STATUSES, facilities_visible_to

    factors = risk_factors or {}
    facilities = (
        facilities_visible_to(user)
        .filter(filing_status__in=PUBLIC_STATUSES, division__code__startswith=plan.scope_prefix)
        .order_by("id")
    )
    entities = []
    for facility in facilities:
        values = {"county": facility.division.code, "provision_model": facility.provision_model}
        extra = factors.get(facility.pk, {})
        entities.append(
            Entity(
                id=entity_key(facility.pk),
                organisation=organisation_key(facility.operator_id),
                strata=tuple(values[s] for s in plan.strata),
                credit_class=extra.get("credit_class", ""),
                complaints=int(extra.get("complaints", 0)),
                open_rectifications=int(extra.get("open_rectifications", 0)),
                annual_report_missing=bool(extra.get("annual_report_missing", False)),
            )
        )
    return entities


def plan_inspector_pool(plan: InspectionPlan) -> list[Inspector]:
    """The inspectors of ``plan``: active users with an active inspector membership in an
    organisation whose jurisdiction lies within the plan's scope.

    Each is ``U<pk>``; ``organisations`` are all organisations of their active memberships
    (``O<pk>``); ``last_assigned`` the entities they were given in the draw in force of the
    same organisation's most recent earlier plan.
    """
    memberships = (
        Membership.objects.filter(
            role=Role.INSPECTOR, is_active=True, organization__is_active=True, user__is_active=True
        )
        .select_related("organization__division")
        .order_by("user_id")
    )
    user_ids = sorted(
        {m.user_id for m in memberships if m.organization.jurisdiction_prefix.startswith(plan.scope_prefix)}
    )
    orgs: dict[int, set[str]] = {u: set() for u in user_ids}
    for m in Membership.objects.filter(
        user_id__in=user_ids, is_active=True, organization__is_active=True
    ).only("user_id", "organization_id"):
        orgs[m.user_id].add(organisation_key(m.organization_id))
    last = _last_assignments(plan)
    return [
        Inspector(
            id=inspector_key(u),
            organisations=tuple(orgs[u]),
            last_assigned=tuple(last.get(inspector_key(u), ())),
        )
        for u in user_ids
    ]


def _last_assignments(plan: InspectionPlan) -> dict[str, set[str]]:
    """Inspector id → entity ids of the previous plan's draw in force (same organisation)."""
    previous = (
        Draw.objects.filter(
            plan__organization_id=plan.organization_id, superseded_at__isnull=True
        )
        .exclude(plan_id=plan.pk)
        .order_by("-drawn_at", "-id")
        .first()
    )
    result: dict[str, set[str]] = {}
    if previous is None:
        return result
    for target in previous.result.get("targets", []):
        for inspector in target.get("inspectors", []):
            result.setdefault(inspector, set()).add(target["entity"])
    return result


def draw_list_files(draw_list: DrawList) -> tuple[bytes, bytes]:
    """The published canonical entity and inspector lists of ``draw_list`` (UTF-8 TSV bytes).

    These are the byte strings whose SHA-256 are the published hashes
    (docs/draw-algorithm.md §3); ``tuoyu inspections draw`` reads them back as they are.
    Raises DomainError when a stored record is malformed.
    """
    params = draw_list.parameters
    strata = tuple(params.get("strata", ()))
    weights = WeightTable.from_mapping(params.get("weights"))
    entities = [entity_from_record(r, strata) for r in draw_list.entities]
    inspectors = [inspector_from_record(r) for r in draw_list.inspectors]
    return canonical_entities(entities, strata, weights), canonical_inspectors(inspectors)


def draw_result_for(draw_list: DrawList, seed: str):
    """Run the draw on the frozen lists and parameters of ``draw_list`` with ``seed``.

    Returns a :class:`~tuoyu.supervision.draw.DrawResult`; raises what :func:`draw` raises.
    """
    params = draw_list.parameters
    strata = tuple(params.get("strata", ()))
    return draw(
        [entity_from_record(r, strata) for r in draw_list.entities],
        [inspector_from_record(r) for r in draw_list.inspectors],
        seed,
        ratio=params.get("ratio"),
        count=params.get("count"),
        strata_columns=strata,
        per_target=params.get("per_target", 2),
        weights=WeightTable.from_mapping(params.get("weights")),
    )


@dataclass
class Verification:
    """The outcome of re-computing a stored draw: ``match`` and the differences found."""

    draw_id: int
    match: bool
    problems: list[str] = field(default_factory=list)
    recomputed: dict[str, Any] | None = None


def draw_verify(draw_obj: Draw) -> Verification:
    """Recompute ``draw_obj`` from its plan's frozen lists and its seed (核验抽取结果).

    Checks (1) the frozen lists still hash to the published hashes, (2) the stored result
    equals the recomputed one field by field. Returns a :class:`Verification`; never raises
    for a mismatch (a list that no longer parses is a mismatch too).
    """
    problems: list[str] = []
    draw_list = draw_obj.plan.draw_list
    try:
        entity_bytes, inspector_bytes = draw_list_files(draw_list)
        entities_sha = sha256_hex(entity_bytes)
        inspectors_sha = sha256_hex(inspector_bytes)
        recomputed = draw_result_for(draw_list, draw_obj.seed).as_dict()
    except (DomainError, KeyError, TypeError, ValueError) as exc:
        return Verification(draw_obj.pk, False, [f"the frozen lists cannot be read: {exc}"])
    if entities_sha != draw_list.entities_sha256:
        problems.append(
            f"entity list hash {entities_sha} differs from the published {draw_list.entities_sha256}"
        )
    if inspectors_sha != draw_list.inspectors_sha256:
        problems.append(
            f"inspector list hash {inspectors_sha} differs from the published {draw_list.inspectors_sha256}"
        )
    if draw_obj.algorithm != recomputed["algorithm"]:
        problems.append(f"algorithm {draw_obj.algorithm} is not {recomputed['algorithm']}")
    for key, value in recomputed.items():
        if draw_obj.result.get(key) != value:
            problems.append(f"stored result differs in “{key}”")
    return Verification(draw_obj.pk, not problems, problems, recomputed)
