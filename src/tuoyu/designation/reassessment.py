"""Yearly re-assessment of named units (年度复核) and withdrawal of a designation (撤销命名).

A named unit files one yearly report (年度报告) per calendar year, from the year it was
named, due by ``DESIGNATION_REPORT_DEADLINE`` of the following year (default 31 March;
ADR 0091). The rules below then say whether it still meets the programme's criteria
(2024 notice criteria, 全总办公厅、国家卫生健康委办公厅; policy-facts §5):

======== ======================================================================= ===========
code     the unit no longer qualifies when …                                       source
======== ======================================================================= ===========
DES-R01  its facility has closed (report: not operating), none is on record, or   2024
         the facility's filing is cancelled (备案状态 ``cancelled``), revoked       criteria;
         (``revoked``) or suspended (``suspended``, ADR 0097)                      备案办法
DES-R02  own-staff children are at or below the campaign's threshold (the         2024
         setting DES-E03 uses, default 60 %) of the children enrolled: report      criteria
         figures when filed, else the registry's enrolment records
DES-R03  a safety accident or adverse event is reported for the year, a           2024
         substantiated complaint about the facility's safety (安全隐患, 严重伤害,   criteria
         虐待或疏于照料) was received in the year, or an inspection closed in the
         year found a WS/T 821 safety item not met (质量评估标准安全项)
DES-R04  the yearly report was not filed by its deadline (late or missing once    ADR 0091
         the deadline has passed)
======== ======================================================================= ===========

Findings reuse :class:`tuoyu.designation.eligibility.Finding` (severity ``block`` = no
longer qualifies, ``pass``) and are stored per designation and year in
:class:`~tuoyu.designation.models.Reassessment`. Withdrawing stays a human decision of a
national union officer, with a public reason (see :func:`designation_withdraw`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tuoyu.audit.services import snapshot
from tuoyu.complaints.choices import Category
from tuoyu.complaints.models import Complaint
from tuoyu.complaints.workflow import Status as ComplaintStatus
from tuoyu.core.dates import local_date, local_today
from tuoyu.core.errors import GEN_NOT_FOUND, GEN_TRANSITION, DomainError
from tuoyu.designation import defaults
from tuoyu.designation import permissions as perms
from tuoyu.designation.choices import EnrolmentShareSource, FindingSeverity
from tuoyu.designation.eligibility import (
    SOURCE_2024,
    EnrolmentShare,
    Finding,
    _day_services,
    blocking,
    enrolment_shares,
)
from tuoyu.designation.errors import (
    DES_DESIGNATION_WITHDRAWN,
    DES_REPORT_EXISTS,
    DES_REPORT_FORBIDDEN,
    DES_REPORT_YEAR,
    DES_WITHDRAW_FORBIDDEN,
    DES_WITHDRAW_REASON,
)
from tuoyu.designation.models import (
    Designation,
    DesignationReport,
    DesignationWithdrawal,
    Reassessment,
)
from tuoyu.designation.reassessment_workflow import (
    DESIGNATION_WORKFLOW,
    DesignationStatus,
    designation_status,
)
from tuoyu.designation.services import _audit, _clean_save, _user_or_none
from tuoyu.facilities.workflow import NOT_OPERATING_STATUSES, FilingStatus
from tuoyu.supervision.models import InspectionItem, ItemSource
from tuoyu.supervision.workflow import InspectionStatus, ItemResult

SOURCE_FILING = _("托育机构登记和备案办法（试行）")
SOURCE_REPORTING = _("命名单位年度报告制度（ADR 0091）")

#: Complaint categories that count as a safety finding for DES-R03.
SAFETY_CATEGORIES = (Category.SAFETY, Category.SERIOUS_INJURY, Category.ABUSE_NEGLECT)

#: Longest public withdrawal reason, characters.
WITHDRAW_REASON_MAX = 500

REPORT_FIELDS = frozenset({
    "still_operating", "enrolled", "own_staff_children", "highest_monthly_fee",
    "safety_incident", "safety_incident_description", "narrative",
})


# --------------------------------------------------------------------------- reads


def report_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a ``year`` report describes: 31 December, or today while the year runs."""
    today = today or local_today()
    return min(today, dt.date(year, 12, 31))


