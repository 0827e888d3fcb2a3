"""Checks of premises and filing documents: tenure, floor, areas, documents (设置标准 Art. 11; 登记和备案办法 Art. 8)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tuoyu.core.ages import month_anniversary
from tuoyu.standards.checks.findings import Finding, _Context, _facility_subject, _finding
from tuoyu.standards.checks.staffing import _serves_meals
from tuoyu.standards.selectors import (
    EffectiveRule,
)


def _check_premises(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 11: own premises, or a lease of ≥3 years (end date inclusive) not yet ended."""
    facility = ctx.facility
    if facility.premises_tenure != "leased":
        return
    years = int(rule.param("min_lease_years", 3))
    start, end = facility.lease_start, facility.lease_end
    if start is None or end is None:
        yield _finding(
            rule, _("租赁场地未登记租赁起止日期。"), _facility_subject(), min_lease_years=years
        )
        return
    # The end date is the last day of the lease: a lease of 2024-01-01 to 2026-12-31 is 3 years.
    if end + timedelta(days=1) < month_anniversary(start, 12 * years):
        yield _finding(
            rule,
            _("场地租期 {start} 至 {end}，不足 {years} 年。").format(
                start=start.isoformat(), end=end.isoformat(), years=years
            ),
            _facility_subject(),
            lease_start=start.isoformat(),
            lease_end=end.isoformat(),
            min_lease_years=years,
        )
    elif end < ctx.as_of:
        yield _finding(
            rule,
            _("场地租赁已于 {end} 到期。").format(end=end.isoformat()),
            _facility_subject(),
            lease_end=end.isoformat(),
            min_lease_years=years,
        )


def _check_floor(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """WS/T 821: children's rooms on floor 1–3 (below 1 = basement)."""
    floor = ctx.facility.children_floor
    low, high = int(rule.param("min_floor", 1)), int(rule.param("max_floor", 3))
    if floor < low:
        yield _finding(
            rule,
            _("婴幼儿生活用房设在地下室或半地下室。"),
            _facility_subject(),
            floor=floor,
            min_floor=low,
            max_floor=high,
        )
    elif floor > high:
        yield _finding(
            rule,
            _("婴幼儿生活用房在第 {floor} 层，高于第 {max} 层。").format(floor=floor, max=high),
            _facility_subject(),
            floor=floor,
            min_floor=low,
            max_floor=high,
        )


def _area_check(
    area_field: str, label: str
) -> Callable[[_Context, EffectiveRule], Iterator[Finding]]:
    def check(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
        minimum = rule.param("min_m2_per_place")
        places = ctx.facility.total_places
        if minimum is None or places <= 0:
            return  # unverified threshold not configured: not checked
        minimum = Decimal(str(minimum))
        area = getattr(ctx.facility, area_field)
        if area is None:
            yield _finding(
                rule,
                _("未登记{label}，无法核对每托位不少于 {min} ㎡。").format(
                    label=_(label), min=minimum
                ),
                _facility_subject(),
                min_m2_per_place=str(minimum),
                places=places,
            )
            return
        per_place = (Decimal(area) / places).quantize(Decimal("0.01"))
        if per_place < minimum:
            yield _finding(
                rule,
                _("{label}每托位 {per} ㎡，低于 {min} ㎡。").format(
                    label=_(label), per=per_place, min=minimum
                ),
                _facility_subject(),
                m2_per_place=str(per_place),
                min_m2_per_place=str(minimum),
                places=places,
            )

    check.__doc__ = f"Configurable (U): {area_field} ÷ total places ≥ min_m2_per_place when set."
    return check


def _document_label(doc_type: str) -> str:
    from tuoyu.facilities.choices import DocumentType

    try:
        return str(DocumentType(doc_type).label)
    except ValueError:
        return doc_type


def _document_findings(
    ctx: _Context, rule: EffectiveRule, doc_types: Iterable[str]
) -> Iterator[Finding]:
    by_type: dict[str, list[Any]] = defaultdict(list)
    for doc in ctx.documents:
        by_type[doc.doc_type].append(doc)
    for doc_type in doc_types:
        docs = by_type.get(doc_type, [])
        if any(d.valid_until is None or d.valid_until >= ctx.as_of for d in docs):
            continue
        label = _document_label(doc_type)
        if docs:
            latest = max(d.valid_until for d in docs)
            message = _("{doc}已于 {date} 过期。").format(doc=label, date=latest.isoformat())
        else:
            latest = None
            message = _("缺少备案材料：{doc}。").format(doc=label)
        yield _finding(
            rule,
            message,
            label,
            subject_type="document",
            subject_id=doc_type,
            document=doc_type,
            expired_on=latest.isoformat() if latest else None,
        )


def _check_documents(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """登记和备案办法 Art. 8: each required document is present and not expired."""
    yield from _document_findings(ctx, rule, rule.param("documents", []))


def _check_food_licence(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """登记和备案办法 Art. 8: a facility serving meals has a valid food business licence."""
    if _serves_meals(ctx, rule):
        yield from _document_findings(ctx, rule, [rule.param("document", "food_licence")])
