"""The alert rules (预警规则) of the alerts job (动态监管).

Each rule is an :class:`AlertRule`: a stable code (``MON-001`` …), a title, the threshold
in words, the source of that threshold (document and article), a ``find`` function that
returns the breaches on a date as :class:`Hit` rows (facility, subject, figures) and a
``describe`` function that turns one alert's figures into a sentence in the active
language. Rules only read; :func:`tuoyu.monitoring.services.run_alerts` turns hits into
alerts (ADR 0087).

=========  ======================================  ===========================================
code       what                                    threshold and source
=========  ======================================  ===========================================
MON-001    carer ratio or class cap breached by    rule table ``STD-RATIO-*`` / ``STD-CAP-*``
           the children placed in a class          (设置标准 Art. 19–20, provincial overrides)
MON-002    a member of staff in post with an       rule table ``STD-HEALTH-CERT``
           expired health certificate              (管理规范 Art. 28)
MON-003    annual report missing after its         管理规范 Art. 38; deadline: the annual
           deadline                                reports' setting
MON-004    rectification order overdue             the order's deadline (ADR 0075)
MON-005    burst of complaints about one facility  ``TUOYU_ALERT_COMPLAINT_BURST_*`` (ADR 0088,
                                                   UNVERIFIED)
=========  ======================================  ===========================================

Which facilities: MON-001 and MON-002 look at facilities whose filing is in force (filed,
or filed with a change pending); the other rules at any facility their records name.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuoyu.core.errors import DomainError
from tuoyu.monitoring import parameters
from tuoyu.monitoring.errors import MON_UNKNOWN_RULE
from tuoyu.supervision.annual_report_selectors import annual_report_missing

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    """One breach found by a rule: about ``facility_id``, ``subject_key`` within it
    (``''`` for the facility as a whole), with the figures in ``details`` (JSON-ready)."""

    facility_id: int
    subject_key: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AlertRule:
    """One alert rule.

    ``title``: lazy text; ``threshold(as_of)`` and ``sources(as_of)``: the threshold in
    words and its sources (``["document article", …]``) on ``as_of``, in the active
    language; ``find(as_of)``: the breaches on ``as_of`` (iterable of :class:`Hit`);
    ``describe(details)``: one alert's sentence in the active language.
    """

    code: str
    title: Any
    threshold: Callable[[dt.date], str]
    sources: Callable[[dt.date], list[str]]
    find: Callable[[dt.date], Iterable[Hit]]
    describe: Callable[[dict[str, Any]], str]


# --- MON-001: carer ratio and class cap from the children placed --------------------------------

_RATIO_PREFIX, _CAP_PREFIX = "STD-RATIO-", "STD-CAP-"


def _filed_facilities():
    from tuoyu.facilities.models import Facility
    from tuoyu.facilities.selectors import PUBLIC_STATUSES

    return Facility.objects.filter(filing_status__in=PUBLIC_STATUSES)


def _class_rules(as_of: dt.date) -> list:
    """The national ``STD-RATIO-*`` and ``STD-CAP-*`` rules in force on ``as_of``."""
    from tuoyu.standards.selectors import rules_in_force

    return [
        r for r in rules_in_force(as_of=as_of)
        if r.code.startswith((_RATIO_PREFIX, _CAP_PREFIX))
    ]


def _ratio_find(as_of: dt.date) -> Iterator[Hit]:
    """The ``STD-RATIO-*`` findings, and the ``STD-CAP-*`` findings about children placed
    (not about a class's registered capacity), of the standards compliance check
    (:func:`tuoyu.standards.checks.facilities_check`) of every filed facility on ``as_of``.
    One hit per class and standards rule."""
    from tuoyu.facilities.models import FacilityClass
    from tuoyu.standards.checks import facilities_check

    facilities = _filed_facilities().select_related("division").order_by("pk")
    found: list[tuple[int, Any]] = []
    for facility_id, findings in facilities_check(facilities, as_of=as_of).items():
        for f in findings:
            if "unusable_parameters" in f.params:
                continue  # the rule table is broken, not the facility: the standards page says so
            if f.rule_code.startswith(_RATIO_PREFIX) or (
                f.rule_code.startswith(_CAP_PREFIX) and "children" in f.params
            ):
                found.append((facility_id, f))
    names = dict(
        FacilityClass.objects.filter(pk__in={f.subject_id for _, f in found}).values_list("pk", "name")
    )
    for facility_id, f in found:
        details = {
            "standard_rule": f.rule_code,
            "class_id": f.subject_id,
            "class_name": names.get(f.subject_id, ""),
            "source": f.source,
        }
        details.update({k: f.params[k] for k in (
            "children", "carers", "carers_required", "children_per_carer", "max_children"
        ) if k in f.params})
        yield Hit(facility_id, f"{f.rule_code}:class:{f.subject_id}", details)


def _ratio_describe(d: dict[str, Any]) -> str:
    if str(d.get("standard_rule", "")).startswith(_RATIO_PREFIX):
        return _("{klass}在班 {children} 人，需保育人员至少 {needed} 名（1:{per}），实有 {carers} 名。").format(
            klass=d.get("class_name", ""), children=d.get("children"), needed=d.get("carers_required"),
            per=d.get("children_per_carer"), carers=d.get("carers"),
        )
    return _("{klass}在班婴幼儿 {count} 人，超过上限 {cap} 人。").format(
        klass=d.get("class_name", ""), count=d.get("children"), cap=d.get("max_children"),
    )


def _ratio_threshold(as_of: dt.date) -> str:
    from tuoyu.facilities.choices import ClassType

    rules = {r.code: r for r in _class_rules(as_of)}
    parts = []
    for class_type in ClassType:
        ratio = rules.get(f"{_RATIO_PREFIX}{class_type.value.upper()}")
        cap = rules.get(f"{_CAP_PREFIX}{class_type.value.upper()}")
        if ratio is None and cap is None:
            continue
        per = ratio.param("children_per_carer") if ratio else None
        most = cap.param("max_children") if cap else None
        parts.append(_("{label}：保育人员与婴幼儿 1:{per}，每班不超过 {cap} 人").format(
            label=class_type.label, per=per or "—", cap=most or "—",
        ))
    return _("在班婴幼儿按班计，{rules}（全国规则；省级规定另有的，按本省规则检查）。").format(
        rules="；".join(parts)
    )


def _ratio_sources(as_of: dt.date) -> list[str]:
    return sorted({r.source for r in _class_rules(as_of)})


# --- MON-002: expired health certificates ------------------------------------------------------

HEALTH_CERT_RULE = "STD-HEALTH-CERT"


def _cert_find(as_of: dt.date) -> Iterator[Hit]:
    """Staff in post on ``as_of`` (started by then, not yet left) at a filed facility whose
    health certificate expired before ``as_of`` (valid through its expiry date, as in the
    standards check). A missing expiry date is the standards check's concern, not an alert."""
    from tuoyu.facilities.models import StaffMember

    rows = (
        StaffMember.objects.filter(
            facility__in=_filed_facilities(), health_certificate_expiry__lt=as_of,
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=as_of))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .order_by("facility_id", "pk")
        .values_list("pk", "facility_id", "role", "health_certificate_expiry")
    )
    for pk, facility_id, role, expiry in rows:
        yield Hit(facility_id, f"staff:{pk}", {"staff_id": pk, "role": role, "expiry": expiry.isoformat()})


