"""Writes of designation campaigns and applications (评选活动、申报、推荐).

Every write: keyword-only arguments, a required ``actor``, one transaction, ``full_clean``
before save and an audit event in the same transaction. Application transitions follow
``workflow.APPLICATION_WORKFLOW``: the row is locked (``select_for_update``), the table
and the actor's capability are checked, a stale ``expected_version`` or status is a
conflict (GEN-003), an :class:`ApplicationEvent` (append-only) and an audit event are
written.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.choices import OrganizationKind, OwnershipType
from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core import uploads
from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_CONFLICT, GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.core.money import to_money
from tuoyu.designation import defaults
from tuoyu.designation import permissions as perms
from tuoyu.designation.choices import ChainStep
from tuoyu.designation.eligibility import application_check, blocking, runs_facility
from tuoyu.designation.errors import (
    DES_ALREADY_APPLIED,
    DES_BLOCKING_FINDINGS,
    DES_CAMPAIGN_CLOSED,
    DES_CAMPAIGN_FORBIDDEN,
    DES_FACILITY_NOT_OWN,
    DES_HEALTH_OPINION_MISSING,
    DES_INVALID_CONFIG,
    DES_MATERIAL_INVALID,
    DES_NOT_EDITABLE,
    DES_NOT_EMPLOYER,
    DES_OPINION_NOT_NOW,
    DES_QUOTA_EXHAUSTED,
    DES_REASON_REQUIRED,
)
from tuoyu.designation.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Campaign,
    CampaignQuota,
)
from tuoyu.designation.workflow import (
    APPLICATION_WORKFLOW,
    QUOTA_STATUSES,
    STATUS_STEP,
    ApplicationStatus,
)
from tuoyu.reference.calendar import add_working_days

#: Longest reason accepted for return or rejection, characters.
REASON_MAX_LENGTH = 2000

CAMPAIGN_OPTIONS = frozenset({
    "grassroots_working_days", "city_working_days", "provincial_working_days",
    "national_working_days", "subsidy_per_unit", "matching_ratio", "publicity_working_days",
    "min_own_staff_share_pct", "eligible_ownership_types", "price_caps", "required_materials",
    "selection_rules",
})
CAMPAIGN_FIELDS = frozenset({"year", "name", "opens_on", "closes_on", "number_to_name"}) | CAMPAIGN_OPTIONS
APPLICATION_FIELDS = frozenset({
    "facility", "self_assessment", "survey_evidence", "declared_enrolled",
    "declared_own_staff_children", "no_safety_incident",
})
_APP_SNAPSHOT = ["status", "version", "stage_deadline", "facility", "health_opinion"]

#: Accepted material types, judged by the file's first bytes (:mod:`tuoyu.core.uploads`).
MATERIAL_TYPES = (uploads.PDF, uploads.JPEG, uploads.PNG)


# --------------------------------------------------------------------------- internals


def _check_window(campaign: Campaign) -> None:
    """Raise GEN-004 on ``closes_on`` when the application window ends before it opens."""
    if campaign.opens_on and campaign.closes_on and campaign.closes_on < campaign.opens_on:
        raise DomainError(GEN_INVALID, field="closes_on", params={"detail": _(
            "申报截止日期（{closes}）早于申报开始日期（{opens}）").format(
                closes=campaign.closes_on.isoformat(), opens=campaign.opens_on.isoformat())})


def _clean_save(obj, **kwargs) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        if hasattr(exc, "message_dict"):
            name, msgs = next(iter(exc.message_dict.items()))
            raise DomainError(GEN_INVALID, params={"detail": "; ".join(str(m) for m in msgs)},
                              field=None if name == "__all__" else name,
                              details={"errors": {k: [str(m) for m in v]
                                                  for k, v in exc.message_dict.items()}}) from None
        raise DomainError(GEN_INVALID, params={"detail": "; ".join(exc.messages)}) from None
    obj.save(**kwargs)


def _audit(actor, action: str, obj, *, organization=None, before=None, after=None, note: str = ""):
    """Audit event of a designation write; the actor acts as their membership in
    ``organization`` when they hold one there, else as their first membership."""
    org, role = acting_as(actor, organization=organization)
    if org is None and organization is not None:
        org, role = acting_as(actor)
    return audit_record(actor=actor, action=action, obj=obj, before=before, after=after,
                        organization=org, role=role, note=note)


def _user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _invalid_config(detail) -> DomainError:
    return DomainError(DES_INVALID_CONFIG, params={"detail": detail})


def _normalise_campaign_options(fields: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the JSON options (price caps, materials, ownership types)."""
    if "price_caps" in fields:
        caps = {}
        for prefix, amount in (fields["price_caps"] or {}).items():
            prefix = str(prefix).strip()
            if not re.fullmatch(r"\d{2}(\d{2}){0,2}", prefix):
                raise _invalid_config(_("收费上限的区划代码前缀须为 2、4 或 6 位数字。"))
            try:
                value = to_money(amount)
            except ValueError:
                raise _invalid_config(_("收费上限须为金额。")) from None
            if value <= 0:
                raise _invalid_config(_("收费上限须大于 0。"))
            caps[prefix] = str(value)
        fields["price_caps"] = caps
    if "required_materials" in fields:
        labels = [str(x).strip() for x in (fields["required_materials"] or [])]
        if any(not x or len(x) > 100 for x in labels) or len(set(labels)) != len(labels):
            raise _invalid_config(_("必备材料名称须不重复，每项 1 至 100 个字符。"))
        fields["required_materials"] = labels
    if "eligible_ownership_types" in fields:
        kinds = list(fields["eligible_ownership_types"] or [])
        if not set(kinds) <= set(OwnershipType.values):
            raise _invalid_config(_("可申报单位性质含有未知的取值。"))
        fields["eligible_ownership_types"] = [str(k) for k in kinds]
    if "selection_rules" in fields:
        from tuoyu.designation.selection import rules_from_mapping

        fields["selection_rules"] = dict(fields["selection_rules"] or {})
        rules_from_mapping(fields["selection_rules"])  # raises DES-002 naming the path
    for name in ("subsidy_per_unit", "matching_ratio", "min_own_staff_share_pct"):
        if name in fields and fields[name] is not None:
            try:
                fields[name] = to_money(fields[name])
            except ValueError:
                raise DomainError(GEN_INVALID, params={"detail": str(fields[name])},
                                  field=name) from None
    return fields


