"""Scoped reads of the double-random inspections (查询), and draw verification (核验).

The population of a plan comes from the facilities selectors (filed facilities the
planning officer may see, in the plan's scope); the inspector pool from memberships with
the inspector role (检查人员) in organisations within the plan's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from tuoyu.accounts.choices import Role
from tuoyu.accounts.models import Membership
from tuoyu.accounts.permissions import (
    NOTHING,
    OFFICIAL_ROLES,
    RECORD_INSPECTION,
    jurisdiction_prefixes,
    jurisdiction_q,
    organizations_of,
)
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.facilities.selectors import PUBLIC_STATUSES, facilities_visible_to
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.draw import (
    DEFAULT_PER_TARGET,
    DrawResult,
    Entity,
    Inspector,
    WeightTable,
    canonical_inspectors,
    draw,
    draw_prepared,
    gc_paused,
    prepare_entities,
    sha256_hex,
)
from tuoyu.supervision.draw_lists import (
    entity_from_record,
    frozen_entity_rows,
    inspector_from_record,
)
from tuoyu.supervision.models import (
    Draw,
    DrawList,
    Inspection,
    InspectionEvidence,
    InspectionOrigin,
    InspectionPlan,
    RectificationEscalation,
    RectificationEvidence,
    RectificationOrder,
)
from tuoyu.supervision.parameters import results_years
from tuoyu.supervision.rectification import (
    FILING_ACTION_STEPS,
    FOR_DECISION,
    rectification_order_overdue,
)
from tuoyu.supervision.workflow import InspectionStatus, LadderStep, RectificationStatus


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
    """Plans whose scope an official's jurisdiction covers or lies within; newest first.

    The rule of :func:`~tuoyu.supervision.permissions.can_view_inspection_plan` as one
    query: a scope lies within a jurisdiction prefix when it starts with it, and covers
    the prefix when it is one of the prefix's heads.
    """
    prefixes = jurisdiction_prefixes(user, roles=OFFICIAL_ROLES)
    if not prefixes:
        return InspectionPlan.objects.none()
    q = NOTHING
    for prefix in prefixes:
        heads = [prefix[:n] for n in range(len(prefix) + 1)]
        q |= Q(scope_prefix__startswith=prefix) | Q(scope_prefix__in=heads)
    return InspectionPlan.objects.filter(q).select_related("organization")


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
    factors = risk_factors or {}
    rows = (
        facilities_visible_to(user)
        .filter(filing_status__in=PUBLIC_STATUSES, division__code__startswith=plan.scope_prefix)
        .order_by("id")
        .values_list("pk", "operator_id", "division__code", "provision_model")
    )
    # Position of each stratum column in a row (after pk and operator).
    columns = [{"county": 2, "provision_model": 3}[s] for s in plan.strata]
    entities = []
    no_factors: dict = {}
    with gc_paused():
        for row in rows.iterator(chunk_size=5000):
            pk = row[0]
            extra = factors.get(pk, no_factors)
            entities.append(
                Entity(
                    id=entity_key(pk),
                    organisation=organisation_key(row[1]),
                    strata=tuple([row[c] for c in columns]),
                    credit_class=extra.get("credit_class", ""),
                    complaints=int(extra.get("complaints", 0)),
                    open_rectifications=int(extra.get("open_rectifications", 0)),
                    annual_report_missing=bool(extra.get("annual_report_missing", False)),
                )
            )
    return entities


def _inspector_memberships() -> QuerySet[Membership]:
    """Active inspector memberships (检查人员) of active users in active organisations, with
    each organisation's division (its ``jurisdiction_prefix`` is computed in Python)."""
    return Membership.objects.filter(
        role=Role.INSPECTOR, is_active=True, organization__is_active=True, user__is_active=True
    ).select_related("organization__division")


