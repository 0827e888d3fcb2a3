"""Checks of an annual report (年报核查) against the rule table.

Three kinds of finding, each naming its rule code and source:

- **missing figures** (``ANR-REQUIRED``, blocking): a required figure left blank — each
  enrolment cell, each staff count, incidents, income, spending, complaints, and a short
  description when incidents were reported (管理规范 Art. 38: the year's report);
- **registry findings** (warnings): the compliance check of the standards app
  (:func:`tuoyu.standards.checks.facility_check`) run on the facility's registry *as of
  31 December* of the year, keeping only the rules an annual report is about: carer
  ratios and class caps (设置标准 Art. 19–20, ``STD-RATIO-*``, ``STD-CAP-*``), health
  staff (76号令 Art. 12, ``STD-HEALTH-STAFF``), health certificates (管理规范 Art. 28,
  ``STD-HEALTH-CERT``) and expired or missing filing documents (登记和备案办法 Art. 8,
  ``STD-DOCS-REQUIRED``);
- **findings on the reported figures** (warnings): the busiest month's children per class
  type need ``ceil(children ÷ ratio)`` carers (the rule table's ``children_per_carer``,
  :func:`tuoyu.standards.selectors.carers_required`); the busiest month's children need
  the health staff of ``STD-HEALTH-STAFF``; every member of staff reported needs a valid
  health certificate (``STD-HEALTH-CERT``) and the posts named by ``STD-QUAL-*`` need
  training; and the figures must agree with each other (``ANR-ZERO-ENROLMENT``: no child
  at any month's end while carers or income are reported).

Only missing figures block submission; everything else is shown to the officer.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuoyu.facilities.choices import ClassType, ServiceType, StaffRole
from tuoyu.standards.checks import facility_check
from tuoyu.standards.selectors import (
    CLASS_TYPES,
    RuleBook,
    carers_required,
    province_of,
    rules_in_force,
)

#: Rule code of a missing required figure (not in the rule table: the report's own rule).
REQUIRED_CODE = "ANR-REQUIRED"
#: Source of :data:`REQUIRED_CODE`.
REQUIRED_SOURCE = "托育机构管理规范（试行）（国卫人口发〔2019〕58号） 第三十八条"
#: Rule code of reported figures that contradict each other: no child enrolled at any
#: month's end while carers or income are reported (the report's own rule, a warning).
ZERO_ENROLMENT_CODE = "ANR-ZERO-ENROLMENT"
#: Source of :data:`ZERO_ENROLMENT_CODE`: the year's report of the facility's operation.
ZERO_ENROLMENT_SOURCE = REQUIRED_SOURCE
#: Rule codes of the registry check kept for an annual report (exact codes or prefixes ending "-").
REGISTRY_RULES = ("STD-RATIO-", "STD-CAP-", "STD-HEALTH-STAFF", "STD-HEALTH-CERT", "STD-DOCS-REQUIRED")
#: Roles whose training the rule table requires, and the rule that says so.
TRAINING_RULES = {"director": "STD-QUAL-DIRECTOR", "carer": "STD-QUAL-CARER", "health_worker": "STD-QUAL-HEALTH"}

MONTHS = tuple(range(1, 13))
#: Short month names for tables (一月 … 十二月 as 1月 … 12月).
MONTH_LABELS = (
    gettext_lazy("1月"), gettext_lazy("2月"), gettext_lazy("3月"), gettext_lazy("4月"),
    gettext_lazy("5月"), gettext_lazy("6月"), gettext_lazy("7月"), gettext_lazy("8月"),
    gettext_lazy("9月"), gettext_lazy("10月"), gettext_lazy("11月"), gettext_lazy("12月"),
)
ROLES = tuple(StaffRole.values)
SERVICE_TYPES = tuple(ServiceType.values)


@dataclass(frozen=True)
class AnnualReportFinding:
    """One finding of an annual report's check.

    ``rule_code``: the rule (``STD-…`` from the rule table, or ``ANR-REQUIRED``);
    ``severity``: ``block`` (only missing figures) or ``warn``; ``message`` in the active
    language; ``source``: document and article; ``subject``: what it is about;
    ``origin``: ``required``, ``registry`` (the registry on 31 December) or ``report``
    (the figures reported).
    """

    rule_code: str
    severity: str
    message: str
    source: str
    subject: str
    origin: str

    @property
    def is_blocking(self) -> bool:
        """True for a finding that blocks submission."""
        return self.severity == "block"


def year_end(year: int) -> dt.date:
    """31 December of ``year``: the day the registry is read and checked for the report."""
    return dt.date(year, 12, 31)


def _class_label(class_type: str) -> str:
    return str(ClassType(class_type).label)


def _role_label(role: str) -> str:
    return str(StaffRole(role).label)


def staff_figure_label(role: str, column_label: str) -> str:
    """The label of one staff figure, e.g. 保育人员人数 / "Carer: number"."""
    return _("%(role)s%(column)s") % {"role": _role_label(role), "column": column_label}


def missing_figures(report) -> list[str]:
    """Labels (active language) of the required figures of ``report`` left blank, in form order.

    Required: the 48 enrolment cells (4 class types × 12 months), for each of the 6 roles
    the count, trained and health-certificate counts, the incidents count (and a short
    description when it is above 0), income, spending and complaints received. Fees are
    optional (a facility may not offer every service form).
    """
    missing: list[str] = []
    cells = {(c.class_type, c.month): c.children for c in report.enrolment.all()}
    for class_type in CLASS_TYPES:
        for month in MONTHS:
            if cells.get((class_type, month)) is None:
                missing.append(_("%(klass)s%(month)d月在托人数") % {"klass": _class_label(class_type), "month": month})
    staff = {s.role: s for s in report.staff.all()}
    for role in ROLES:
        row = staff.get(role)
        for field, label in (
            ("count", _("人数")), ("trained", _("培训合格人数")), ("health_certificate_valid", _("健康证有效人数"))
        ):
            if row is None or getattr(row, field) is None:
                missing.append(staff_figure_label(role, label))
    if report.incidents_count is None:
        missing.append(_("安全事故（件）"))
    elif report.incidents_count > 0 and not report.incidents_summary.strip():
        missing.append(_("事故简要情况"))
    if report.income is None:
        missing.append(_("收入（元）"))
    if report.spending is None:
        missing.append(_("支出（元）"))
    if report.complaints_count is None:
        missing.append(_("收到投诉（件）"))
    return missing


def _required_findings(report) -> list[AnnualReportFinding]:
    return [
        AnnualReportFinding(
            rule_code=REQUIRED_CODE, severity="block",
            message=_("必填数据未填写：%(figure)s") % {"figure": label},
            source=REQUIRED_SOURCE, subject=label, origin="required",
        )
        for label in missing_figures(report)
    ]


def _kept(code: str) -> bool:
    return any(code.startswith(r) if r.endswith("-") else code == r for r in REGISTRY_RULES)


def _registry_findings(report, rules: RuleBook) -> list[AnnualReportFinding]:
    findings = facility_check(report.facility, as_of=year_end(report.year), rules=rules)
    return [
        AnnualReportFinding(
            rule_code=f.rule_code, severity="warn", message=f.message, source=f.source,
            subject=f.subject, origin="registry",
        )
        for f in findings
        if _kept(f.rule_code) and f.subject_type != "child"
    ]


def _report_finding(rule, message: str, subject: str) -> AnnualReportFinding:
    return AnnualReportFinding(
        rule_code=rule.code, severity="warn", message=message, source=rule.source,
        subject=subject, origin="report",
    )


def _zero_enrolment_finding(report, cells: list, carers, subject: str) -> AnnualReportFinding | None:
    """``ANR-ZERO-ENROLMENT`` when every enrolment cell in ``cells`` (the report's rows)
    is filled in and all are 0, while the report gives carers (count above 0) or income
    (above ¥0); None otherwise. Blank cells are missing figures, not zeros, so they raise
    nothing here."""
    if not cells or any(c.children is None or c.children for c in cells):
        return None
    carer_count = carers.count if carers is not None and carers.count else 0
    income = report.income or 0
    if not carer_count and not income:
        return None
    return AnnualReportFinding(
        rule_code=ZERO_ENROLMENT_CODE, severity="warn",
        message=_("全年各月末在托人数均为0，但年报填报保育人员%(carers)d名、收入%(income)s元，数据不一致，请核实在托人数。")
        % {"carers": carer_count, "income": "—" if report.income is None else report.income},
        source=ZERO_ENROLMENT_SOURCE, subject=subject, origin="report",
    )


def _figures_findings(report, rules: RuleBook) -> list[AnnualReportFinding]:
    findings: list[AnnualReportFinding] = []
    peak = dict.fromkeys(CLASS_TYPES, 0)
    by_month = dict.fromkeys(MONTHS, 0)
    cells = list(report.enrolment.all())
    for cell in cells:
        if cell.children is None or cell.class_type not in peak:
            continue
        peak[cell.class_type] = max(peak[cell.class_type], cell.children)
        by_month[cell.month] += cell.children
    staff = {s.role: s for s in report.staff.all()}
    carers = staff.get("carer")
    facility_subject = _("机构")

    # Consistency (管理规范 Art. 38): a year with no child while carers work or income
    # comes in is most likely an enrolment table left at zero.
    zero_finding = _zero_enrolment_finding(report, cells, carers, facility_subject)
    if zero_finding is not None:
        findings.append(zero_finding)

    # Carers (设置标准 Art. 20): the busiest month of each class type, at the table's ratio.
    needed, codes = 0, []
    for class_type in CLASS_TYPES:
        rule = rules.find(f"STD-RATIO-{class_type.upper()}")
        per = rule.param("children_per_carer") if rule else None
        if not per or not peak[class_type]:
            continue
        needed += carers_required(peak[class_type], int(per))
        codes.append(rule)
    if codes and carers is not None and carers.count is not None and carers.count < needed:
        rule = codes[0]
        findings.append(
            AnnualReportFinding(
                rule_code=", ".join(r.code for r in codes), severity="warn",
                message=_("按各班型最多在托人数及师幼比，需保育人员至少%(needed)d名，年报填报%(have)d名。")
                % {"needed": needed, "have": carers.count},
                source=rule.source, subject=facility_subject, origin="report",
            )
        )

    # Health staff (76号令 Art. 12): the busiest month's children.
    rule = rules.find("STD-HEALTH-STAFF")
    children = max(by_month.values())
    workers = staff.get("health_worker")
    if rule and children and workers is not None and workers.count is not None:
        per = int(rule.param("children_per_health_worker") or 150)
        full_time_from = int(rule.param("full_time_from_children", per) or per)
        needed = math.ceil(children / per) if children >= full_time_from else 1
        if workers.count < needed:
            findings.append(_report_finding(
                rule,
                _("月末在托最多%(children)d人，需卫生保健人员至少%(needed)d名，年报填报%(have)d名。")
                % {"children": children, "needed": needed, "have": workers.count},
                facility_subject,
            ))

    # Health certificates (管理规范 Art. 28) and training (设置标准 Art. 18).
    cert_rule = rules.find("STD-HEALTH-CERT")
    for role in ROLES:
        row = staff.get(role)
        if row is None or not row.count:
            continue
        if cert_rule and row.health_certificate_valid is not None and row.health_certificate_valid < row.count:
            findings.append(_report_finding(
                cert_rule,
                _("%(role)s%(count)d人中%(without)d人年末无有效健康合格证明。")
                % {"role": _role_label(role), "count": row.count, "without": row.count - row.health_certificate_valid},
                _role_label(role),
            ))
        code = TRAINING_RULES.get(role)
        rule = rules.find(code) if code else None
        if rule and rule.param("training_required", True) and row.trained is not None and row.trained < row.count:
            findings.append(_report_finding(
                rule,
                _("%(role)s%(count)d人中%(untrained)d人未经岗位培训合格。")
                % {"role": _role_label(role), "count": row.count, "untrained": row.count - row.trained},
                _role_label(role),
            ))
    return findings


def annual_report_findings(report, *, rules: RuleBook | None = None) -> list[AnnualReportFinding]:
    """Every finding of ``report``: missing figures (blocking) first, then the registry's
    findings on 31 December and the findings on the reported figures (warnings).

    ``rules``: the rule book in force on 31 December of the report's year in the
    facility's province (read when not given). Reads only. About ten queries.
    """
    if rules is None:
        rules = rules_in_force(as_of=year_end(report.year), province_code=province_of(report.facility.division.code))
    return _required_findings(report) + _registry_findings(report, rules) + _figures_findings(report, rules)