# --------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(
    *, actor, year: int, name: str, opens_on: date, closes_on: date, number_to_name: int,
    **options: Any,
) -> Campaign:
    """Create a designation campaign (设置评选活动).

    ``options``: any of :data:`CAMPAIGN_OPTIONS` (step working days, subsidy ¥ per unit,
    matching ratio ≥ 1, publicity working days, own-staff share %, eligible ownership
    types, ``price_caps`` {prefix: ¥/month}, ``required_materials`` [labels]); the rest take
    the defaults of :mod:`tuoyu.designation.defaults`. Only a national union officer.
    Raises DES-020, DES-031, GEN-004 (a field out of range, window end before start,
    duplicate year and name).
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(DES_CAMPAIGN_FORBIDDEN)
    unknown = set(options) - CAMPAIGN_OPTIONS
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    options = _normalise_campaign_options(dict(options))
    campaign = Campaign(year=year, name=(name or "").strip(), opens_on=opens_on,
                        closes_on=closes_on, number_to_name=number_to_name,
                        created_by=_user_or_none(actor), **options)
    _check_window(campaign)
    _clean_save(campaign)
    _audit(actor, "designation.campaign.create", campaign, after=snapshot(campaign))
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields: Any) -> Campaign:
    """Change a campaign's settings (any of :data:`CAMPAIGN_FIELDS`). Raises DES-020, DES-031, GEN-004."""
    if not perms.can_manage_campaign(actor):
        raise DomainError(DES_CAMPAIGN_FORBIDDEN)
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = snapshot(locked)
    for key, value in _normalise_campaign_options(dict(fields)).items():
        setattr(locked, key, value)
    _check_window(locked)
    _clean_save(locked)
    _audit(actor, "designation.campaign.update", locked, before=before, after=snapshot(locked))
    return locked