def plan_inspector_pool(plan: InspectionPlan) -> list[Inspector]:
    """The inspectors of ``plan``: active users with an active inspector membership in an
    organisation whose jurisdiction lies within the plan's scope.

    Each is ``U<pk>``; ``organisations`` are all organisations of their active memberships
    (``O<pk>``); ``last_assigned`` the entities they were given in the draw in force of the
    same organisation's most recent earlier plan.
    """
    user_ids = sorted(
        {
            m.user_id
            for m in _inspector_memberships()
            if m.organization.jurisdiction_prefix.startswith(plan.scope_prefix)
        }
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


def _frozen_lists(draw_list: DrawList) -> tuple[bytes, bytes, Any]:
    """The canonical lists of ``draw_list`` and a function drawing on them with a seed.

    Frozen records that still hash to the published hash and form a valid canonical list
    take the trusted path (:func:`~tuoyu.supervision.draw_lists.frozen_entity_rows`, no
    per-record checks); any other records are checked one by one as on input, so that a
    malformed record raises DomainError and an altered one gives its own hash. Both paths
    give the same bytes and the same draw for the same records.
    """
    params = draw_list.parameters
    strata = tuple(params.get("strata", ()))
    weights = WeightTable.from_mapping(params.get("weights"))
    inspectors = [inspector_from_record(r) for r in draw_list.inspectors]
    options = {
        "ratio": params.get("ratio"),
        "count": params.get("count"),
        "strata_columns": strata,
        "per_target": params.get("per_target", DEFAULT_PER_TARGET),
        "weights": weights,
    }
    trusted = frozen_entity_rows(draw_list.entities, strata, weights, draw_list.entities_sha256)
    if trusted is not None:
        entity_bytes, prepared = trusted

        def run(seed: str) -> DrawResult:
            return draw_prepared(prepared, draw_list.entities_sha256, inspectors, seed, **options)

    else:
        entities = [entity_from_record(r, strata) for r in draw_list.entities]
        entity_bytes = prepare_entities(entities, strata, weights)[0]

        def run(seed: str) -> DrawResult:
            return draw(entities, inspectors, seed, **options)

    return entity_bytes, canonical_inspectors(inspectors), run


def draw_list_files(draw_list: DrawList) -> tuple[bytes, bytes]:
    """The published canonical entity and inspector lists of ``draw_list`` (UTF-8 TSV bytes).

    These are the byte strings whose SHA-256 are the published hashes
    (docs/draw-algorithm.md §3); ``tuoyu inspections draw`` reads them back as they are.
    Raises DomainError when a stored record is malformed.
    """
    with gc_paused():
        entity_bytes, inspector_bytes, _run = _frozen_lists(draw_list)
    return entity_bytes, inspector_bytes


def draw_result_for(draw_list: DrawList, seed: str) -> DrawResult:
    """Run the draw on the frozen lists and parameters of ``draw_list`` with ``seed``.

    Returns a :class:`~tuoyu.supervision.draw.DrawResult`; raises what :func:`draw` raises.
    Intact frozen lists take the trusted path (see :func:`_frozen_lists`).
    """
    with gc_paused():
        return _frozen_lists(draw_list)[2](seed)


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
        with gc_paused():
            entity_bytes, inspector_bytes, run = _frozen_lists(draw_list)
            entities_sha = sha256_hex(entity_bytes)
            inspectors_sha = sha256_hex(inspector_bytes)
            recomputed = run(draw_obj.seed).as_dict()
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


# --- inspections, rectification and publication ----------------------------------------------


def inspections_visible_to(user) -> QuerySet:
    """Inspections ``user`` may see: assigned to them (inspector role), of facilities in a
    health officer's jurisdiction, or of their own organisations' facilities; newest first."""
    if not getattr(user, "is_authenticated", False):
        return Inspection.objects.none()
    field_name = "facility__division__code"
    own = [o.pk for o in organizations_of(user)]
    q = jurisdiction_q(user, field_name, roles=perms.PLANNING_ROLE)
    q |= Q(inspectors=user) & jurisdiction_q(user, field_name, capability=RECORD_INSPECTION)
    if own:
        q |= Q(facility__operator_id__in=own) | Q(facility__sponsors__in=own)
    ids = Inspection.objects.filter(q).values("pk")
    return (
        Inspection.objects.filter(pk__in=ids)
        .select_related("facility__division", "organization")
        .order_by("-visit_date", "-id")
    )


def inspection_get_for_user(user, pk):
    """Inspection ``pk`` if ``user`` may see it; raises DomainError GEN-001 otherwise
    (an inspector of another county gets "not found", not "forbidden")."""
    try:
        inspection = Inspection.objects.select_related("facility__division", "organization").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_inspection(user, inspection):
        raise DomainError(GEN_NOT_FOUND)
    return inspection


def rectification_get_for_user(user, pk):
    """Rectification order ``pk`` if ``user`` may see its inspection; GEN-001 otherwise."""
    try:
        order = RectificationOrder.objects.select_related(
            "inspection__facility__division", "inspection__organization", "facility__division"
        ).get(pk=pk)
    except (RectificationOrder.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_inspection(user, order.inspection):
        raise DomainError(GEN_NOT_FOUND)
    return order


def rectifications_visible_to(user) -> QuerySet:
    """Rectification orders of the inspections ``user`` may see, earliest deadline first."""
    return (
        RectificationOrder.objects.filter(inspection__in=inspections_visible_to(user).values("pk"))
        .select_related("facility", "inspection")
        .order_by("deadline", "id")
    )


def escalations_awaiting_filing_decision(order_ids: Iterable[int]) -> dict[int, list]:
    """Order pk → its suspension and cancellation steps (暂停备案、撤销备案) on which the
    health commission has not yet taken a filing decision (``filing_action_taken`` False;
    ADR 0075, 0097), oldest first. ``order_ids``: orders the caller already scoped to the
    user. One query. Returns only orders with such a step."""
    result: dict[int, list] = {}
    ids = list(order_ids)
    if not ids:
        return result
    rows = RectificationEscalation.objects.filter(
        order_id__in=ids, step__in=FOR_DECISION, filing_action_taken=False,
    ).order_by("order_id", "taken_on", "id")
    for row in rows:
        result.setdefault(row.order_id, []).append(row)
    return result


@dataclass(frozen=True)
class PublicInspectionResult:
    """A published inspection result (公开的检查结果): no personal data, no notes.

    ``visit_date``, ``published_on``: dates; ``findings_count``: items not met;
    ``rectification_status``: '' (no order), issued, responded or verified;
    ``ladder_step``: the highest compliance-ladder step taken ('' none); ``overdue``:
    the order is still issued after its deadline on the day asked.
    """

    visit_date: Any
    published_on: Any
    origin: str
    findings_count: int
    rectification_status: str
    ladder_step: str
    overdue: bool

    @classmethod
    def of(cls, inspection: Inspection, as_of) -> PublicInspectionResult:
        """The public result of closed ``inspection`` on ``as_of`` (its ``rectification``
        order, if any, read through the reverse one-to-one)."""
        order = getattr(inspection, "rectification", None)
        return cls(
            visit_date=inspection.visit_date,
            published_on=inspection.published_on,
            origin=inspection.origin,
            findings_count=inspection.findings_count,
            rectification_status=order.status if order else "",
            ladder_step=order.ladder_step if order else "",
            overdue=bool(order and rectification_order_overdue(order, as_of)),
        )

    def get_origin_display(self) -> str:
        """Why the inspection took place (检查来源), in the active language."""
        return str(InspectionOrigin(self.origin).label)

    def get_rectification_status_display(self) -> str:
        """The rectification status in the active language ('' for none)."""
        return str(RectificationStatus(self.rectification_status).label) if self.rectification_status else ""

    def get_ladder_step_display(self) -> str:
        """The ladder step in the active language ('' for none)."""
        return str(LadderStep(self.ladder_step).label) if self.ladder_step else ""


def _years_before(day, years: int):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def inspections_published(as_of, *, division_prefix: str = "") -> QuerySet[Inspection]:
    """Inspections whose results are public on ``as_of`` (一公开), newest visit first.

    Public = closed, ``published_on`` ≤ ``as_of`` and ``published_on`` later than
    ``as_of`` − ``TUOYU_INSPECTION_RESULTS_YEARS`` (default 3) years, of a facility on the
    public register (filing in force: filed or change submitted). ``division_prefix``
    (2, 4 or 6 digits of GB/T 2260, "" = everywhere) keeps facilities of that place.
    The one rule behind the facility page (:func:`inspection_results_public`) and the
    open data of inspection results; not scoped to a user. The rectification order comes
    with each row (``select_related``). Source: 国办发〔2015〕58号 (results published);
    publication delay and window are settings (ADR 0076).
    """
    oldest = _years_before(as_of, results_years())
    qs = Inspection.objects.filter(
        status=InspectionStatus.CLOSED, published_on__lte=as_of, published_on__gt=oldest,
        facility__filing_status__in=PUBLIC_STATUSES,
    )
    if division_prefix:
        qs = qs.filter(facility__division__code__startswith=division_prefix)
    return qs.select_related("rectification").order_by("-visit_date", "-id")


def inspection_results_public(facility, as_of) -> list[PublicInspectionResult]:
    """The published inspection results of ``facility`` on ``as_of`` (一公开), newest first:
    the rows of :func:`inspections_published` for that facility.

    Public data: not scoped to a user; carries no names, notes or item texts. One query.
    """
    facility_id = getattr(facility, "pk", facility)
    rows = inspections_published(as_of).filter(facility_id=facility_id)
    return [PublicInspectionResult.of(inspection, as_of) for inspection in rows]


def eligible_inspectors(facility) -> QuerySet:
    """Active users with an active inspector membership (检查人员) in an organisation whose
    jurisdiction covers ``facility``; ordered by user name. One query for the memberships
    (jurisdictions compared in Python); the queryset returned is the second."""
    code = facility.division.code
    ids = {m.user_id for m in _inspector_memberships() if code.startswith(m.organization.jurisdiction_prefix)}
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def evidence_get_for_user(user, pk):
    """Evidence file ``pk`` if ``user`` may see its inspection; GEN-001 otherwise."""
    try:
        evidence = InspectionEvidence.objects.select_related(
            "item__inspection__facility__division", "item__inspection__organization"
        ).get(pk=pk)
    except (InspectionEvidence.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_inspection(user, evidence.item.inspection):
        raise DomainError(GEN_NOT_FOUND)
    return evidence


def rectification_evidence_get_for_user(user, pk):
    """Evidence file ``pk`` of a response to a rectification order, if ``user`` may see the
    order (the same rule as :func:`rectification_get_for_user`); GEN-001 otherwise, so
    nobody learns whether the file exists. Never used by the portal (ADR 0092)."""
    try:
        evidence = RectificationEvidence.objects.select_related(
            "order__inspection__facility__division", "order__inspection__organization"
        ).get(pk=pk)
    except (RectificationEvidence.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_inspection(user, evidence.order.inspection):
        raise DomainError(GEN_NOT_FOUND)
    return evidence


def public_results_context(facility, as_of) -> dict:
    """Template context of the portal's inspection-results block
    (``supervision/_public_results.html``): the results and the window in years."""
    return {
        "inspection_results": inspection_results_public(facility, as_of),
        "inspection_results_years": results_years(),
    }


def open_rectifications_by_facility(facility_ids=None) -> dict[int, int]:
    """Facility pk → number of rectification orders not yet verified (issued or responded).

    The ``open_rectifications`` risk factor of a draw: pass
    ``{pk: {"open_rectifications": n}}`` as ``risk_factors`` when freezing a plan's lists.
    ``facility_ids`` limits the facilities counted (None = all). One query.
    """
    qs = RectificationOrder.objects.exclude(status=RectificationStatus.VERIFIED)
    if facility_ids is not None:
        qs = qs.filter(facility_id__in=list(facility_ids))
    return dict(qs.values("facility_id").annotate(n=Count("id")).values_list("facility_id", "n"))


def escalation_filing_action_of(escalation_pk, facility_pk) -> str:
    """The filing measure (``suspend`` or ``revoke``, :data:`FILING_ACTION_STEPS`) that
    answers ladder step ``escalation_pk`` when it is about facility ``facility_pk``; ``""``
    otherwise (none, another facility, not a number, a step that asks for no filing
    decision). For the filing decision page, which offers the step to that measure only.
    One query."""
    try:
        pk = int(escalation_pk)
    except (TypeError, ValueError):
        return ""
    step = RectificationEscalation.objects.filter(
        pk=pk, order__facility_id=facility_pk
    ).values_list("step", flat=True).first()
    return next((action for action, s in FILING_ACTION_STEPS.items() if s == step), "")
