"""Writes of the double-random inspections (双随机抽查): plans, list freezing, draws.

Every service takes keyword-only arguments and a required ``actor``, runs in one
transaction, validates with ``full_clean`` and writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.draw import (
    DEFAULT_PER_TARGET,
    WeightTable,
    canonical_inspectors,
    gc_paused,
    parse_ratio,
    prepare_entities,
    sha256_hex,
    target_count,
    weights_from_settings,
)
from tuoyu.supervision.draw_lists import entity_record, inspector_record
from tuoyu.supervision.errors import (
    SUP_LISTS_FROZEN,
    SUP_LISTS_NOT_FROZEN,
    SUP_REDRAW_REASON,
    SUP_SCOPE,
)
from tuoyu.supervision.models import Draw, DrawList, InspectionPlan
from tuoyu.supervision.selectors import draw_result_for, plan_inspector_pool, plan_population


def _audit(actor, action: str, obj, plan: InspectionPlan, *, before=None, after=None, note=""):
    org, role = acting_as(actor, organization=plan.organization)
    return audit_record(
        actor=actor, action=action, obj=obj, before=before, after=after,
        organization=org, role=role, note=note,
    )


@transaction.atomic
def inspection_plan_create(
    *,
    actor,
    organization,
    title: str,
    year: int,
    scope_prefix: str,
    ratio: Decimal | str | None = None,
    count: int | None = None,
    strata: list[str] | tuple[str, ...] = (),
    weights: dict | None = None,
    per_target: int = DEFAULT_PER_TARGET,
) -> InspectionPlan:
    """Create a double-random inspection plan (抽查计划) of health commission ``organization``.

    ``scope_prefix``: division-code prefix within the commission's jurisdiction; ``ratio``
    (default 0.05 when neither is given) or ``count``; ``strata``: ``county`` and/or
    ``provision_model``; ``weights``: a risk-weight table overriding the configured one;
    ``per_target``: inspectors per target (default 2). Raises DomainError SUP-015 (scope
    outside the jurisdiction), GEN-002 (not a health officer of ``organization``),
    SUP-004 (bad weights) or ValidationError (bad fields).
    """
    if not perms.can_create_inspection_plan(actor, organization, organization.jurisdiction_prefix):
        raise DomainError(GEN_FORBIDDEN)
    if not perms.can_create_inspection_plan(actor, organization, scope_prefix):
        raise DomainError(SUP_SCOPE, {"scope": scope_prefix}, field="scope_prefix")
    if weights:
        WeightTable.from_mapping(weights)
    if ratio is None and count is None:
        ratio = Decimal("0.05")
    plan = InspectionPlan(
        organization=organization,
        title=title,
        year=year,
        scope_prefix=scope_prefix,
        ratio=parse_ratio(ratio) if ratio is not None else None,
        count=count,
        strata=list(strata),
        weights=dict(weights or {}),
        per_target=per_target,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    _audit(actor, "supervision.plan_create", plan, plan, after=snapshot(plan))
    return plan


def _recorded_risk_factors(risk_factors: dict | None, now: dt.datetime | None) -> dict:
    """``risk_factors`` (facility pk → factors) completed from the platform's own records
    on the day of ``now``; a factor given in ``risk_factors`` wins:

    - ``complaints``: substantiated complaints of the 12 months before
      (:func:`tuoyu.complaints.selectors.substantiated_counts`, ADR 0085);
    - ``open_rectifications``: rectification orders not yet verified
      (:func:`~tuoyu.supervision.selectors.open_rectifications_by_facility`);
    - ``annual_report_missing``: the annual report of either of the two years before is
      missing after its deadline
      (:func:`~tuoyu.supervision.annual_report_selectors.annual_report_missing`, the same
      test as alert MON-003).
    """
    from tuoyu.complaints.selectors import substantiated_counts
    from tuoyu.core.dates import local_date
    from tuoyu.supervision.annual_report_selectors import annual_report_missing
    from tuoyu.supervision.selectors import open_rectifications_by_facility

    today = local_date(now or timezone.now())
    factors: dict[int, dict] = {}
    for pk, n in substantiated_counts(today).items():
        factors.setdefault(pk, {})["complaints"] = n
    for pk, n in open_rectifications_by_facility().items():
        factors.setdefault(pk, {})["open_rectifications"] = n
    for year in (today.year - 2, today.year - 1):
        for pk in annual_report_missing(None, year=year, as_of=today):
            factors.setdefault(pk, {})["annual_report_missing"] = True
    for pk, extra in (risk_factors or {}).items():
        factors[pk] = {**factors.get(pk, {}), **extra}
    return factors


@transaction.atomic
def draw_lists_freeze(
    *, actor, plan: InspectionPlan, risk_factors: dict | None = None, now: dt.datetime | None = None
) -> DrawList:
    """Freeze and publish the candidate and inspector lists of ``plan`` (冻结并公布名录).

    The candidates are the filed facilities in scope (``risk_factors``: facility pk →
    factors, see :func:`~tuoyu.supervision.selectors.plan_population`; complaints, open
    rectifications and missing annual reports default to the platform's records on the
    day of ``now``, :func:`_recorded_risk_factors`; a factor given in ``risk_factors``
    wins), the inspectors the
    pool of :func:`~tuoyu.supervision.selectors.plan_inspector_pool`; the parameters of
    the plan (with the weight table in force) are frozen with them. Returns the
    :class:`DrawList` with both SHA-256 hashes, published at ``now``. Raises GEN-002
    (not allowed), SUP-012 (already frozen), SUP-006 (no candidates).
    """
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if not perms.can_manage_inspection_plan(actor, plan):
        raise DomainError(GEN_FORBIDDEN)
    if DrawList.objects.filter(plan=plan).exists():
        raise DomainError(SUP_LISTS_FROZEN)
    entities = plan_population(plan, user=actor, risk_factors=_recorded_risk_factors(risk_factors, now))
    inspectors = plan_inspector_pool(plan)
    target_count(len(entities), ratio=plan.ratio, count=plan.count)  # SUP-006 for none
    weights = WeightTable.from_mapping(plan.weights) if plan.weights else weights_from_settings()
    strata = tuple(plan.strata)
    parameters = {
        "ratio": None if plan.ratio is None else str(plan.ratio.normalize()),
        "count": plan.count,
        "strata": list(strata),
        "per_target": plan.per_target,
        "weights": weights.as_dict(),
    }
    with gc_paused():
        entities.sort(key=lambda e: e.id)
        inspectors.sort(key=lambda i: i.id)
        entity_bytes = prepare_entities(entities, strata, weights)[0]
        records = [entity_record(e, strata) for e in entities]
    draw_list = DrawList(
        plan=plan,
        entities=records,
        inspectors=[inspector_record(i) for i in inspectors],
        parameters=parameters,
        entities_sha256=sha256_hex(entity_bytes),
        inspectors_sha256=sha256_hex(canonical_inspectors(inspectors)),
        published_at=now or timezone.now(),
        frozen_by=actor,
    )
    draw_list.full_clean()
    draw_list.save()
    _audit(
        actor, "supervision.lists_freeze", draw_list, plan,
        after={
            "entities": len(entities),
            "inspectors": len(inspectors),
            "entities_sha256": draw_list.entities_sha256,
            "inspectors_sha256": draw_list.inspectors_sha256,
        },
    )
    return draw_list


@transaction.atomic
def draw_perform(
    *,
    actor,
    plan: InspectionPlan,
    seed: str,
    seed_source: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
) -> Draw:
    """Draw the targets and inspectors of ``plan`` from its frozen lists with ``seed`` (抽取).

    ``seed``: the value fixed and published in advance (spaces around it are removed);
    ``seed_source``: where it was published. When the plan already has a draw in force,
    this is a re-draw: ``reason`` is required, the earlier draw stays on record marked as
    superseded by the new one. Returns the new :class:`Draw`. Raises GEN-002, SUP-011
    (lists not frozen), SUP-010 (re-draw without a reason), SUP-004/SUP-005 from the draw.
    """
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if not perms.can_manage_inspection_plan(actor, plan):
        raise DomainError(GEN_FORBIDDEN)
    draw_list = DrawList.objects.filter(plan=plan).first()
    if draw_list is None:
        raise DomainError(SUP_LISTS_NOT_FROZEN)
    reason = (reason or "").strip()
    previous = Draw.objects.select_for_update().filter(plan=plan, superseded_at__isnull=True).first()
    if previous is not None and not reason:
        raise DomainError(SUP_REDRAW_REASON, field="reason")
    if previous is None and reason:
        # A first draw has nothing to replace; a reason would suggest otherwise.
        reason = ""
    result = draw_result_for(draw_list, (seed or "").strip())
    when = now or timezone.now()
    if previous is not None:
        before = snapshot(previous, ["superseded_at", "superseded_by"])
        previous.superseded_at = when
        previous.save(update_fields=["superseded_at", "updated_at"])
    new = Draw(
        plan=plan,
        seed=result.seed,
        seed_source=(seed_source or "").strip(),
        drawn_at=when,
        drawn_by=actor,
        algorithm=result.algorithm,
        result=result.as_dict(),
        redraw_reason=reason,
    )
    new.full_clean()
    new.save()
    if previous is not None:
        previous.superseded_by = new
        previous.save(update_fields=["superseded_by", "updated_at"])
        _audit(
            actor, "supervision.draw_supersede", previous, plan,
            before=before, after=snapshot(previous, ["superseded_at", "superseded_by"]), note=reason,
        )
    _audit(
        actor, "supervision.redraw" if previous else "supervision.draw", new, plan,
        after={"seed": new.seed, "targets": [t.entity for t in result.targets]}, note=reason,
    )
    return new

