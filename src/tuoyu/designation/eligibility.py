"""Eligibility rules of a designation application (申报条件), each with a stable code.

Source: the 2024 notice criteria (全总办公厅、国家卫生健康委办公厅, July 2024; policy-facts
§5, news text):

======== ========================================================================= ========
code     rule                                                                      severity
======== ========================================================================= ========
DES-E01  applicant is an agency, enterprise, public institution or industrial park block
         (机关、企事业单位、产业园区): ``Organization.ownership_type`` in the
         campaign's ``eligible_ownership_types``
DES-E02  runs a full- or half-day facility (全日托/半日托), alone or jointly: the   block
         facility's operator or a sponsor is the applicant, and it offers a
         full-day or half-day service
DES-E03  own-staff children are more than the campaign's threshold (default 60 %)  block
         of the children enrolled (主要面向本单位职工)
DES-E04  monthly fees not above the local 普惠 price, or the local average where   block /
         there is none (campaign ``price_caps``); no cap known → warn               warn
DES-E05  no safety accident or adverse event (declared by the applicant)           block
DES-E06  every material the campaign requires is uploaded                          block
======== ========================================================================= ========
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tuoyu.core.money import to_money
from tuoyu.designation.choices import EnrolmentShareSource, FindingSeverity
from tuoyu.facilities.choices import ServiceType
from tuoyu.facilities.models import Enrolment

SOURCE_2024 = _("2024年度全国爱心托育用人单位申报条件")
DAY_SERVICES = (ServiceType.FULL_DAY, ServiceType.HALF_DAY)


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on an application: code, severity (block/warn/pass), message, source."""

    rule_code: str
    severity: str
    message: Any
    source: Any = SOURCE_2024
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form (messages in the active language)."""
        return {"rule_code": self.rule_code, "severity": self.severity,
                "message": str(self.message), "source": str(self.source),
                "detail": {k: str(v) for k, v in self.detail.items()}}


@dataclass(frozen=True)
class EnrolmentShare:
    """Children enrolled and own-staff children among them, and where the counts came from."""

    total: int
    own_staff: int
    source: str

    @property
    def source_label(self):
        """The translated name of ``source``."""
        return EnrolmentShareSource(self.source).label

    @property
    def percent(self) -> Decimal | None:
        """Own-staff share in %, to one decimal place; None when nobody is enrolled."""
        if not self.total:
            return None
        return (Decimal(self.own_staff) * 100 / Decimal(self.total)).quantize(Decimal("0.1"))


def enrolment_shares(applications, *, as_of: date) -> dict[int, EnrolmentShare]:
    """``{application id: EnrolmentShare}``: own-staff share of each facility's enrolment on
    ``as_of``, counted for all ``applications`` in one query.

    Counts enrolment records (``Enrolment.employee_child``) of children enrolled on or
    before ``as_of`` and not left by then; without any such record, the application's
    declared counts; otherwise zero with source ``none``.
    """
    applications = list(applications)
    facility_ids = {a.facility_id for a in applications if a.facility_id is not None}
    counted: dict[int, tuple[int, int]] = {}
    if facility_ids:
        rows = (Enrolment.objects.filter(facility_id__in=facility_ids, enrolled_on__lte=as_of)
                .filter(Q(left_on__isnull=True) | Q(left_on__gt=as_of))
                .order_by().values("facility_id")
                .annotate(total=Count("id"), own=Count("id", filter=Q(employee_child=True))))
        counted = {r["facility_id"]: (r["total"], r["own"]) for r in rows}
    shares: dict[int, EnrolmentShare] = {}
    for application in applications:
        total, own = counted.get(application.facility_id, (0, 0))
        if total:
            shares[application.pk] = EnrolmentShare(total, own, EnrolmentShareSource.RECORDS)
        elif (application.declared_enrolled is not None
              and application.declared_own_staff_children is not None):
            shares[application.pk] = EnrolmentShare(
                application.declared_enrolled, application.declared_own_staff_children,
                EnrolmentShareSource.DECLARED)
        else:
            shares[application.pk] = EnrolmentShare(0, 0, EnrolmentShareSource.NONE)
    return shares


def enrolment_share(application, *, as_of: date) -> EnrolmentShare:
    """Own-staff share of ``application``'s facility enrolment on ``as_of`` (see
    :func:`enrolment_shares`)."""
    return enrolment_shares([application], as_of=as_of)[application.pk]


def price_cap_for(campaign, division_code: str) -> Decimal | None:
    """The campaign's monthly fee cap (¥) for ``division_code``: longest matching prefix, or None."""
    best: tuple[int, Decimal] | None = None
    for prefix, amount in (campaign.price_caps or {}).items():
        if division_code.startswith(str(prefix)) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), to_money(amount))
    return best[1] if best else None


def runs_facility(employer_id: int, facility) -> bool:
    """True when employer ``employer_id`` runs ``facility`` alone (its operator) or jointly
    (one of its sponsors) — 单独或联合举办."""
    return facility.operator_id == employer_id or facility.sponsors.filter(pk=employer_id).exists()


def _day_services(facility):
    return [s for s in facility.services.all() if s.service_type in DAY_SERVICES]