def _cert_describe(d: dict[str, Any]) -> str:
    from tuoyu.facilities.choices import StaffRole

    role = d.get("role", "")
    label = StaffRole(role).label if role in StaffRole.values else role
    return _("工作人员 #{staff}（{role}）的健康合格证明已于 {expiry} 过期。").format(
        staff=d.get("staff_id"), role=label, expiry=d.get("expiry"),
    )


def _cert_threshold(as_of: dt.date) -> str:
    return _("在岗工作人员的健康合格证明有效期早于当日（有效期当日仍有效）。")


def _standard_source(code: str, as_of: dt.date) -> list[str]:
    from tuoyu.standards.selectors import rule_get

    try:
        return [rule_get(code, as_of=as_of).source]
    except DomainError:
        return []


# --- MON-003: annual reports missing after their deadline ----------------------------------------


def _annual_find(as_of: dt.date) -> Iterator[Hit]:
    """Facilities missing the report of either of the two years before ``as_of``'s year
    (the earlier one may still be owed while the later one's deadline has not come), from
    :func:`tuoyu.supervision.annual_report_selectors.annual_report_missing`."""
    for year in (as_of.year - 2, as_of.year - 1):
        for facility_id in sorted(annual_report_missing(None, year=year, as_of=as_of)):
            yield Hit(int(facility_id), f"year:{year}", {"year": year})


def _annual_describe(d: dict[str, Any]) -> str:
    return _("{year} 年度报告逾期未报送。").format(year=d.get("year"))


def _annual_threshold(as_of: dt.date) -> str:
    return _("已备案机构在报送期限届满后仍未提交上一年度报告（报送期限见年度报告设置）。")


def _annual_sources(as_of: dt.date) -> list[str]:
    return [_("托育机构管理规范（试行）（国卫人口发〔2019〕58号） 第三十八条")]


# --- MON-004: rectification orders overdue ------------------------------------------------------


def _rectification_find(as_of: dt.date) -> Iterator[Hit]:
    """Orders overdue on ``as_of`` by the supervision app's own rule
    (:func:`tuoyu.supervision.rectification.rectification_orders_overdue`)."""
    from tuoyu.reference.calendar import working_days_between
    from tuoyu.supervision.rectification import rectification_orders_overdue

    rows = rectification_orders_overdue(as_of).order_by("facility_id", "pk").values_list(
        "pk", "facility_id", "deadline", "ladder_step"
    )
    for pk, facility_id, deadline, step in rows:
        yield Hit(facility_id, f"order:{pk}", {
            "order_id": pk, "deadline": deadline.isoformat(),
            "working_days_late": working_days_between(deadline, as_of), "ladder_step": step,
        })


