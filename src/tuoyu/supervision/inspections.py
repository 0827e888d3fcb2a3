"""Writes of inspections (检查): creation from a draw or ad hoc, recording, closing.

Every service takes keyword-only arguments and a required ``actor``, runs in one
transaction, validates with ``full_clean`` and writes an audit event. Closing an
inspection with findings issues its rectification order (:mod:`.rectification`) and fixes
the date its result becomes public (一公开).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.reference.calendar import add_working_days
from tuoyu.supervision import parameters
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.checklist import checklist_for
from tuoyu.supervision.errors import (
    SUP_DRAW_NOT_IN_FORCE,
    SUP_INSPECTION_CLOSED,
    SUP_INSPECTOR_NOT_ELIGIBLE,
    SUP_ITEM_INVALID,
    SUP_ITEMS_UNANSWERED,
    SUP_TARGET_UNKNOWN,
    SUP_TOO_FEW_INSPECTORS,
)
from tuoyu.supervision.models import (
    Draw,
    Inspection,
    InspectionItem,
    InspectionOrigin,
    RectificationOrder,
)
from tuoyu.supervision.workflow import INSPECTION_WORKFLOW, InspectionStatus, ItemResult

#: Longest item note accepted (the column's own limit).
NOTES_MAX_LENGTH = InspectionItem._meta.get_field("notes").max_length


def _audit(actor, action: str, obj, organization, *, before=None, after=None, note=""):
    org, role = acting_as(actor)
    return audit_record(
        actor=actor, action=action, obj=obj, before=before, after=after,
        organization=org or organization, role=role, note=note,
    )


def _build(
    *, facility, organization, origin, draw, reason, inspectors, visit_date, actor, entries
) -> Inspection:
    """Save a new inspection with its ``inspectors`` and one item per checklist entry."""
    inspection = Inspection(
        facility=facility, organization=organization, origin=origin, draw=draw,
        reason=(reason or "").strip(), visit_date=visit_date, created_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.add(*inspectors)
    InspectionItem.objects.bulk_create(
        InspectionItem(
            inspection=inspection, position=k, source=e.source, code=e.code,
            title_zh=e.title_zh, title_en=e.title_en, reference=e.reference[:300],
            certainty=e.certainty,
        )
        for k, e in enumerate(entries, start=1)
    )
    return inspection


def _key_pk(key, prefix: str) -> int | None:
    """The pk in a draw list key (``F12`` → 12 with prefix ``F``), None when it has none."""
    try:
        return int(str(key).lstrip(prefix))
    except ValueError:
        return None


@transaction.atomic
def inspections_create_from_draw(*, actor, draw: Draw, visit_date: dt.date) -> list[Inspection]:
    """Create one inspection per target of ``draw`` with the inspectors drawn for it.

    ``draw`` must be in force; ``visit_date``: the planned visit, the date whose rules
    build the checklist. Targets that already have an inspection from this draw are
    skipped, so calling twice creates nothing new. Returns the inspections created.
    Raises GEN-002 (not allowed to manage the plan), SUP-023 (draw superseded), SUP-028
    (a target is no longer a facility).
    """
    from tuoyu.facilities.models import Facility

    draw = Draw.objects.select_for_update().select_related("plan__organization").get(pk=draw.pk)
    plan = draw.plan
    if not perms.can_manage_inspection_plan(actor, plan):
        raise DomainError(GEN_FORBIDDEN)
    if not draw.in_force:
        raise DomainError(SUP_DRAW_NOT_IN_FORCE)
    targets = draw.result.get("targets", [])
    # One query each for the targets' facilities and inspectors, one checklist per county.
    facilities = Facility.objects.select_related("division").in_bulk(
        {pk for t in targets if (pk := _key_pk(t["entity"], "F")) is not None}
    )
    users = get_user_model().objects.in_bulk(
        {pk for t in targets for u in t.get("inspectors", []) if (pk := _key_pk(u, "U")) is not None}
    )
    done = set(Inspection.objects.filter(draw=draw).values_list("facility_id", flat=True))
    checklists: dict[str, list] = {}
    created = []
    for target in targets:
        entity = str(target["entity"])
        facility = facilities.get(_key_pk(entity, "F"))
        if facility is None:
            raise DomainError(SUP_TARGET_UNKNOWN, {"entity": entity})
        if facility.pk in done:
            continue
        code = facility.division.code
        if code not in checklists:
            checklists[code] = checklist_for(as_of=visit_date, division_code=code)
        ids = [int(str(u).lstrip("U")) for u in target.get("inspectors", [])]
        inspection = _build(
            facility=facility, organization=plan.organization, origin=InspectionOrigin.DRAW,
            draw=draw, reason="", inspectors=[users[u] for u in ids if u in users],
            visit_date=visit_date, actor=actor, entries=checklists[code],
        )
        _audit(actor, "supervision.inspection_create", inspection, plan.organization,
               after={"draw": draw.pk, "facility": facility.pk, "inspectors": ids,
                      "visit_date": visit_date.isoformat(), "items": len(checklists[code])})
        created.append(inspection)
    return created


@transaction.atomic
def inspection_create(
    *, actor, facility, inspectors: Iterable, visit_date: dt.date, reason: str,
    origin: str = InspectionOrigin.AD_HOC,
) -> Inspection:
    """Create an ad hoc inspection (专项检查) of ``facility`` by a health officer.

    ``inspectors``: users with the inspector role whose jurisdiction covers the facility,
    at least ``TUOYU_INSPECTION_MIN_INSPECTORS`` (default 2); ``reason``: why (e.g. a
    complaint); ``origin``: ``ad_hoc`` (default) or ``complaint`` (opened from a complaint,
    see :func:`tuoyu.complaints.services.complaint_open_inspection`). Raises GEN-002 (not a health officer over the facility), SUP-024 (an
    inspector not eligible), SUP-025 (too few), ValidationError (no reason).
    """
    if not perms.can_create_ad_hoc_inspection(actor, facility):
        raise DomainError(GEN_FORBIDDEN)
    if origin not in (InspectionOrigin.AD_HOC, InspectionOrigin.COMPLAINT):
        raise DomainError(GEN_FORBIDDEN)
    chosen = list({u.pk: u for u in inspectors}.values())
    needed = parameters.min_inspectors()
    if len(chosen) < needed:
        raise DomainError(SUP_TOO_FEW_INSPECTORS, {"needed": needed}, field="inspectors")
    for user in chosen:
        if not perms.is_eligible_inspector(user, facility):
            raise DomainError(
                SUP_INSPECTOR_NOT_ELIGIBLE, {"inspector": user.get_username()}, field="inspectors"
            )
    organization = perms.organization_over(actor, facility)
    entries = checklist_for(as_of=visit_date, division_code=facility.division.code)
    inspection = _build(
        facility=facility, organization=organization, origin=origin, draw=None,
        reason=reason, inspectors=chosen, visit_date=visit_date, actor=actor, entries=entries,
    )
    _audit(actor, "supervision.inspection_create", inspection, organization,
           after={"facility": facility.pk, "inspectors": [u.pk for u in chosen],
                  "visit_date": visit_date.isoformat(), "items": len(entries)},
           note=inspection.reason)
    return inspection


def _lock_open(inspection: Inspection, actor) -> Inspection:
    locked = Inspection.objects.select_for_update().select_related("facility__division").get(pk=inspection.pk)
    if not perms.can_record_inspection(actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    if locked.status != InspectionStatus.OPEN:
        raise DomainError(SUP_INSPECTION_CLOSED)
    return locked


@transaction.atomic
def inspection_items_record(
    *, actor, inspection: Inspection, answers: Mapping[int, tuple[str, str]]
) -> list[InspectionItem]:
    """Record answers for checklist items of an open inspection (填写检查结果).

    ``answers``: item pk → ``(result, notes)``; ``result`` one of met, not_met,
    not_applicable, or ``""`` to clear; ``notes`` free text (≤ 2000 characters). Either
    assigned inspector may record until the inspection is closed; the last write wins per
    item. Returns the items changed. Raises GEN-002 (not an assigned inspector), SUP-020
    (closed), SUP-022 (unknown item or result, notes too long).
    """
    locked = _lock_open(inspection, actor)
    items = {i.pk: i for i in locked.items.all()}
    valid = set(ItemResult.values) | {""}
    now = timezone.now()
    changed = []
    for pk, (result, notes) in answers.items():
        item = items.get(int(pk))
        if item is None:
            raise DomainError(SUP_ITEM_INVALID, {"item": pk, "detail": "unknown item"})
        result = (result or "").strip()
        notes = (notes or "").strip()
        if result not in valid:
            raise DomainError(SUP_ITEM_INVALID, {"item": item.code, "detail": result})
        if len(notes) > NOTES_MAX_LENGTH:
            raise DomainError(SUP_ITEM_INVALID, {"item": item.code, "detail": f"> {NOTES_MAX_LENGTH}"})
        if (item.result, item.notes) == (result, notes):
            continue
        item.result, item.notes = result, notes
        item.answered_by, item.answered_at = actor, now
        item.full_clean()
        item.save(update_fields=["result", "notes", "answered_by", "answered_at"])
        changed.append(item)
    if changed:
        locked.save(update_fields=["updated_at"])
        _audit(actor, "supervision.inspection_record", locked, locked.organization,
               after={i.code: i.result for i in changed})
    return changed


@transaction.atomic
def inspection_close(
    *,
    actor,
    inspection: Inspection,
    required_evidence: str = "",
    deadline_working_days: int | None = None,
    today: dt.date | None = None,
) -> Inspection:
    """Close an inspection (结束检查): every item must be answered.

    Sets ``closed_on`` (``today``, default the local date), ``findings_count`` (items not
    met) and ``published_on`` = ``closed_on`` + ``TUOYU_INSPECTION_PUBLICATION_DAYS``
    working days (default 20; provisional when a year's calendar is unknown). With
    findings, issues the rectification order (``required_evidence``: what the facility
    must send; ``deadline_working_days``: default ``TUOYU_RECTIFICATION_DAYS``).
    Returns the closed inspection. Raises GEN-002, SUP-020 (already closed), SUP-021
    (items unanswered), SUP-029 (bad deadline).
    """
    from tuoyu.supervision.rectification import rectification_issue

    locked = _lock_open(inspection, actor)
    transition = INSPECTION_WORKFLOW.transition("close", locked.status)
    unanswered = locked.items.filter(result="").count()
    if unanswered:
        raise DomainError(SUP_ITEMS_UNANSWERED, {"count": unanswered})
    today = today or local_today()
    before = snapshot(locked, ["status", "closed_on", "findings_count", "published_on"])
    findings = list(locked.items.filter(result=ItemResult.NOT_MET).order_by("position"))
    publication = add_working_days(today, parameters.publication_days())
    locked.status = transition.target
    locked.closed_on = today
    locked.closed_by = actor
    locked.findings_count = len(findings)
    locked.published_on = publication.date
    locked.publication_provisional = bool(publication.provisional)
    locked.full_clean()
    locked.save()
    _audit(actor, "supervision.inspection_close", locked, locked.organization, before=before,
           after=snapshot(locked, ["status", "closed_on", "findings_count", "published_on"]))
    if findings:
        rectification_issue(
            actor=actor, inspection=locked, items=findings, required_evidence=required_evidence,
            deadline_working_days=deadline_working_days, today=today,
        )
    inspection.status = locked.status
    return locked


def rectification_for(inspection: Inspection) -> RectificationOrder | None:
    """The rectification order of ``inspection``, or None when it had no findings."""
    return RectificationOrder.objects.filter(inspection=inspection).first()
