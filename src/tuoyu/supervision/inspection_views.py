"""Pages of inspections and rectification orders (检查、整改), phone-sized, no script needed.

Views are thin: a form parses input, one selector or service does the work. GEN-001
becomes 404 and GEN-002 403; any other DomainError is shown on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu.core import uploads
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.facilities.permissions import can_sanction_filing
from tuoyu.facilities.views import login_required
from tuoyu.supervision import parameters, selectors
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.evidence import inspection_evidence_add
from tuoyu.supervision.forms import (
    AdHocInspectionForm,
    ChecklistForm,
    CloseInspectionForm,
    InspectionsFromDrawForm,
    RespondForm,
    ReviewForm,
)
from tuoyu.supervision.inspections import (
    inspection_close,
    inspection_create,
    inspection_items_record,
    inspections_create_from_draw,
    rectification_for,
)
from tuoyu.supervision.models import Draw
from tuoyu.supervision.rectification import (
    rectification_reopen,
    rectification_respond,
    rectification_verify,
)
from tuoyu.supervision.workflow import InspectionStatus, RectificationStatus


def _get(getter, request, pk):
    try:
        return getter(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from None


def _respond_form(*args) -> RespondForm:
    return RespondForm(
        *args, max_mb=parameters.evidence_max_bytes() // (1024 * 1024),
        max_files=parameters.rectification_evidence_max_files(),
    )


def _download(evidence):
    """An evidence row's file as an attachment: never rendered inline, never cached."""
    return uploads.download_response(evidence.file, filename=evidence.original_name,
                                     content_type=evidence.content_type)


def _forbidden_or(exc: DomainError):
    if exc.code == GEN_FORBIDDEN:
        raise PermissionDenied(exc.message) from None


@login_required
def inspection_list(request):
    """The inspections the user may see (assigned, in the jurisdiction, or of own facilities)."""
    inspections = selectors.inspections_visible_to(request.user)[:200]
    return render(request, "supervision/inspection_list.html", {"inspections": inspections})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk):
    """An inspection and its checklist; an assigned inspector saves answers with POST."""
    inspection = _get(selectors.inspection_get_for_user, request, pk)
    can_record = (
        inspection.status == InspectionStatus.OPEN and perms.can_record_inspection(request.user, inspection)
    )
    items = list(inspection.items.prefetch_related("evidence"))
    form = ChecklistForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("您不能修改这次检查的记录。"))
        if form.is_valid():
            try:
                inspection_items_record(actor=request.user, inspection=inspection, answers=form.answers())
                for item, upload in form.uploads():
                    inspection_evidence_add(actor=request.user, item=item, upload=upload)
            except DomainError as exc:
                _forbidden_or(exc)
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("检查结果已保存。"))
                return redirect("supervision:inspection_detail", inspection.pk)
    unanswered = sum(1 for i in items if not i.result)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "form": form,
            "can_record": can_record,
            "close_form": CloseInspectionForm(),
            "unanswered": unanswered,
            "order": rectification_for(inspection),
        },
    )


@login_required
@require_POST
def inspection_close_view(request, pk):
    """Close the inspection; with findings this issues the rectification order."""
    inspection = _get(selectors.inspection_get_for_user, request, pk)
    form = CloseInspectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("supervision:inspection_detail", inspection.pk)
    try:
        inspection_close(
            actor=request.user, inspection=inspection,
            required_evidence=form.cleaned_data["required_evidence"],
            deadline_working_days=form.cleaned_data["deadline_working_days"],
        )
    except DomainError as exc:
        _forbidden_or(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("检查已结束。"))
    return redirect("supervision:inspection_detail", inspection.pk)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create_view(request, facility_pk):
    """A health officer arranges an ad hoc inspection of a facility in their jurisdiction."""
    from tuoyu.facilities.selectors import facility_get_for_user

    facility = _get(facility_get_for_user, request, facility_pk)
    if not perms.can_create_ad_hoc_inspection(request.user, facility):
        raise PermissionDenied(_("只有辖区卫生健康部门工作人员可以安排检查。"))
    form = AdHocInspectionForm(request.POST or None, inspectors=selectors.eligible_inspectors(facility))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = inspection_create(
                actor=request.user, facility=facility, inspectors=data["inspectors"],
                visit_date=data["visit_date"], reason=data["reason"],
            )
        except DomainError as exc:
            _forbidden_or(exc)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("supervision:inspection_detail", inspection.pk)
    return render(request, "supervision/inspection_form.html", {"form": form, "facility": facility})


