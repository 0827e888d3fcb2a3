"""Pages of the complaint channel: public intake and tracking, officers' queue, inbox and moderation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuoyu.audit.services import data_access_record
from tuoyu.complaints import permissions as perms
from tuoyu.complaints import selectors, services
from tuoyu.complaints.forms import (
    ActionForm,
    ComplaintForm,
    ComplaintInspectionForm,
    FeedbackForm,
    ReassignForm,
    ReopenForm,
    TrackForm,
)
from tuoyu.complaints.models import ComplaintEvidence
from tuoyu.complaints.workflow import ACTION_LABELS, COMPLAINT_WORKFLOW, Status
from tuoyu.core import uploads
from tuoyu.core.errors import DomainError
from tuoyu.disclosure.throttling import over_limit
from tuoyu.supervision.selectors import eligible_inspectors

SESSION_CODE = "complaints_new_code"


def _private(response):
    """Tracking codes sit in URLs: never send them to another site as a referrer, never cache the page."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def complaint_new(request):
    """The public complaint form (GET: search and form; POST: submit). Anonymous allowed."""
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    query = query[:100]
    if request.method == "POST":
        limited = over_limit(request, "complaint")
        if limited:
            return limited
        if request.POST.get("website"):
            # A bot filled the honeypot: answer as if received, keep nothing.
            return _private(render(request, "complaints/submitted.html", {"code": ""}))
        form = ComplaintForm(request.POST, request.FILES, query=query)
        if form.is_valid():
            target, facility, employer = form.cleaned_data["target"]
            try:
                complaint = services.complaint_submit(
                    actor=request.user, target=target, facility=facility, employer=employer,
                    category=form.cleaned_data["category"], description=form.cleaned_data["description"],
                    occurred_on=form.cleaned_data["occurred_on"], contact=form.cleaned_data["contact"],
                    consent=form.cleaned_data["consent"], files=form.cleaned_data["files"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                request.session[SESSION_CODE] = complaint.tracking_code
                return redirect("complaints:submitted")
    else:
        initial = {"q": query}
        if request.GET.get("target"):
            initial["target"] = request.GET["target"]
        form = ComplaintForm(initial=initial, query=query)
    return render(request, "complaints/new.html", {"form": form, "query": query,
                                                   "choices": form.fields["target"].choices})


def complaint_submitted(request):
    """Shows the new tracking code once (taken out of the session), with its status link."""
    code = request.session.pop(SESSION_CODE, "")
    if not code:
        return redirect("complaints:track")
    return _private(render(request, "complaints/submitted.html", {"code": code}))


def complaint_track(request):
    """Form to look a complaint up by code; redirects to its status page."""
    form = TrackForm(request.GET or None)
    if form.is_valid():
        return redirect("complaints:status", code=form.cleaned_data["code"])
    return render(request, "complaints/track.html", {"form": form})


def complaint_status(request, code: str):
    """Status page by tracking code: state, deadlines and the public answer only."""
    limited = over_limit(request, "search")
    if limited:
        return limited
    try:
        complaint = selectors.complaint_get_by_code(code)
    except DomainError:
        raise Http404 from None
    context = {
        "complaint": complaint,
        "feedback_form": FeedbackForm() if complaint.status == Status.CLOSED and complaint.satisfaction is None else None,
        "reopen_form": ReopenForm()
        if complaint.status in (Status.ANSWERED, Status.CLOSED) and complaint.reopen_count == 0 else None,
    }
    return _private(render(request, "complaints/status.html", context))


@require_POST
def complaint_feedback(request, code: str):
    """POST the complainant's feedback after closing."""
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_feedback(code=code, solved=form.cleaned_data["solved"],
                                        satisfaction=form.cleaned_data["satisfaction"])
            messages.success(request, _("感谢您的评价。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请选择是否解决和满意度。"))
    return redirect("complaints:status", code=code)


@require_POST
def complaint_reopen(request, code: str):
    """POST the complainant's request to reopen (once)."""
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(code=code, reason=form.cleaned_data["reason"])
            messages.success(request, _("已申请重新办理。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请填写理由。"))
    return redirect("complaints:status", code=code)


@login_required
def office_queue(request):
    """The officer's queue of complaints routed to their office(s), escalated first."""
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    complaints = selectors.complaints_visible_to(request.user, status=status, overdue_only=overdue)[:200]
    return render(request, "complaints/queue.html", {
        "complaints": complaints, "status": status, "overdue": overdue, "statuses": Status.choices,
        "figures": selectors.office_figures(request.user),
        "office_rows": selectors.figures_by_office(request.user),
        "unread": selectors.notifications_for(request.user, unread_only=True).count(),
    })


@login_required
def moderation_queue(request):
    """Submissions waiting for moderation (platform administrators)."""
    if not perms.can_moderate_complaints(request.user):
        raise Http404
    return render(request, "complaints/moderation.html",
                  {"complaints": selectors.moderation_queue(request.user)[:200]})


@login_required
def office_detail(request, pk: int):
    """A complaint as an officer or moderator sees it, with the actions allowed now."""
    try:
        complaint = selectors.complaint_get_for_user(request.user, pk)
    except DomainError:
        raise Http404 from None
    if complaint.contact_phone or complaint.contact_email:
        data_access_record(actor=request.user, obj=complaint, purpose="complaint contact")
    actions = [
        (t.action, ACTION_LABELS[t.action])
        for t in COMPLAINT_WORKFLOW.actions_from(complaint.status)
        if t.action in ACTION_LABELS and perms.has_transition_capability(request.user, complaint, t.capability)
    ]
    return render(request, "complaints/detail.html", {
        "complaint": complaint, "actions": actions,
        "action_form": ActionForm(initial={"version": complaint.version}),
        "reassign_form": ReassignForm(initial={"office": complaint.office, "division_code": complaint.division.code})
        if perms.can_handle_complaint(request.user, complaint) else None,
        "history": complaint.history.select_related("actor"),
        "evidence": complaint.evidence.all(),
        "inspection_form": _inspection_form(request.user, complaint),
    })


def _inspection_form(user, complaint, data=None):
    """The "open an inspection" form when ``user`` may open one from ``complaint``, else None."""
    if not perms.can_open_inspection(user, complaint):
        return None
    return ComplaintInspectionForm(
        data, inspectors=eligible_inspectors(complaint.facility), initial={"version": complaint.version}
    )


@login_required
@require_POST
def office_inspect(request, pk: int):
    """POST: open an ad hoc inspection from a complaint (转为检查)."""
    try:
        complaint = selectors.complaint_get_for_user(request.user, pk)
    except DomainError:
        raise Http404 from None
    form = _inspection_form(request.user, complaint, request.POST)
    if form is None:
        messages.error(request, _("不能从该投诉发起检查。"))
    elif form.is_valid():
        complaint.version = form.cleaned_data["version"]
        try:
            services.complaint_open_inspection(
                actor=request.user, complaint=complaint, inspectors=form.cleaned_data["inspectors"],
                visit_date=form.cleaned_data["visit_date"], reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("已转为检查。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请选择检查人员并填写计划检查日期。"))
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def office_act(request, pk: int):
    """POST a workflow action on a complaint."""
    try:
        complaint = selectors.complaint_get_for_user(request.user, pk)
    except DomainError:
        raise Http404 from None
    form = ActionForm(request.POST)
    if form.is_valid():
        complaint.version = form.cleaned_data["version"]
        try:
            services.complaint_transition(
                actor=request.user, complaint=complaint, action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"], answer=form.cleaned_data["answer"],
                reject_reason=form.cleaned_data["reject_reason"],
                substantiated=form.cleaned_data["substantiated"],
            )
            messages.success(request, _("已办理。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def office_reassign(request, pk: int):
    """POST a reassignment (转办) with a reason."""
    try:
        complaint = selectors.complaint_get_for_user(request.user, pk)
    except DomainError:
        raise Http404 from None
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reassign(actor=request.user, complaint=complaint, **form.cleaned_data)
            messages.success(request, _("已转办。"))
            return redirect("complaints:queue")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("请填写转办部门、区县代码和理由。"))
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
def evidence_download(request, pk: int):
    """An evidence file, to officers who may see its complaint (as a download, never inline HTML)."""
    item = get_object_or_404(ComplaintEvidence.objects.select_related("complaint__division"), pk=pk)
    if not perms.can_view_complaint(request.user, item.complaint):
        raise Http404
    return uploads.download_response(item.file, filename=f"evidence-{item.pk}{item.file.name[-4:]}",
                                     content_type=item.content_type, cache_control=None)


@login_required
def inbox(request):
    """The officer's notifications about complaints (通知)."""
    return render(request, "complaints/inbox.html",
                  {"notifications": selectors.notifications_for(request.user)[:200]})


@login_required
@require_POST
def inbox_read(request, pk: int):
    """Mark one notification read and open its complaint."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("complaints:detail", pk=notification.complaint_id)