def _rectification_describe(d: dict[str, Any]) -> str:
    return _("整改通知 #{order} 的整改期限 {deadline} 已过 {days} 个工作日，仍未提交整改材料。").format(
        order=d.get("order_id"), deadline=d.get("deadline"), days=d.get("working_days_late"),
    )


def _rectification_threshold(as_of: dt.date) -> str:
    return _("整改通知过了整改期限（期限当日有效）仍未提交整改材料；已提交、待核查的不算逾期。")


def _rectification_sources(as_of: dt.date) -> list[str]:
    return [_("整改期限：本平台设置 TUOYU_RECTIFICATION_DAYS（默认 20 个工作日，ADR 0075）")]


# --- MON-005: a burst of complaints ---------------------------------------------------------------


def _complaints_find(as_of: dt.date) -> Iterator[Hit]:
    """Facilities with at least ``TUOYU_ALERT_COMPLAINT_BURST_COUNT`` complaints received
    by the office in the ``TUOYU_ALERT_COMPLAINT_BURST_DAYS`` calendar days ending on
    ``as_of``. Not counted: complaints held in moderation or rejected, and suspected
    duplicates (``duplicate_of`` set). One hit per facility."""
    from tuoyu.complaints.models import Complaint
    from tuoyu.complaints.workflow import Status

    count, days = parameters.complaint_burst_count(), parameters.complaint_burst_days()
    since = as_of - dt.timedelta(days=days - 1)
    rows = (
        Complaint.objects.filter(
            facility__isnull=False, received_on__gte=since, received_on__lte=as_of,
            duplicate_of__isnull=True,
        )
        .exclude(status__in=(Status.MODERATION, Status.REJECTED))
        .values("facility_id").annotate(n=Count("id")).filter(n__gte=count)
        .order_by("facility_id").values_list("facility_id", "n")
    )
    for facility_id, n in rows:
        yield Hit(facility_id, "", {"complaints": n, "days": days, "threshold": count, "since": since.isoformat()})


def _complaints_describe(d: dict[str, Any]) -> str:
    return _("自 {since} 起 {days} 天内收到投诉 {count} 件（预警线 {threshold} 件）。").format(
        since=d.get("since"), days=d.get("days"), count=d.get("complaints"), threshold=d.get("threshold"),
    )


def _complaints_threshold(as_of: dt.date) -> str:
    return _("同一机构在 {days} 天内收到投诉不少于 {count} 件（不计待审核、不予受理和疑似重复的投诉）。").format(
        days=parameters.complaint_burst_days(), count=parameters.complaint_burst_count(),
    )


def _complaints_sources(as_of: dt.date) -> list[str]:
    return [_("本平台设置 TUOYU_ALERT_COMPLAINT_BURST_COUNT、TUOYU_ALERT_COMPLAINT_BURST_DAYS（默认 30 天 3 件，未经核实）")]


# --- the table ---------------------------------------------------------------------------------------

RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "MON-001", gettext_lazy("师幼比或班额超标"), _ratio_threshold, _ratio_sources,
        _ratio_find, _ratio_describe,
    ),
    AlertRule(
        "MON-002", gettext_lazy("工作人员健康合格证明过期"), _cert_threshold,
        lambda as_of: _standard_source(HEALTH_CERT_RULE, as_of), _cert_find, _cert_describe,
    ),
    AlertRule(
        "MON-003", gettext_lazy("年度报告逾期未报"), _annual_threshold, _annual_sources,
        _annual_find, _annual_describe,
    ),
    AlertRule(
        "MON-004", gettext_lazy("整改逾期"), _rectification_threshold, _rectification_sources,
        _rectification_find, _rectification_describe,
    ),
    AlertRule(
        "MON-005", gettext_lazy("投诉集中"), _complaints_threshold, _complaints_sources,
        _complaints_find, _complaints_describe,
    ),
)

RULES_BY_CODE: dict[str, AlertRule] = {r.code: r for r in RULES}


def rule_get(code: str) -> AlertRule:
    """The alert rule ``code``. Raises DomainError ``MON-103`` for an unknown code."""
    try:
        return RULES_BY_CODE[code]
    except KeyError:
        raise DomainError(MON_UNKNOWN_RULE, {"code": code}) from None


def alert_message(alert) -> str:
    """The sentence describing ``alert`` (an :class:`~tuoyu.monitoring.models.Alert`) in the
    active language; the rule code alone when the rule is no longer known."""
    rule = RULES_BY_CODE.get(alert.rule_code)
    if rule is None:
        return alert.rule_code
    try:
        return rule.describe(alert.details or {})
    except (KeyError, ValueError, TypeError):  # figures stored by an older version of the rule
        logger.warning("alert %s: details do not fit rule %s", alert.pk, alert.rule_code)
        return str(rule.title)
