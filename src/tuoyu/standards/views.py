"""Public page of the standards app: the rules in force (现行规则)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from tuoyu.standards.parameters import parameters_display
from tuoyu.standards.selectors import rules_in_force


def _provinces() -> list[tuple[str, str]]:
    from tuoyu.reference.models import Division

    rows = Division.objects.filter(level="province", status="active").order_by("code")
    return [(d.code, d.name) for d in rows.only("code", "name")]


def rule_list(request):
    """List the rules in force on ``?as_of=YYYY-MM-DD`` (default today, local) for
    ``?province=XX0000`` (default: national, no overrides). Public; GET only; an invalid
    date or province falls back to the default and says so.
    """
    today = timezone.localdate()
    as_of, errors = today, []
    if request.GET.get("as_of"):
        try:
            as_of = date.fromisoformat(request.GET["as_of"])
        except ValueError:
            errors.append("as_of")
    provinces = _provinces()
    province = request.GET.get("province") or ""
    if province and province not in {code for code, _ in provinces}:
        errors.append("province")
        province = ""
    rules = list(rules_in_force(as_of=as_of, province_code=province or None))
    return render(
        request,
        "standards/rule_list.html",
        {
            "rules": rules,
            "rows": [(rule, parameters_display(rule.parameters)) for rule in rules],
            "as_of": as_of,
            "province": province,
            "provinces": provinces,
            "errors": errors,
        },
    )