def report_years(designation: Designation, today: dt.date | None = None) -> list[int]:
    """Years ``designation`` may report on, latest first: from the year it was named to
    the current year (local)."""
    today = today or local_today()
    return list(range(today.year, designation.named_on.year - 1, -1))


def _day_fees(facility) -> list[Decimal]:
    """Recorded monthly fees (¥) of ``facility``'s full-/half-day services (as DES-E04)."""
    if facility is None:
        return []
    return [s.monthly_fee for s in _day_services(facility) if s.monthly_fee is not None]


def report_prefill(designation: Designation, *, year: int) -> dict[str, Any]:
    """Figures a ``year`` report starts from, read from the registry.

    Returns ``{"facility", "filing_status", "enrolled", "own_staff_children",
    "enrolment_source", "highest_monthly_fee", "still_operating"}``: the application's
    facility and its current filing status; children enrolled and own-staff children on
    :func:`report_as_of` (:func:`tuoyu.designation.eligibility.enrolment_share`: enrolment
    records, else the application's declared counts); the highest full-/half-day monthly
    fee in ¥ (None when none is recorded); operating = filing not cancelled, revoked or
    suspended (ADR 0097).
    """
    application = designation.application
    share = enrolment_shares([application], as_of=report_as_of(year))[application.pk]
    facility = application.facility
    fees = _day_fees(facility)
    return {
        "facility": facility,
        "filing_status": facility.filing_status if facility else "",
        "enrolled": share.total,
        "own_staff_children": share.own_staff,
        "enrolment_source": share.source,
        "highest_monthly_fee": max(fees) if fees else None,
        "still_operating": facility is not None
        and facility.filing_status not in NOT_OPERATING_STATUSES,
    }


def safety_complaint_counts(facility_ids: Iterable[int], year: int) -> dict[int, int]:
    """Facility pk → substantiated safety complaints (:data:`SAFETY_CATEGORIES`) received
    in calendar ``year``, leaving out those held in moderation or rejected. One query."""
    ids = [pk for pk in facility_ids if pk is not None]
    if not ids:
        return {}
    rows = (Complaint.objects.filter(facility_id__in=ids, substantiated=True,
                                     category__in=SAFETY_CATEGORIES,
                                     received_on__gte=dt.date(year, 1, 1),
                                     received_on__lte=dt.date(year, 12, 31))
            .exclude(status__in=(ComplaintStatus.MODERATION, ComplaintStatus.REJECTED))
            .order_by().values("facility_id").annotate(n=Count("id")))
    return {r["facility_id"]: r["n"] for r in rows}


def safety_item_counts(facility_ids: Iterable[int], year: int) -> dict[int, int]:
    """Facility pk → safety checklist items (WS/T 821 safety list, ``ItemSource.SAFETY``)
    found not met in inspections closed in calendar ``year``. One query."""
    ids = [pk for pk in facility_ids if pk is not None]
    if not ids:
        return {}
    rows = (InspectionItem.objects.filter(
        inspection__facility_id__in=ids, inspection__status=InspectionStatus.CLOSED,
        inspection__closed_on__gte=dt.date(year, 1, 1),
        inspection__closed_on__lte=dt.date(year, 12, 31),
        source=ItemSource.SAFETY, result=ItemResult.NOT_MET)
        .order_by().values("inspection__facility_id").annotate(n=Count("id")))
    return {r["inspection__facility_id"]: r["n"] for r in rows}


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class RuleInput:
    """What the rules read for one designation and year.

    ``report``: the yearly report or None; ``share``: the registry's enrolment share on
    the report day; ``safety_complaints``: substantiated safety complaints in the year;
    ``safety_findings``: safety checklist items not met in inspections closed in the year;
    ``as_of``: the day the rules run (local); ``deadline``: the report's deadline.
    """

    designation: Designation
    year: int
    report: DesignationReport | None
    share: EnrolmentShare
    safety_complaints: int
    safety_findings: int
    as_of: dt.date
    deadline: dt.date


#: DES-R01's message for each filing status in which the facility may not operate: one
#: per member of ``facilities.workflow.NOT_OPERATING_STATUSES``.
_NOT_OPERATING = {
    FilingStatus.CANCELLED: _("托育机构备案已注销。"),
    FilingStatus.REVOKED: _("托育机构备案已被撤销。"),
    FilingStatus.SUSPENDED: _("托育机构备案已被暂停。"),
}


