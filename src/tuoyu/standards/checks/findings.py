"""Findings (不符合项) and the shared pieces of every check: context, subjects, labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from tuoyu.standards.selectors import (
    EffectiveRule,
)

EDUCATION_RANK = {
    "below_hs": 0,
    "high_school": 1,
    "junior_college": 2,
    "bachelor": 3,
    "postgraduate": 4,
}


@dataclass(frozen=True)
class Finding:
    """One failed rule (不符合项) for one subject.

    ``severity`` is ``"block"`` or ``"warn"`` (from the rule, with the provincial override);
    ``message`` is in the language active when the check ran; ``subject`` says what failed
    (``班级 托小班1``, ``工作人员 #12（保育人员）``, ``婴幼儿 C00001``, ``机构``);
    ``subject_type`` is one of ``facility``, ``class``, ``staff``, ``child``, ``document``
    and ``subject_id`` the primary key (or child reference) where there is one.
    ``local_source`` names the provincial override's source when one changed the rule.
    ``params`` holds the numbers behind the message (JSON-serialisable).
    """

    rule_code: str
    severity: str
    message: str
    title: str
    source_document: str
    source_article: str
    certainty: str
    subject: str
    subject_type: str = "facility"
    subject_id: int | str | None = None
    local_source: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def is_blocking(self) -> bool:
        """True for a blocking finding."""
        return self.severity == "block"

    @property
    def source(self) -> str:
        """Document and article in one string."""
        return f"{self.source_document} {self.source_article}".strip()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return asdict(self)


def redact_children(findings: Iterable[Finding], *, may_see_personal_data: bool) -> list[Finding]:
    """The findings as a reader may see them: child references hidden unless allowed.

    ``may_see_personal_data``: whether the reader may read the facility's enrolment records
    (``facilities.permissions.can_view_personal_data(user, facility)``). When False, every
    finding about a child (``subject_type == "child"``) has its reference replaced by
    ``婴幼儿（编号已隐去）`` in the message and subject, and ``subject_id`` and the
    ``child`` parameter dropped; other findings are unchanged. Returns a new list.
    """
    if may_see_personal_data:
        return list(findings)
    hidden = _("（编号已隐去）")
    result = []
    for f in findings:
        ref = str(f.subject_id) if f.subject_type == "child" and f.subject_id else ""
        if not ref:
            result.append(f)
            continue
        result.append(
            replace(
                f,
                message=f.message.replace(ref, hidden),
                subject=f.subject.replace(ref, hidden),
                subject_id=None,
                params={k: v for k, v in f.params.items() if k != "child"},
            )
        )
    return result


def has_blocking(findings: Iterable[Finding]) -> bool:
    """True when any finding blocks (severity ``block``)."""
    return any(f.is_blocking for f in findings)


@dataclass
class _Context:
    """Everything one facility check reads, loaded once."""

    facility: Any
    as_of: date
    classes: list[Any]
    staff: list[Any]
    children: list[Any]
    placement_of: dict[int, Any]
    documents: list[Any]
    service_types: set[str]
    children_by_class: dict[int, list[Any]] = field(default_factory=dict)
    carers_by_class: dict[int, list[Any]] = field(default_factory=dict)


def _finding(
    rule: EffectiveRule,
    message: str,
    subject: str,
    *,
    subject_type: str = "facility",
    subject_id: int | str | None = None,
    **params: Any,
) -> Finding:
    local = ""
    if rule.override is not None:
        local = f"{rule.override.source_document} {rule.override.source_article}".strip()
    return Finding(
        rule_code=rule.code,
        severity=rule.severity,
        message=message,
        title=rule.title,
        source_document=rule.source_document,
        source_article=rule.source_article,
        certainty=rule.certainty,
        subject=subject,
        subject_type=subject_type,
        subject_id=subject_id,
        local_source=local,
        params=params,
    )


def _class_subject(klass: Any) -> str:
    return _("班级 {name}").format(name=klass.name)


def _staff_subject(member: Any) -> str:
    return _("工作人员 #{id}（{role}）").format(id=member.pk, role=member.get_role_display())


def _facility_subject() -> str:
    return _("机构")