@login_required
@require_POST
def inspections_from_draw(request, pk, draw_pk):
    """Create the inspections of the plan's draw in force (one per target)."""
    plan = _get(selectors.inspection_plan_get_for_user, request, pk)
    draw = Draw.objects.filter(plan=plan, pk=draw_pk).first()
    if draw is None:
        raise Http404
    form = InspectionsFromDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的计划检查日期。"))
        return redirect("supervision:plan_detail", plan.pk)
    try:
        created = inspections_create_from_draw(
            actor=request.user, draw=draw, visit_date=form.cleaned_data["visit_date"]
        )
    except DomainError as exc:
        _forbidden_or(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已安排%(count)d次检查。") % {"count": len(created)})
    return redirect("supervision:inspection_list")


@login_required
def rectification_list(request):
    """The rectification orders of the inspections the user may see, earliest deadline first,
    each with its suspension / cancellation steps awaiting the health commission's filing
    decision (ADR 0097)."""
    orders = list(selectors.rectifications_visible_to(request.user)[:200])
    awaiting = selectors.escalations_awaiting_filing_decision(o.pk for o in orders)
    return render(request, "supervision/rectification_list.html", {
        "orders": [(order, awaiting.get(order.pk, [])) for order in orders],
    })


@login_required
def rectification_detail(request, pk):
    """A rectification order: items, deadline, evidence asked, history (each response with
    its evidence files), ladder steps, and the response or review form for whoever may act
    now."""
    order = _get(selectors.rectification_get_for_user, request, pk)
    can_respond = order.status == RectificationStatus.ISSUED and perms.can_respond_rectification(
        request.user, order
    )
    can_review = order.status == RectificationStatus.RESPONDED and perms.can_verify_rectification(
        request.user, order
    )
    events = list(order.events.order_by("created_at", "id").prefetch_related("evidence"))
    return render(
        request,
        "supervision/rectification_detail.html",
        {
            "order": order,
            "items": order.items.order_by("position"),
            "events": events,
            "evidence_rounds": [e for e in events if e.evidence.all()],
            "escalations": order.escalations.order_by("taken_on", "id"),
            # The county commission decides the filing (ADR 0097): a link to its measures.
            "can_decide_filing": can_sanction_filing(request.user, order.facility),
            "respond_form": _respond_form() if can_respond else None,
            "review_form": ReviewForm() if can_review else None,
        },
    )


@login_required
@require_POST
def rectification_respond_view(request, pk):
    """The facility submits its rectification text and evidence files (multipart)."""
    order = _get(selectors.rectification_get_for_user, request, pk)
    form = _respond_form(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("supervision:rectification_detail", order.pk)
    try:
        rectification_respond(
            actor=request.user, order=order, text=form.cleaned_data["text"], files=form.cleaned_data["files"],
        )
    except DomainError as exc:
        _forbidden_or(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("整改材料已提交。"))
    return redirect("supervision:rectification_detail", order.pk)


@login_required
@require_POST
def rectification_review_view(request, pk):
    """An assigned inspector verifies the response or reopens the order with a reason."""
    order = _get(selectors.rectification_get_for_user, request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择核查结论。"))
        return redirect("supervision:rectification_detail", order.pk)
    try:
        if form.cleaned_data["decision"] == "verify":
            rectification_verify(actor=request.user, order=order, note=form.cleaned_data["note"])
        else:
            rectification_reopen(actor=request.user, order=order, reason=form.cleaned_data["note"])
    except DomainError as exc:
        _forbidden_or(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("核查结论已保存。"))
    return redirect("supervision:rectification_detail", order.pk)


@login_required
def evidence_download(request, pk):
    """An evidence file, to those who may see its inspection; always as a download."""
    return _download(_get(selectors.evidence_get_for_user, request, pk))


@login_required
def rectification_evidence_download(request, pk):
    """An evidence file of a response to a rectification order, to those who may see the
    order (404 for anyone else); always as a download."""
    return _download(_get(selectors.rectification_evidence_get_for_user, request, pk))