def rule_facility_operating(data: RuleInput) -> Finding:
    """DES-R01: the facility still operates and its filing is not cancelled, revoked or
    suspended (ADR 0097)."""
    facility = data.designation.application.facility
    if facility is None:
        return Finding("DES-R01", FindingSeverity.BLOCK, _("没有登记托育机构。"), SOURCE_2024)
    if facility.filing_status in NOT_OPERATING_STATUSES:
        # A suspended facility may not provide care (ADR 0097); lifted before the run, it passes.
        return Finding("DES-R01", FindingSeverity.BLOCK, _NOT_OPERATING[facility.filing_status],
                       SOURCE_FILING, detail={"filing_status": facility.filing_status})
    if data.report is not None and not data.report.still_operating:
        return Finding("DES-R01", FindingSeverity.BLOCK,
                       _("年度报告称托育机构已停止运营。"), SOURCE_2024)
    return Finding("DES-R01", FindingSeverity.PASS, _("托育机构仍在运营，备案未注销。"), SOURCE_2024,
                   detail={"filing_status": facility.filing_status})


def rule_own_staff_share(data: RuleInput) -> Finding:
    """DES-R02: own-staff children strictly above the campaign's threshold % (as DES-E03)."""
    threshold = data.designation.campaign.min_own_staff_share_pct
    if data.report is not None:
        share = EnrolmentShare(data.report.enrolled, data.report.own_staff_children,
                               data.report.enrolment_source)
    else:
        share = data.share
    detail = {"total": share.total, "own_staff": share.own_staff, "source": share.source,
              "threshold": threshold, "percent": share.percent if share.percent is not None else "-"}
    if not share.total:
        return Finding("DES-R02", FindingSeverity.BLOCK, _("没有在托婴幼儿。"), SOURCE_2024,
                       detail=detail)
    if Decimal(share.own_staff) * 100 > threshold * share.total:
        return Finding("DES-R02", FindingSeverity.PASS, format_lazy(
            _("职工子女占在托婴幼儿的 {percent}%，高于 {threshold}%。"),
            percent=share.percent, threshold=threshold), SOURCE_2024, detail=detail)
    return Finding("DES-R02", FindingSeverity.BLOCK, format_lazy(
        _("职工子女占在托婴幼儿的 {percent}%，不高于 {threshold}%。"),
        percent=share.percent, threshold=threshold), SOURCE_2024, detail=detail)


def rule_no_safety_incident(data: RuleInput) -> Finding:
    """DES-R03: no safety accident reported, no substantiated safety complaint and no safety
    checklist item found not met by an inspection in the year."""
    if data.report is not None and data.report.safety_incident:
        return Finding("DES-R03", FindingSeverity.BLOCK,
                       _("年度报告中报告了安全事故或不良事件。"), SOURCE_2024)
    if data.safety_complaints:
        return Finding("DES-R03", FindingSeverity.BLOCK, format_lazy(
            _("本年度有 {n} 件查实的安全类投诉。"), n=data.safety_complaints), SOURCE_2024,
            detail={"complaints": data.safety_complaints})
    if data.safety_findings:
        return Finding("DES-R03", FindingSeverity.BLOCK, format_lazy(
            _("本年度检查发现 {n} 项安全项不符合。"), n=data.safety_findings), SOURCE_2024,
            detail={"inspection_items": data.safety_findings})
    return Finding("DES-R03", FindingSeverity.PASS,
                   _("未报告安全事故，无查实的安全类投诉，检查未发现安全项不符合。"), SOURCE_2024)


