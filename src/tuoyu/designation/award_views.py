"""Pages of expert scoring, selection, publicity and naming (专家评审、遴选、公示、命名).

Thin: parse a form, call one selector or service, render. Staff pages need sign-in; the
publicity page, the yearly list and certificates are public (anonymous visitors see only
published data). Objections are throttled per client IP.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tuoyu.core.errors import DomainError
from tuoyu.core.network import client_ip
from tuoyu.designation import naming, proposals, scoring
from tuoyu.designation import permissions as perms
from tuoyu.designation import publicity as pub
from tuoyu.designation.award_forms import AssignForm, ObjectionForm, ResolveForm, ScoreForm
from tuoyu.designation.models import Application, Campaign, Designation, Objection
from tuoyu.designation.views import _campaign, _show
from tuoyu.designation.workflow import ApplicationStatus
from tuoyu.disclosure.throttling import hit

_STAGES = [ApplicationStatus.NATIONAL_REVIEW, ApplicationStatus.SCORING,
           ApplicationStatus.SCORED, ApplicationStatus.NAMED]


def _national(request, campaign_pk) -> Campaign:
    campaign = _campaign(request, campaign_pk)
    if not perms.can_manage_campaign(request.user):
        raise PermissionDenied
    return campaign


# --------------------------------------------------------------------------- scoring


@login_required
@require_http_methods(["GET", "POST"])
def scoring_board(request, pk):
    """National officer's board: applications in review, scoring or scored; start, assign, finish."""
    campaign = _national(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "auto":
                created = scoring.experts_assign_auto(actor=request.user, campaign=campaign)
                messages.success(request, _("已自动分配 %(n)d 人次专家。") % {"n": len(created)})
            elif action == "criteria":
                scoring.criteria_ensure(actor=request.user, campaign=campaign)
            else:
                app = get_object_or_404(Application, pk=request.POST.get("application"),
                                        campaign=campaign)
                if action == "start":
                    scoring.scoring_start(actor=request.user, application=app)
                elif action == "finish":
                    scoring.scoring_finish(actor=request.user, application=app)
        except DomainError as exc:
            _show(request, exc)
        return redirect("designation:scoring", pk=campaign.pk)
    apps = (Application.objects.filter(campaign=campaign, status__in=_STAGES)
            .select_related("employer__division").order_by("status", "-score", "id"))
    return render(request, "designation/scoring_board.html", {
        "campaign": campaign, "applications": apps,
        "criteria": scoring.criteria_of(campaign)})


def _can_see_scores(user, application) -> bool:
    return perms.can_manage_campaign(user) or application.assignments.filter(
        expert_id=getattr(user, "pk", None)).exists()


@login_required
@require_http_methods(["GET", "POST"])
def application_scores(request, pk):
    """Scores of one application: each expert's points, weighted totals, spread, aggregate.

    National officers see all and may assign an expert by hand; an assigned expert sees
    the sheet and records their own points.
    """
    application = get_object_or_404(
        Application.objects.select_related("campaign", "employer__division", "facility"), pk=pk)
    if not _can_see_scores(request.user, application):
        raise Http404
    national = perms.can_manage_campaign(request.user)
    criteria = scoring.criteria_of(application.campaign)
    mine = application.assignments.filter(expert_id=request.user.pk).first()
    own_points = {s.criterion.code: s.points for s in mine.scores.select_related("criterion")} \
        if mine else {}
    score_form = ScoreForm(criteria=criteria, initial_points=own_points) if mine else None
    assign_form = None
    if national:
        assign_form = AssignForm(request.POST if request.POST.get("action") == "assign" else None)
        assign_form.fields["expert"].choices = [
            (m.user_id, f"{m.user.display_name or m.user.username} · {m.organization.name}")
            for m in scoring.expert_memberships()]
    if request.method == "POST":
        try:
            if request.POST.get("action") == "assign" and national:
                if assign_form.is_valid():
                    expert = get_user_model().objects.get(pk=assign_form.cleaned_data["expert"])
                    scoring.expert_assign(actor=request.user, application=application, expert=expert)
                    return redirect("designation:scores", pk=pk)
            elif mine:
                score_form = ScoreForm(request.POST, criteria=criteria)
                if score_form.is_valid():
                    scoring.scores_record(actor=request.user, application=application,
                                          points={k: v for k, v in score_form.cleaned_data.items()
                                                  if v is not None})
                    messages.success(request, _("评分已保存。"))
                    return redirect("designation:scores", pk=pk)
        except DomainError as exc:
            _show(request, exc, score_form)
    summary = scoring.score_summary(application)
    sheets = summary.sheets if national else [s for s in summary.sheets
                                              if s.assignment.expert_id == request.user.pk]
    rows = [(c, [s.points.get(c.code) for s in sheets]) for c in criteria]
    return render(request, "designation/application_scores.html", {
        "application": application, "summary": summary, "sheets": sheets, "rows": rows,
        "national": national, "score_form": score_form, "assign_form": assign_form})


@login_required
def expert_assignments(request):
    """An expert's assignments still in scoring (评审任务)."""
    return render(request, "designation/expert_assignments.html", {
        "assignments": scoring.scoring_queue_for(request.user)})


# --------------------------------------------------------------------------- selection


@login_required
@require_http_methods(["GET", "POST"])
def selection(request, pk):
    """Run the selection over scored applications, show its explanation, confirm, publish."""
    campaign = _national(request, pk)
    current = proposals.proposal_current(campaign)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                proposals.proposal_create(actor=request.user, campaign=campaign)
            elif action == "confirm" and current:
                proposals.proposal_confirm(actor=request.user, proposal=current)
            elif action == "publish" and current:
                pub.publicity_publish(actor=request.user, proposal=current)
        except DomainError as exc:
            _show(request, exc)
            for row in (exc.details or {}).get("errors", [])[:20]:
                messages.error(request, f"{row['row']} · {row['column']}：{row['message']}")
        return redirect("designation:selection", pk=campaign.pk)
    chosen = proposals.proposal_applications(current) if current else []
    return render(request, "designation/selection.html", {
        "campaign": campaign, "proposal": current, "chosen": chosen,
        "explanation": current.explanation if current else None,
        "publicity": pub.publicity_of(campaign)})


# --------------------------------------------------------------------------- publicity


@require_http_methods(["GET", "POST"])
def publicity_page(request, pk):
    """Public page of a campaign's publicity (公示): the list and the objection form."""
    campaign = get_object_or_404(Campaign, pk=pk)
    publicity = pub.publicity_of(campaign)
    if publicity is None:
        raise Http404
    entries = list(pub.publicity_entries(publicity))
    form = ObjectionForm(request.POST or None)
    form.fields["entry"].choices = [(e.pk, e.application.employer.name) for e in entries]
    status = 200
    if request.method == "POST":
        if hit("objection", client_ip(request) or "unknown", rate=pub.objection_rate()) is not None:
            messages.error(request, _("提交过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            try:
                pub.objection_submit(publicity=publicity, entry_id=form.cleaned_data["entry"],
                                     text=form.cleaned_data["text"], name=form.cleaned_data["name"],
                                     contact=form.cleaned_data["contact"],
                                     actor=request.user if request.user.is_authenticated else None)
                messages.success(request, _("异议已收到，将由全国审核人员处理。"))
                return redirect("designation:publicity", pk=pk)
            except DomainError as exc:
                _show(request, exc, form)
    return render(request, "designation/publicity.html", {
        "campaign": campaign, "publicity": publicity, "entries": entries, "form": form,
        "is_open": not publicity.has_ended}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def objections(request, pk):
    """National reviewers: objections of a campaign's publicity, resolution, and naming."""
    campaign = _national(request, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "name":
                named = naming.campaign_name_units(actor=request.user, campaign=campaign)
                messages.success(request, _("已命名 %(n)d 家单位。") % {"n": len(named)})
            else:
                objection = get_object_or_404(Objection, pk=request.POST.get("objection"),
                                              entry__publicity__campaign=campaign)
                form = ResolveForm(request.POST)
                if form.is_valid():
                    pub.objection_resolve(actor=request.user, objection=objection,
                                          upheld=form.cleaned_data["decision"] == "upheld",
                                          reason=form.cleaned_data["reason"])
                else:
                    messages.error(request, _("请选择处理结果并填写理由。"))
        except DomainError as exc:
            _show(request, exc)
        return redirect("designation:objections", pk=pk)
    return render(request, "designation/objections.html", {
        "campaign": campaign, "publicity": pub.publicity_of(campaign),
        "objections": pub.objections_of(campaign), "resolve_form": ResolveForm(),
        "designations": Designation.objects.filter(campaign=campaign).select_related("employer"),
        "totals": naming.allocation_totals(campaign)})


# --------------------------------------------------------------------------- naming


def yearly_list(request, year=None):
    """Public yearly list of named units (全国爱心托育用人单位名单)."""
    years = naming.designation_years()
    if year is None:
        year = years[0] if years else None
    rows = naming.designations_of_year(year) if year else []
    return render(request, "designation/yearly_list.html", {
        "year": year, "years": years, "designations": rows})


def certificate(request, number):
    """Printable certificate (证书) of a named unit; public, like the yearly list."""
    designation = get_object_or_404(Designation.objects.select_related("employer", "campaign",
                                                                       "withdrawal"),
                                    certificate_number=number)
    return render(request, "designation/certificate.html", {"designation": designation})