@transaction.atomic
def campaign_quota_set(*, actor, campaign: Campaign, province_code: str,
                       max_recommended: int) -> CampaignQuota:
    """Set a province's recommendation quota (推荐名额) in ``campaign``.

    ``province_code``: 2 digits (or a 6-digit code whose first 2 are taken). Raises DES-020,
    DES-031 (bad code), GEN-004.
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(DES_CAMPAIGN_FORBIDDEN)
    code = (province_code or "").strip()[:2]
    if not re.fullmatch(r"[1-9]\d", code):
        raise _invalid_config(_("省级区划代码须为 2 位数字。"))
    quota = CampaignQuota.objects.select_for_update().filter(
        campaign=campaign, province_code=code).first() or CampaignQuota(
        campaign=campaign, province_code=code, max_recommended=0)
    before = snapshot(quota) if quota.pk else None
    quota.max_recommended = max_recommended
    _clean_save(quota)
    _audit(actor, "designation.campaign.quota", quota, before=before, after=snapshot(quota))
    return quota


# --------------------------------------------------------------------------- applications


def _check_facility(employer, facility) -> None:
    if facility is None:
        return
    if not runs_facility(employer.pk, facility):
        raise DomainError(DES_FACILITY_NOT_OWN, field="facility")


def _apply_application_fields(application: Application, fields: dict[str, Any]) -> None:
    unknown = set(fields) - APPLICATION_FIELDS
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    if "facility" in fields:
        _check_facility(application.employer, fields["facility"])
    for key, value in fields.items():
        setattr(application, key, value)


@transaction.atomic
def application_create(*, actor, campaign: Campaign, employer, today: date | None = None,
                       **fields: Any) -> Application:
    """Start an employer's application (申报) to ``campaign`` as a draft.

    ``fields``: any of :data:`APPLICATION_FIELDS` (facility run alone or jointly; declared
    counts of children; self-assessment; survey evidence; the no-safety-incident
    declaration). Only the employer's administrators, inside the application window
    (inclusive dates, local time). One per employer per campaign (database constraint).
    ``today``: the local day the window is judged on (default today; the demo data set
    back-dates with it). Raises DES-021, DES-022, DES-023, DES-024, GEN-004.
    """
    if employer.kind != OrganizationKind.EMPLOYER or not perms.can_apply(actor, employer):
        raise DomainError(DES_NOT_EMPLOYER)
    today = today or local_today()
    if not campaign.is_open_on(today):
        raise DomainError(DES_CAMPAIGN_CLOSED, params={
            "opens": campaign.opens_on, "closes": campaign.closes_on, "today": today})
    if Application.objects.filter(campaign=campaign, employer=employer).exists():
        raise DomainError(DES_ALREADY_APPLIED)
    application = Application(campaign=campaign, employer=employer)
    _apply_application_fields(application, fields)
    try:
        with transaction.atomic():
            _clean_save(application)
    except IntegrityError:  # a concurrent first application won the unique constraint
        raise DomainError(DES_ALREADY_APPLIED) from None
    _audit(actor, "designation.application.create", application, organization=employer,
           after=snapshot(application, _APP_SNAPSHOT))
    return application


def _lock(application: Application, *, expected_version: int | None) -> Application:
    """Lock the application row; GEN-003 when its status or version moved since it was read."""
    locked = (Application.objects.select_for_update(of=("self",))
              .select_related("campaign", "employer__division", "facility")
              .get(pk=application.pk))
    stale_status = locked.status != application.status
    stale_version = expected_version is not None and locked.version != expected_version
    if stale_status or stale_version:
        raise DomainError(GEN_CONFLICT, params={"status": locked.get_status_display()})
    return locked


def _sync(application: Application, locked: Application) -> None:
    for name in ("status", "version", "stage_entered_on", "stage_deadline",
                 "stage_deadline_provisional", "submitted_at", "health_opinion",
                 "health_opinion_at", "health_opinion_by_id", *APPLICATION_FIELDS):
        setattr(application, name, getattr(locked, name))


@transaction.atomic
def application_update(*, actor, application: Application, expected_version: int | None = None,
                       **fields: Any) -> Application:
    """Change a draft application's own data (:data:`APPLICATION_FIELDS`).

    Raises DES-023 (not the employer's administrator), DES-024, DES-026 (not a draft),
    GEN-003, GEN-004.
    """
    locked = _lock(application, expected_version=expected_version)
    if not perms.can_apply(actor, locked.employer_id):
        raise DomainError(DES_NOT_EMPLOYER)
    if locked.status != ApplicationStatus.DRAFT:
        raise DomainError(DES_NOT_EDITABLE, params={"status": locked.get_status_display()})
    before = snapshot(locked, _APP_SNAPSHOT + sorted(APPLICATION_FIELDS))
    _apply_application_fields(locked, fields)
    locked.version += 1
    _clean_save(locked)
    _audit(actor, "designation.application.update", locked, organization=locked.employer,
           before=before, after=snapshot(locked, _APP_SNAPSHOT + sorted(APPLICATION_FIELDS)))
    _sync(application, locked)
    return locked


@transaction.atomic
def application_material_add(*, actor, application: Application, label: str,
                             file) -> ApplicationMaterial:
    """Upload a material (申报材料) to a draft application.

    The type is judged by the file's content (magic bytes: PDF, JPEG, PNG), never by its
    name; at most ``DESIGNATION_MATERIAL_MAX_BYTES`` (default 10 MiB). Stored under
    MEDIA_ROOT with a random name. Raises DES-023, DES-026, DES-030, GEN-004.
    """
    locked = _lock(application, expected_version=None)
    if not perms.can_apply(actor, locked.employer_id):
        raise DomainError(DES_NOT_EMPLOYER)
    if locked.status != ApplicationStatus.DRAFT:
        raise DomainError(DES_NOT_EDITABLE, params={"status": locked.get_status_display()})
    limit = defaults.material_max_bytes()
    try:
        content_type, suffix = uploads.upload_check(file, max_bytes=limit, types=MATERIAL_TYPES)
    except uploads.UploadSizeError as exc:
        detail = _("文件为空。") if exc.empty else (
            _("文件超过大小上限（%(mb)s MB）。") % {"mb": round(limit / 1048576, 1)})
        raise DomainError(DES_MATERIAL_INVALID, field="file", params={"detail": detail}) from None
    except uploads.UploadTypeError:
        raise DomainError(DES_MATERIAL_INVALID, field="file", params={
            "detail": _("只接受 PDF、JPEG 或 PNG 文件（按文件内容判断）。")}) from None
    original = (getattr(file, "name", "") or "")[-200:]
    material = ApplicationMaterial(
        application=locked, label=(label or "").strip(), original_name=original,
        content_type=content_type, size=file.size, uploaded_by=_user_or_none(actor))
    file.name = f"upload{suffix}"
    material.file = file
    _clean_save(material)
    Application.objects.filter(pk=locked.pk).update(version=locked.version + 1)
    application.version = locked.version + 1
    _audit(actor, "designation.application.material", material, organization=locked.employer,
           after=snapshot(material, ["label", "content_type", "size", "original_name"]))
    return material


def _enter_step(app: Application, status: str, today: date) -> Any:
    step = STATUS_STEP.get(status)
    if step is None:
        app.stage_entered_on = None
        app.stage_deadline = None
        app.stage_deadline_provisional = False
        return None
    deadline = add_working_days(today, app.campaign.step_working_days(step))
    app.stage_entered_on = today
    app.stage_deadline = deadline.date
    app.stage_deadline_provisional = bool(deadline.provisional)
    return deadline


def _check_quota(app: Application) -> None:
    """Provincial quota (推荐名额): lock the province's quota row, count, refuse when full."""
    quota = (CampaignQuota.objects.select_for_update()
             .filter(campaign_id=app.campaign_id, province_code=app.province_code).first())
    if quota is None:
        return
    used = Application.objects.filter(
        campaign_id=app.campaign_id, status__in=QUOTA_STATUSES,
        employer__division__code__startswith=app.province_code).count()
    if used >= quota.max_recommended:
        raise DomainError(DES_QUOTA_EXHAUSTED, params={"used": used, "quota": quota.max_recommended})


def _transition(*, actor, application: Application, action: str, reason: str = "",
                expected_version: int | None = None, today: date | None = None) -> Application:
    reason = (reason or "").strip()
    if action in ("return", "reject") and not reason:
        raise DomainError(DES_REASON_REQUIRED, field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(GEN_INVALID, field="reason", params={
            "detail": _("理由不能超过 %(n)d 个字符。") % {"n": REASON_MAX_LENGTH}})
    locked = _lock(application, expected_version=expected_version)
    transition = APPLICATION_WORKFLOW.transition(action, locked.status)
    if not perms.can_act_on_application(actor, locked, transition.capability):
        raise DomainError(DES_NOT_EMPLOYER if action == "submit" else GEN_FORBIDDEN)
    today = today or local_today()
    if action == "submit":
        if locked.submitted_at is None and not locked.campaign.is_open_on(today):
            raise DomainError(DES_CAMPAIGN_CLOSED, params={
                "opens": locked.campaign.opens_on, "closes": locked.campaign.closes_on,
                "today": today})
        findings = application_check(locked, as_of=today)
        blocked = blocking(findings)
        if blocked:
            raise DomainError(DES_BLOCKING_FINDINGS, params={
                "count": len(blocked), "codes": ", ".join(f.rule_code for f in blocked)},
                details={"findings": [f.as_dict() for f in findings]})
        locked.submitted_at = timezone.now()
    if action == "recommend" and transition.capability == ChainStep.PROVINCIAL:
        if not locked.health_opinion.strip():
            raise DomainError(DES_HEALTH_OPINION_MISSING)
        _check_quota(locked)
    before = snapshot(locked, _APP_SNAPSHOT)
    if action == "return":
        # The employer will change the data the health commission gave its opinion on.
        locked.health_opinion, locked.health_opinion_by, locked.health_opinion_at = "", None, None
    from_status = locked.status
    locked.status = transition.target
    deadline = _enter_step(locked, locked.status, today)
    locked.version += 1
    _clean_save(locked)
    _clean_save(ApplicationEvent(
        application=locked, action=action, from_status=from_status, to_status=locked.status,
        step="" if transition.capability == "apply" else transition.capability,
        actor=_user_or_none(actor), reason=reason,
        deadline=deadline.date if deadline else None,
        deadline_provisional=bool(deadline and deadline.provisional)))
    _audit(actor, f"designation.application.{action}", locked, before=before,
           after=snapshot(locked, _APP_SNAPSHOT), note=reason)
    _sync(application, locked)
    return locked


@transaction.atomic
def application_submit(*, actor, application: Application,
                       expected_version: int | None = None, today: date | None = None) -> Application:
    """Submit a draft application (提交申报) to the grassroots union.

    The first submission must fall inside the application window; a resubmission after a
    return may come later. Runs every eligibility rule as of today; blocking findings raise
    DES-025 with ``details["findings"]`` naming each rule. Starts the grassroots step's
    deadline (working days). ``today``: the local day it happens (default today).
    Raises DES-021, DES-023, DES-025, GEN-003, GEN-005.
    """
    return _transition(actor=actor, application=application, action="submit",
                       expected_version=expected_version, today=today)


@transaction.atomic
def application_recommend(*, actor, application: Application, reason: str = "",
                          expected_version: int | None = None,
                          today: date | None = None) -> Application:
    """Recommend the application to the next level (推荐), by the union of the current step.

    At the provincial step the provincial health commission's opinion must be recorded
    first (DES-028) and the province's quota must have room (DES-029, counted under a row
    lock on the quota). ``today``: the local day the next step's deadline counts from
    (default today). Raises GEN-002, GEN-003, GEN-005, DES-028, DES-029.
    """
    return _transition(actor=actor, application=application, action="recommend",
                       reason=reason, expected_version=expected_version, today=today)


@transaction.atomic
def application_return(*, actor, application: Application, reason: str,
                       expected_version: int | None = None) -> Application:
    """Return the application for changes (退回修改): back to draft with a reason.

    Any recorded health opinion is cleared: it was given on data the employer will change.
    Raises DES-027 (no reason), GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, application=application, action="return",
                       reason=reason, expected_version=expected_version)


@transaction.atomic
def application_reject(*, actor, application: Application, reason: str,
                       expected_version: int | None = None) -> Application:
    """Reject the application (不予推荐). Final. Raises DES-027, GEN-002, GEN-003, GEN-005."""
    return _transition(actor=actor, application=application, action="reject",
                       reason=reason, expected_version=expected_version)


@transaction.atomic
def application_health_opinion_record(*, actor, application: Application, opinion: str,
                                      expected_version: int | None = None) -> Application:
    """Record the provincial health commission's opinion (省级卫生健康委意见).

    Only a provincial health officer of the employer's province, while the application
    waits for the provincial union (``city_recommended``). The status does not change; the
    history gets a ``health_opinion`` row. Raises GEN-002, GEN-003, GEN-004 (empty
    opinion), DES-032.
    """
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError(GEN_INVALID, field="opinion", params={"detail": _("请填写意见。")})
    locked = _lock(application, expected_version=expected_version)
    if not perms.can_record_health_opinion(actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    if locked.status != ApplicationStatus.CITY_RECOMMENDED:
        raise DomainError(DES_OPINION_NOT_NOW)
    before = snapshot(locked, _APP_SNAPSHOT)
    locked.health_opinion = opinion
    locked.health_opinion_by = _user_or_none(actor)
    locked.health_opinion_at = timezone.now()
    locked.version += 1
    _clean_save(locked)
    _clean_save(ApplicationEvent(
        application=locked, action="health_opinion", from_status=locked.status,
        to_status=locked.status, step="health", actor=_user_or_none(actor), reason=opinion))
    _audit(actor, "designation.application.health_opinion", locked, before=before,
           after=snapshot(locked, _APP_SNAPSHOT))
    _sync(application, locked)
    return locked