def rule_report_filed(data: RuleInput) -> Finding:
    """DES-R04: the yearly report was filed by its deadline (inclusive, local date)."""
    detail = {"deadline": data.deadline.isoformat()}
    if data.report is None:
        if data.as_of > data.deadline:
            return Finding("DES-R04", FindingSeverity.BLOCK, format_lazy(
                _("{year} 年度报告逾期未报送（截止 {deadline}）。"),
                year=data.year, deadline=data.deadline.isoformat()), SOURCE_REPORTING, detail=detail)
        return Finding("DES-R04", FindingSeverity.PASS, format_lazy(
            _("{year} 年度报告尚未报送，截止日期 {deadline}。"),
            year=data.year, deadline=data.deadline.isoformat()), SOURCE_REPORTING, detail=detail)
    filed_on = local_date(data.report.filed_at)
    if filed_on > data.deadline:
        return Finding("DES-R04", FindingSeverity.BLOCK, format_lazy(
            _("年度报告于 {filed} 报送，晚于截止日期 {deadline}。"),
            filed=filed_on.isoformat(), deadline=data.deadline.isoformat()), SOURCE_REPORTING,
            detail=detail)
    return Finding("DES-R04", FindingSeverity.PASS, _("年度报告已按时报送。"), SOURCE_REPORTING,
                   detail=detail)


RULES: tuple[Callable[[RuleInput], Finding], ...] = (
    rule_facility_operating, rule_own_staff_share, rule_no_safety_incident, rule_report_filed,
)


def findings_for(data: RuleInput) -> list[Finding]:
    """Every re-assessment finding for ``data``, in code order."""
    return [rule(data) for rule in RULES]


# --------------------------------------------------------------------------- runs


def _reviewable(year: int) -> QuerySet[Designation]:
    """Designations that report on ``year``: named in or before it, not withdrawn."""
    return (Designation.objects.filter(named_on__year__lte=year, withdrawal__isnull=True)
            .select_related("campaign", "employer__division", "application__facility")
            .prefetch_related(Prefetch("reports", queryset=DesignationReport.objects.filter(
                year=year), to_attr="year_reports"))
            .order_by("certificate_number"))


def _inputs(designations: list[Designation], *, year: int, as_of: dt.date) -> list[RuleInput]:
    applications = [d.application for d in designations]
    shares = enrolment_shares(applications, as_of=report_as_of(year, as_of))
    facility_ids = {a.facility_id for a in applications}
    complaints = safety_complaint_counts(facility_ids, year)
    inspections = safety_item_counts(facility_ids, year)
    deadline = defaults.report_deadline(year)
    return [RuleInput(designation=d, year=year,
                      report=(getattr(d, "year_reports", None) or [None])[0],
                      share=shares[d.application_id],
                      safety_complaints=complaints.get(d.application.facility_id, 0),
                      safety_findings=inspections.get(d.application.facility_id, 0),
                      as_of=as_of, deadline=deadline)
            for d in designations]


def _store(actor, data: RuleInput) -> Reassessment:
    findings = findings_for(data)
    flagged = bool(blocking(findings))
    row, _created = Reassessment.objects.update_or_create(
        designation=data.designation, year=data.year,
        defaults={"report": data.report, "flagged": flagged, "as_of": data.as_of,
                  "findings": [f.as_dict() for f in findings]})
    _audit(actor, "designation.reassessment.run", row,
           after={"year": data.year, "flagged": flagged, "codes": row.flagged_codes})
    return row


@transaction.atomic
def reassess_year(*, actor, year: int, as_of: dt.date | None = None,
                  progress: Callable[[int, int, Reassessment], None] | None = None,
                  ) -> list[Reassessment]:
    """Run the re-assessment rules for every designation reporting on ``year``.

    ``actor``: the user running it, or None for the system (the command); ``as_of``:
    the local day the rules judge by (default today; DES-R04 compares it with the
    deadline). ``progress(i, n, row)`` is called after each designation. Returns the
    stored :class:`Reassessment` rows in certificate-number order. Withdrawn designations
    are skipped. Raises DES-070 for a year before 2022 or after the current year.
    """
    as_of = as_of or local_today()
    _check_year(year, first=2022, last=as_of.year)
    designations = list(_reviewable(year))
    rows: list[Reassessment] = []
    for i, data in enumerate(_inputs(designations, year=year, as_of=as_of), start=1):
        rows.append(_store(actor, data))
        if progress is not None:
            progress(i, len(designations), rows[-1])
    return rows


