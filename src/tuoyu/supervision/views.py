"""Pages of the double-random inspections (双随机抽查): plans, frozen lists, draws.

Views are thin: a form parses input, one selector or service does the work. GEN-001
becomes 404 and GEN-002 403; any other DomainError is shown on the page.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu.accounts.choices import Role
from tuoyu.accounts.permissions import organizations_of
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.facilities.views import login_required
from tuoyu.supervision import permissions as perms
from tuoyu.supervision import selectors, services
from tuoyu.supervision.forms import DrawForm, PlanForm
from tuoyu.supervision.models import Draw, DrawList


def _plan(request, pk, action="view"):
    try:
        return selectors.inspection_plan_get_for_user(request.user, pk, action=action)
    except DomainError as exc:
        if exc.code == GEN_FORBIDDEN:
            raise PermissionDenied(exc.message) from None
        raise Http404(exc.message) from None


@login_required
def plan_list(request):
    """The plans visible to the official, newest first, with a link to create one."""
    plans = selectors.inspection_plans_visible_to(request.user).order_by("-year", "-id")
    can_create = bool(organizations_of(request.user, roles=perms.PLANNING_ROLE))
    return render(request, "supervision/plan_list.html", {"plans": plans, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """Create a plan for the officer's health commission (抽查计划)."""
    organizations = organizations_of(request.user, roles=Role.HEALTH_OFFICER)
    if not organizations:
        raise PermissionDenied(_("只有卫生健康部门工作人员可以制定抽查计划。"))
    form = PlanForm(request.POST or None, initial={"scope_prefix": organizations[0].jurisdiction_prefix})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.inspection_plan_create(
                actor=request.user,
                organization=organizations[0],
                title=data["title"],
                year=data["year"],
                scope_prefix=data["scope_prefix"],
                ratio=data["ratio"],
                count=data["count"],
                strata=data["strata"],
                per_target=data["per_target"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("supervision:plan_detail", plan.pk)
    return render(request, "supervision/plan_form.html", {"form": form})


@login_required
def plan_detail(request, pk):
    """A plan: its parameters, frozen lists with hashes, draws (in force and superseded)."""
    plan = _plan(request, pk)
    draw_list = DrawList.objects.filter(plan=plan).first()
    draws = list(Draw.objects.filter(plan=plan).order_by("drawn_at", "id"))
    in_force = next((d for d in draws if d.in_force), None)
    # Recomputing costs about as much as the draw itself, so it runs only when asked.
    verify = request.GET.get("verify") == "1"
    verification = selectors.draw_verify(in_force) if verify and in_force and draw_list else None
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "draw_list": draw_list,
            "draws": draws,
            "in_force": in_force,
            "verification": verification,
            "can_manage": perms.can_manage_inspection_plan(request.user, plan),
            "draw_form": DrawForm(),
        },
    )


@login_required
@require_POST
def lists_freeze(request, pk):
    """Freeze and publish the plan's lists."""
    plan = _plan(request, pk, action="manage")
    try:
        services.draw_lists_freeze(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("名录已冻结并公布。"))
    return redirect("supervision:plan_detail", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def draw_run(request, pk):
    """Draw (or re-draw, with a reason) from the frozen lists with the published seed."""
    plan = _plan(request, pk, action="manage")
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.draw_perform(
                actor=request.user,
                plan=plan,
                seed=form.cleaned_data["seed"],
                seed_source=form.cleaned_data["seed_source"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("抽取完成。"))
            return redirect("supervision:plan_detail", plan.pk)
    return render(request, "supervision/draw_form.html", {"plan": plan, "form": form})


@login_required
def list_download(request, pk, which):
    """The published canonical list (``entities`` or ``inspectors``) as UTF-8 text."""
    plan = _plan(request, pk)
    draw_list = DrawList.objects.filter(plan=plan).first()
    if draw_list is None or which not in ("entities", "inspectors"):
        raise Http404
    entity_bytes, inspector_bytes = selectors.draw_list_files(draw_list)
    body = entity_bytes if which == "entities" else inspector_bytes
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-{which}.txt"'
    return response


@login_required
def draw_download(request, pk, draw_pk):
    """A draw's result JSON, exactly as stored (docs/draw-algorithm.md §8)."""
    plan = _plan(request, pk)
    draw = Draw.objects.filter(plan=plan, pk=draw_pk).first()
    if draw is None:
        raise Http404(GEN_NOT_FOUND)
    body = json.dumps(draw.result, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-draw-{draw.pk}.json"'
    return response