def rule_applicant_kind(application, **_kw) -> Finding:
    """DES-E01: the applicant's ownership type is one the campaign admits."""
    kind = application.employer.ownership_type
    if kind and kind in (application.campaign.eligible_ownership_types or []):
        return Finding("DES-E01", FindingSeverity.PASS, _("申报单位性质符合条件。"))
    return Finding("DES-E01", FindingSeverity.BLOCK,
                   _("申报单位须为机关、企事业单位或产业园区；请核对单位性质。"),
                   detail={"ownership_type": kind or "-"})


def rule_runs_day_facility(application, **_kw) -> Finding:
    """DES-E02: the applicant runs (alone or jointly) a facility with full- or half-day care."""
    facility = application.facility
    if facility is None:
        return Finding("DES-E02", FindingSeverity.BLOCK, _("请选择本单位举办的托育机构。"))
    if not runs_facility(application.employer_id, facility):
        return Finding("DES-E02", FindingSeverity.BLOCK,
                       _("所选托育机构不是本单位单独或联合举办的。"))
    if not _day_services(facility):
        return Finding("DES-E02", FindingSeverity.BLOCK,
                       _("所选托育机构未提供全日托或半日托服务。"))
    return Finding("DES-E02", FindingSeverity.PASS, _("本单位举办提供全日托或半日托服务的托育机构。"))


def rule_own_staff_share(application, *, as_of: date) -> Finding:
    """DES-E03: own-staff children are strictly more than the campaign's threshold %."""
    share = enrolment_share(application, as_of=as_of)
    threshold = application.campaign.min_own_staff_share_pct
    detail = {"total": share.total, "own_staff": share.own_staff, "source": share.source,
              "threshold": threshold, "percent": share.percent if share.percent is not None else "-"}
    if share.source == EnrolmentShareSource.NONE or not share.total:
        return Finding("DES-E03", FindingSeverity.BLOCK,
                       _("没有在托婴幼儿数据：请登记在托婴幼儿或填报在托人数和职工子女人数。"),
                       detail=detail)
    if Decimal(share.own_staff) * 100 > threshold * share.total:
        return Finding("DES-E03", FindingSeverity.PASS, format_lazy(
            _("职工子女占在托婴幼儿的 {percent}%，高于 {threshold}%。"),
            percent=share.percent, threshold=threshold), detail=detail)
    return Finding("DES-E03", FindingSeverity.BLOCK, format_lazy(
        _("职工子女占在托婴幼儿的 {percent}%，须高于 {threshold}%。"),
        percent=share.percent, threshold=threshold), detail=detail)


def rule_fee_cap(application, **_kw) -> Finding:
    """DES-E04: every full-/half-day monthly fee ≤ the local cap (¥/month) of the campaign."""
    facility = application.facility
    if facility is None:
        return Finding("DES-E04", FindingSeverity.WARN, _("未选择托育机构，无法核对收费。"))
    cap = price_cap_for(application.campaign, facility.division.code)
    fees = [s.monthly_fee for s in _day_services(facility) if s.monthly_fee is not None]
    if cap is None or not fees:
        return Finding("DES-E04", FindingSeverity.WARN,
                       _("本地普惠价格或平均价格未设置，或机构未填报收费：须人工核实收费。"),
                       detail={"cap": cap if cap is not None else "-"})
    highest = max(fees)
    detail = {"fee": highest, "cap": cap}
    if highest <= cap:
        return Finding("DES-E04", FindingSeverity.PASS, format_lazy(
            _("月收费最高 {fee} 元，不高于当地标准 {cap} 元。"), fee=highest, cap=cap), detail=detail)
    return Finding("DES-E04", FindingSeverity.BLOCK, format_lazy(
        _("月收费最高 {fee} 元，高于当地标准 {cap} 元。"), fee=highest, cap=cap), detail=detail)


def rule_no_safety_incident(application, **_kw) -> Finding:
    """DES-E05: the applicant declares no safety accident or adverse event."""
    if application.no_safety_incident:
        return Finding("DES-E05", FindingSeverity.PASS, _("已承诺未发生安全事故和不良事件。"))
    return Finding("DES-E05", FindingSeverity.BLOCK,
                   _("须承诺未发生安全事故和不良事件。"))


def rule_materials(application, **_kw) -> Finding:
    """DES-E06: one upload per required material label of the campaign."""
    required = list(application.campaign.required_materials or [])
    if not required:
        return Finding("DES-E06", FindingSeverity.PASS, _("本次活动无必备材料要求。"))
    have = set(application.materials.values_list("label", flat=True)) if application.pk else set()
    missing = [label for label in required if label not in have]
    if missing:
        return Finding("DES-E06", FindingSeverity.BLOCK, format_lazy(
            _("缺少申报材料：{missing}"), missing="、".join(missing)),
            detail={"missing": "、".join(missing)})
    return Finding("DES-E06", FindingSeverity.PASS, _("必备申报材料已上传。"))


RULES = (
    rule_applicant_kind, rule_runs_day_facility, rule_own_staff_share, rule_fee_cap,
    rule_no_safety_incident, rule_materials,
)


def application_check(application, *, as_of: date) -> list[Finding]:
    """Every eligibility finding of ``application`` as of ``as_of`` (local date), in code order."""
    return [rule(application, as_of=as_of) for rule in RULES]


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that stop a submission."""
    return [f for f in findings if f.severity == FindingSeverity.BLOCK]