@transaction.atomic
def designation_reassess(*, actor, designation: Designation, year: int,
                         as_of: dt.date | None = None) -> Reassessment:
    """Run the rules for one ``designation`` and ``year`` and store the result (see
    :func:`reassess_year`). Raises DES-072 when the designation is withdrawn."""
    as_of = as_of or local_today()
    designation = _reviewable(year).filter(pk=designation.pk).first() or designation
    _require_active(designation)
    return _store(actor, _inputs([designation], year=year, as_of=as_of)[0])


def _check_year(year: int, *, first: int, last: int) -> None:
    if not first <= year <= last:
        raise DomainError(DES_REPORT_YEAR, params={"first": first, "last": last, "year": year},
                          field="year")


def _require_active(designation: Designation) -> None:
    if designation_status(designation) == DesignationStatus.WITHDRAWN:
        raise DomainError(DES_DESIGNATION_WITHDRAWN,
                          params={"date": designation.withdrawal.withdrawn_on.isoformat()})


# --------------------------------------------------------------------------- report


@transaction.atomic
def report_file(*, actor, designation: Designation, year: int, now: dt.datetime | None = None,
                **fields) -> DesignationReport:
    """File ``designation``'s yearly report (年度报告) for ``year``, then re-assess it.

    ``fields`` (any of :data:`REPORT_FIELDS`): ``still_operating`` (bool), ``enrolled``
    and ``own_staff_children`` (children), ``highest_monthly_fee`` (¥), ``safety_incident``
    (bool) with ``safety_incident_description``, ``narrative``; missing figures come from
    :func:`report_prefill`. ``now``: the aware time of filing (default the current time;
    the demo data set back-dates with it), stored as ``filed_at`` and judged by DES-R04.
    ``enrolment_source`` stays the registry's when the counts equal the prefill, else
    ``declared``. Raises DES-075 (not the named employer's
    administrator), DES-072 (withdrawn), DES-070 (year outside named year … this year),
    DES-071 (already filed; the database's unique constraint backs it), GEN-004 (invalid).
    """
    if not perms.can_file_designation_report(actor, designation):
        raise DomainError(DES_REPORT_FORBIDDEN)
    designation = Designation.objects.select_for_update(of=("self",)).select_related(
        "application__facility", "campaign").get(pk=designation.pk)
    _require_active(designation)
    today = local_date(now) if now is not None else local_today()
    years = report_years(designation, today)
    _check_year(year, first=years[-1], last=years[0])
    if DesignationReport.objects.filter(designation=designation, year=year).exists():
        raise DomainError(DES_REPORT_EXISTS, params={"year": year})
    prefill = report_prefill(designation, year=year)
    values = {k: v for k, v in fields.items() if k in REPORT_FIELDS}
    data = {**{k: prefill[k] for k in ("enrolled", "own_staff_children", "highest_monthly_fee",
                                         "still_operating")}, **values}
    source = prefill["enrolment_source"]
    if (data["enrolled"], data["own_staff_children"]) != (prefill["enrolled"],
                                                         prefill["own_staff_children"]):
        source = EnrolmentShareSource.DECLARED
    report = DesignationReport(designation=designation, year=year, facility=prefill["facility"],
                               filing_status=prefill["filing_status"], enrolment_source=source,
                               filed_by=_user_or_none(actor), **data)
    try:
        with transaction.atomic():
            _clean_save(report)
    except IntegrityError:
        raise DomainError(DES_REPORT_EXISTS, params={"year": year}) from None
    if now is not None:  # ``filed_at`` is auto_now_add: set the back-dated time after insert
        DesignationReport.objects.filter(pk=report.pk).update(filed_at=now)
        report.filed_at = now
    _audit(actor, "designation.report.file", report, organization=designation.employer,
           after=snapshot(report))
    designation_reassess(actor=actor, designation=designation, year=year, as_of=today)
    return report


# --------------------------------------------------------------------------- withdrawal


