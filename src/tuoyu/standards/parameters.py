"""The declared parameter schema of each rule (规则参数校验).

Every rule code has a schema: the parameter keys it reads, each with a type and range.
:func:`parameter_errors` checks a parameters dict against it and returns readable
problems; :func:`validate_parameters` raises a ``ValidationError`` on the ``parameters``
field (used by ``Rule.clean()`` and ``RuleOverride.clean()``, so the admin shows a field
error), and the loader refuses a rules file whose parameters do not fit. The compliance
check calls :func:`parameter_errors` before running a rule, so a rule whose stored
parameters are unusable yields a finding naming it instead of a server error.

A provincial override (地方规定) sets only some keys: it is checked with
``partial=True`` (keys present must fit; none is required).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

CLASS_TYPES = ("infant", "toddler", "older", "mixed")
EDUCATION_LEVELS = ("below_hs", "high_school", "junior_college", "bachelor", "postgraduate")
STAFF_ROLES = ("director", "carer", "health_worker", "security_guard", "cook", "other")
SERVICE_TYPES = ("full_day", "half_day", "hourly", "occasional")
DOCUMENT_TYPES = (
    "licence",
    "premises",
    "staff_certs",
    "health_eval",
    "fire_safety",
    "food_licence",
    "commitment",
    "other",
)


@dataclass(frozen=True)
class Param:
    """One parameter: ``check(value) -> problem or None``; ``required`` keys must be present."""

    check: Callable[[Any], str | None]
    required: bool = True


def _integer(low: int, high: int, *, nullable: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return _("应为整数")
        if not low <= value <= high:
            return _("应在 {low} 到 {high} 之间").format(low=low, high=high)
        return None

    return check


def _number(low: float, high: float, *, nullable: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("应为数字")
        if not low <= value <= high:
            return _("应在 {low} 到 {high} 之间").format(low=low, high=high)
        return None

    return check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else _("应为 true 或 false")


def _one_of(options: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value not in options:
            return _("应为以下之一：{options}").format(options=", ".join(options))
        return None

    return check


def _list_of(options: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or any(v not in options for v in value):
            return _("应为列表，元素取自：{options}").format(options=", ".join(options))
        return None

    return check


def _class_schema(name: str, check: Callable[[Any], str | None]) -> dict[str, Param]:
    return {"class_type": Param(_one_of(CLASS_TYPES)), name: Param(check)}


_TRAINING = {"training_required": Param(_boolean)}
_WORKING_DAYS = {"working_days": Param(_integer(1, 365))}
_AREA = {"min_m2_per_place": Param(_number(0, 1000, nullable=True))}

#: Rule code → its parameters. A code not listed here takes no parameters we read.
SCHEMAS: dict[str, dict[str, Param]] = {
    **{
        f"STD-BAND-{t.upper()}": {
            "class_type": Param(_one_of(CLASS_TYPES)),
            "min_months": Param(_integer(0, 36)),
            "max_months": Param(_integer(1, 48)),
        }
        for t in CLASS_TYPES
    },
    **{f"STD-CAP-{t.upper()}": _class_schema("max_children", _integer(1, 100)) for t in CLASS_TYPES},
    **{
        f"STD-RATIO-{t.upper()}": _class_schema("children_per_carer", _integer(1, 50))
        for t in CLASS_TYPES
    },
    "STD-ENROL-PLACES": {},
    "STD-STAFF-ROLES": {"roles": Param(_list_of(STAFF_ROLES))},
    "STD-STAFF-COOK": {
        "meal_service_types": Param(_list_of(SERVICE_TYPES)),
        "role": Param(_one_of(STAFF_ROLES), required=False),
    },
    "STD-QUAL-DIRECTOR": {
        "min_education": Param(_one_of(EDUCATION_LEVELS)),
        "min_years": Param(_integer(0, 50)),
        "training_required": Param(_boolean),
    },
    "STD-QUAL-CARER": _TRAINING,
    "STD-QUAL-HEALTH": _TRAINING,
    "STD-QUAL-SECURITY": {"certificate_required": Param(_boolean)},
    "STD-HEALTH-STAFF": {
        "children_per_health_worker": Param(_integer(1, 10000)),
        "full_time_from_children": Param(_integer(0, 10000), required=False),
    },
    "STD-HEALTH-CERT": {},
    "STD-HEALTH-CERT-RENEWAL": {"max_validity_months": Param(_integer(1, 120))},
    "STD-NO-CRIMINAL-RECORD": {},
    "STD-PREMISES-TENURE": {"min_lease_years": Param(_integer(0, 50))},
    "STD-FLOOR": {"min_floor": Param(_integer(-5, 100)), "max_floor": Param(_integer(-5, 100))},
    "STD-AREA-BUILDING": _AREA,
    "STD-AREA-OUTDOOR": _AREA,
    "STD-DOCS-REQUIRED": {"documents": Param(_list_of(DOCUMENT_TYPES))},
    "STD-DOCS-FOOD-LICENCE": {
        "document": Param(_one_of(DOCUMENT_TYPES)),
        "meal_service_types": Param(_list_of(SERVICE_TYPES)),
    },
    "STD-DEADLINE-FILING": _WORKING_DAYS,
    "STD-DEADLINE-VERIFY": _WORKING_DAYS,
}

#: Pairs of keys where the first must be below (``<``) or not above (``<=``) the second.
_ORDERED: tuple[tuple[str, str, bool], ...] = (
    ("min_months", "max_months", True),
    ("min_floor", "max_floor", False),
)


def parameter_errors(code: str, parameters: Any, *, partial: bool = False) -> list[str]:
    """Problems of ``parameters`` for rule ``code``; ``[]`` when they fit its schema.

    ``parameters`` should be a dict; each problem is one readable line in the active
    language, e.g. ``"max_children: 应为整数"``. ``partial`` (overrides) skips the
    required-key check. A code without a declared schema accepts any dict. Unknown keys
    are not an error (a later rule version may read them).
    """
    if not isinstance(parameters, dict):
        return [_("参数必须是 JSON 对象。")]
    schema = SCHEMAS.get(code)
    if schema is None:
        return []
    problems = []
    for key, param in schema.items():
        if key not in parameters:
            if param.required and not partial:
                problems.append(_("{key}: 缺少必填参数").format(key=key))
            continue
        problem = param.check(parameters[key])
        if problem:
            problems.append(f"{key}: {problem}")
    expected = code.rsplit("-", 1)[-1].lower()
    if "class_type" in schema and "class_type" in parameters and parameters["class_type"] != expected:
        problems.append(_("class_type: 应为 {value}").format(value=expected))
    if not problems:
        for low, high, strict in _ORDERED:
            a, b = parameters.get(low), parameters.get(high)
            if isinstance(a, int) and isinstance(b, int) and (a >= b if strict else a > b):
                problems.append(_("{low} 应小于 {high}").format(low=low, high=high))
    return problems


def validate_parameters(code: str, parameters: Any, *, partial: bool = False) -> None:
    """Raise ``ValidationError({"parameters": [...]})`` when ``parameters`` do not fit ``code``."""
    problems = parameter_errors(code, parameters, partial=partial)
    if problems:
        raise ValidationError({"parameters": problems})


#: Readable names of the parameter keys (shown on the rules page).
PARAMETER_LABELS = {
    "class_type": gettext_noop("班型"),
    "min_months": gettext_noop("最小月龄（月，含）"),
    "max_months": gettext_noop("最大月龄（月，不含）"),
    "max_children": gettext_noop("每班最多人数"),
    "children_per_carer": gettext_noop("每名保育人员照护婴幼儿数"),
    "roles": gettext_noop("必设岗位"),
    "role": gettext_noop("岗位"),
    "meal_service_types": gettext_noop("视为供餐的服务形式"),
    "min_education": gettext_noop("最低学历"),
    "min_years": gettext_noop("最少相关工作年限"),
    "training_required": gettext_noop("须经岗位培训"),
    "certificate_required": gettext_noop("须持资格证书"),
    "children_per_health_worker": gettext_noop("每名保健人员对应婴幼儿数"),
    "full_time_from_children": gettext_noop("须专职保健人员的婴幼儿数"),
    "max_validity_months": gettext_noop("健康证最长有效期（月）"),
    "min_lease_years": gettext_noop("最短租期（年）"),
    "min_floor": gettext_noop("最低楼层"),
    "max_floor": gettext_noop("最高楼层"),
    "min_m2_per_place": gettext_noop("每托位最小面积（㎡）"),
    "documents": gettext_noop("必备材料"),
    "document": gettext_noop("材料"),
    "working_days": gettext_noop("工作日"),
}


def _value_labels() -> dict[str, type]:
    from tuoyu.facilities.choices import (
        ClassType,
        DocumentType,
        Education,
        ServiceType,
        StaffRole,
    )

    return {
        "class_type": ClassType,
        "roles": StaffRole,
        "role": StaffRole,
        "meal_service_types": ServiceType,
        "min_education": Education,
        "documents": DocumentType,
        "document": DocumentType,
    }


def _display_value(choices, value: Any) -> str:
    if value is None:
        return _("未设定（不检查）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_display_value(choices, v) for v in value) if value else "—"
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)
    return str(value)


def parameters_display(parameters: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``[(key, label, value)]`` of a rule's parameters in the active language, for pages.

    Known keys get a translated label and known values their choice label (``full_day`` →
    全日托 / Full-day care); lists are joined, booleans read yes/no, None reads
    "not set (not checked)". Unknown keys and values are shown as they are.
    """
    labels = _value_labels()
    return [
        (
            key,
            _(PARAMETER_LABELS[key]) if key in PARAMETER_LABELS else key,
            _display_value(labels.get(key), value),
        )
        for key, value in sorted(parameters.items())
    ]