@transaction.atomic
def designation_withdraw(*, actor, designation: Designation, reason: str) -> DesignationWithdrawal:
    """Withdraw ``designation`` (撤销命名) with a public ``reason`` (1–500 characters).

    Only a national union officer (DES-074). The designation row is locked; the workflow
    table allows ``withdraw`` only from ``active`` (a second withdrawal raises DES-072 with
    the first one's date; the one-to-one row backs it in the database). Records who, when
    and why, the codes of the latest flagged re-assessment, and an audit event. The yearly
    list and the certificate page then show the withdrawal. Raises DES-073 for an empty or
    too long reason.
    """
    if not perms.can_review_designations(actor):
        raise DomainError(DES_WITHDRAW_FORBIDDEN)
    reason = (reason or "").strip()
    if not reason or len(reason) > WITHDRAW_REASON_MAX:
        raise DomainError(DES_WITHDRAW_REASON, field="reason")
    locked = Designation.objects.select_for_update().get(pk=designation.pk)
    try:
        DESIGNATION_WORKFLOW.transition("withdraw", designation_status(locked))
    except DomainError as exc:
        if exc.code == GEN_TRANSITION:
            _require_active(locked)  # says when it was withdrawn (DES-072)
        raise
    latest = locked.reassessments.filter(flagged=True).order_by("-year").first()
    withdrawal = DesignationWithdrawal(
        designation=locked, reason=reason, rule_codes=latest.flagged_codes if latest else [],
        withdrawn_on=local_today(), withdrawn_by=_user_or_none(actor))
    try:
        with transaction.atomic():
            _clean_save(withdrawal)
    except IntegrityError:
        _require_active(Designation.objects.get(pk=locked.pk))
        raise
    _audit(actor, "designation.designation.withdraw", locked,
           before={"status": DesignationStatus.ACTIVE},
           after={"status": DesignationStatus.WITHDRAWN, "reason": reason,
                  "rule_codes": withdrawal.rule_codes,
                  "withdrawn_on": withdrawal.withdrawn_on.isoformat()})
    return withdrawal


# --------------------------------------------------------------------------- selectors


def designations_for_review(user, *, year: int, flagged_only: bool = False) -> list[dict[str, Any]]:
    """Designations named in or before ``year`` with their stored ``year`` re-assessment,
    for national union officers (others get an empty list).

    Returns ``[{"designation", "reassessment" (or None), "status", "report" (or None)}]``,
    flagged first, then by certificate number; ``flagged_only`` keeps the flagged ones.
    Three queries whatever the number of designations.
    """
    if not perms.can_review_designations(user):
        return []
    designations = list(
        Designation.objects.filter(named_on__year__lte=year)
        .select_related("employer__division", "campaign", "withdrawal")
        .prefetch_related(
            Prefetch("reassessments", queryset=Reassessment.objects.filter(year=year),
                     to_attr="year_reassessments"),
            Prefetch("reports", queryset=DesignationReport.objects.filter(year=year),
                     to_attr="year_reports"))
        .order_by("certificate_number"))
    rows = []
    for d in designations:
        reassessment = (d.year_reassessments or [None])[0]
        if flagged_only and not (reassessment and reassessment.flagged):
            continue
        rows.append({"designation": d, "reassessment": reassessment,
                     "report": (d.year_reports or [None])[0], "status": designation_status(d)})
    rows.sort(key=lambda r: not (r["reassessment"] and r["reassessment"].flagged))
    return rows


def designation_get_for_review(user, pk) -> Designation:
    """Designation ``pk`` for a national union officer; GEN-001 for anyone else."""
    if not perms.can_review_designations(user):
        raise DomainError(GEN_NOT_FOUND)
    designation = (Designation.objects.select_related(
        "employer__division", "campaign", "application__facility").filter(pk=pk).first())
    if designation is None:
        raise DomainError(GEN_NOT_FOUND)
    return designation


def designations_of_user_employers(user) -> QuerySet[Designation]:
    """Designations of the employers ``user`` administers, latest first, with reports."""
    return (Designation.objects.filter(employer_id__in=perms.employer_ids(user))
            .select_related("employer", "campaign", "withdrawal")
            .prefetch_related("reports").order_by("-year", "certificate_number"))


def designation_get_for_employer(user, pk) -> Designation:
    """Designation ``pk`` of an employer ``user`` administers; GEN-001 otherwise."""
    designation = (designations_of_user_employers(user)
                   .select_related("application__facility").filter(pk=pk).first())
    if designation is None:
        raise DomainError(GEN_NOT_FOUND)
    return designation


def report_deadline(year: int) -> dt.date:
    """Deadline (inclusive) of the ``year`` report; see
    :func:`tuoyu.designation.defaults.report_deadline`."""
    return defaults.report_deadline(year)

