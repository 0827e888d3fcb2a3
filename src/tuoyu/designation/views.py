"""Pages of designation campaigns and applications (评选活动、申报、推荐).

Thin: parse a form, call one selector or service, render. GEN-001 becomes 404 (existence
is never revealed), GEN-002 and DES-020/023 become 403; other DomainErrors are shown on
the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu.accounts.models import Organization
from tuoyu.core import uploads
from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.designation import defaults, selectors, services
from tuoyu.designation import permissions as perms
from tuoyu.designation.eligibility import application_check, enrolment_share
from tuoyu.designation.errors import DES_CAMPAIGN_FORBIDDEN, DES_NOT_EMPLOYER
from tuoyu.designation.forms import (
    ApplicationForm,
    CampaignForm,
    DecisionForm,
    MaterialForm,
    OpinionForm,
    QuotaForm,
)
from tuoyu.designation.workflow import ApplicationStatus
from tuoyu.facilities.models import Facility

_FORBIDDEN = (GEN_FORBIDDEN, DES_CAMPAIGN_FORBIDDEN, DES_NOT_EMPLOYER)


def _http(exc: DomainError):
    if exc.code == GEN_NOT_FOUND:
        raise Http404(exc.message) from None
    if exc.code in _FORBIDDEN:
        raise PermissionDenied(exc.message) from None


def _show(request, exc: DomainError, form=None) -> None:
    _http(exc)
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)
    for finding in (exc.details or {}).get("findings", []):
        if finding["severity"] == "block":
            messages.error(request, f"{finding['rule_code']}：{finding['message']}")


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _campaign(request, pk):
    try:
        return selectors.campaign_get_for_user(request.user, pk)
    except DomainError as exc:
        _http(exc)


def _application(request, pk):
    try:
        return selectors.application_get_for_user(request.user, pk)
    except DomainError as exc:
        _http(exc)


def _own_facilities(user):
    ids = perms.employer_ids(user)
    return Facility.objects.filter(Q(operator_id__in=ids) | Q(sponsors__in=ids)).distinct()


@login_required
def campaign_list(request):
    """Campaigns (评选活动), newest year first; national union officers may add one."""
    campaigns = selectors.campaigns_visible_to(request.user)
    return render(request, "designation/campaign_list.html", {
        "campaigns": campaigns, "can_manage": perms.can_manage_campaign(request.user),
        "queue_count": selectors.application_queue_for(request.user).count()})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    """Create a campaign (national union officers only)."""
    if not perms.can_manage_campaign(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, initial={
        "year": local_today().year, "eligible_ownership_types": defaults.eligible_ownership_types()})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _show(request, exc, form)
        else:
            messages.success(request, _("评选活动已创建。"))
            return redirect("designation:campaign", pk=campaign.pk)
    return render(request, "designation/campaign_form.html", {"form": form})


def _campaign_initial(campaign) -> dict:
    initial = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
    initial["price_caps"] = "\n".join(f"{k} {v}" for k, v in (campaign.price_caps or {}).items())
    initial["required_materials"] = "\n".join(campaign.required_materials or [])
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    """Change a campaign's settings (national union officers only)."""
    campaign = _campaign(request, pk)
    if not perms.can_manage_campaign(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, initial=_campaign_initial(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except DomainError as exc:
            _show(request, exc, form)
        else:
            messages.success(request, _("评选活动已保存。"))
            return redirect("designation:campaign", pk=campaign.pk)
    return render(request, "designation/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, pk):
    """A campaign's settings and quotas; the employer's own application or an apply link."""
    campaign = _campaign(request, pk)
    can_manage = perms.can_manage_campaign(request.user)
    quota_form = QuotaForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if quota_form.is_valid():
            try:
                services.campaign_quota_set(actor=request.user, campaign=campaign,
                                            **quota_form.cleaned_data)
            except DomainError as exc:
                _show(request, exc, quota_form)
            else:
                messages.success(request, _("推荐名额已保存。"))
                return redirect("designation:campaign", pk=campaign.pk)
    employers = Organization.objects.filter(pk__in=perms.employer_ids(request.user))
    own = [(e, selectors.application_of_employer(campaign, e)) for e in employers]
    return render(request, "designation/campaign_detail.html", {
        "campaign": campaign, "can_manage": can_manage, "quota_form": quota_form,
        "own": own, "is_open": campaign.is_open_on(local_today()),
        "quotas": campaign.quotas.all()})


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk, employer_pk):
    """Start the employer's application to a campaign (申报)."""
    campaign = _campaign(request, pk)
    if not perms.can_apply(request.user, employer_pk):
        raise PermissionDenied
    employer = get_object_or_404(Organization, pk=employer_pk)
    form = ApplicationForm(request.POST or None, facilities=_own_facilities(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, campaign=campaign, employer=employer, **form.cleaned_data)
        except DomainError as exc:
            _show(request, exc, form)
        else:
            messages.success(request, _("申报已保存为草稿。"))
            return redirect("designation:application", pk=application.pk)
    return render(request, "designation/application_form.html",
                  {"form": form, "campaign": campaign, "employer": employer})


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    """An application: data, eligibility findings, materials, history and the actions the user may take."""
    application = _application(request, pk)
    user = request.user
    is_owner = perms.can_apply(user, application.employer_id)
    editable = is_owner and application.status == ApplicationStatus.DRAFT
    edit_form = None
    if editable:
        initial = {name: getattr(application, name) for name in services.APPLICATION_FIELDS}
        edit_form = ApplicationForm(request.POST or None, initial=initial,
                                    facilities=_own_facilities(user))
        if request.method == "POST" and edit_form.is_valid():
            try:
                services.application_update(actor=user, application=application,
                                            expected_version=_version(request),
                                            **edit_form.cleaned_data)
            except DomainError as exc:
                _show(request, exc, edit_form)
            else:
                messages.success(request, _("申报信息已保存。"))
                return redirect("designation:application", pk=application.pk)
    elif request.method == "POST":
        raise PermissionDenied
    today = local_today()
    return render(request, "designation/application_detail.html", {
        "application": application, "is_owner": is_owner, "editable": editable,
        "edit_form": edit_form, "material_form": MaterialForm() if editable else None,
        "findings": application_check(application, as_of=today),
        "share": enrolment_share(application, as_of=today),
        "events": application.events.select_related("actor"),
        "materials": application.materials.all(),
        "decision_form": DecisionForm() if perms.can_decide_application(user, application) else None,
        "opinion_form": OpinionForm() if (
            perms.can_record_health_opinion(user, application)
            and application.status == ApplicationStatus.CITY_RECOMMENDED) else None,
    })


@login_required
@require_POST
def application_submit(request, pk):
    """Submit the application (提交申报); blocking findings are listed with their rule codes."""
    application = _application(request, pk)
    try:
        services.application_submit(actor=request.user, application=application,
                                    expected_version=_version(request))
    except DomainError as exc:
        _show(request, exc)
    else:
        messages.success(request, _("申报已提交。"))
    return redirect("designation:application", pk=application.pk)


_DECISIONS = {
    "recommend": services.application_recommend,
    "return": services.application_return,
    "reject": services.application_reject,
}


@login_required
@require_POST
def application_decide(request, pk):
    """Recommend, return or reject the application at the officer's step."""
    application = _application(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择决定。"))
        return redirect("designation:application", pk=application.pk)
    decide = _DECISIONS[form.cleaned_data["action"]]
    try:
        decide(actor=request.user, application=application, reason=form.cleaned_data["reason"],
               expected_version=_version(request))
    except DomainError as exc:
        _show(request, exc)
        return redirect("designation:application", pk=application.pk)
    messages.success(request, _("已办理。"))
    return redirect("designation:queue")


@login_required
@require_POST
def application_opinion(request, pk):
    """Record the provincial health commission's opinion (省级卫生健康委意见)."""
    application = _application(request, pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.application_health_opinion_record(
                actor=request.user, application=application, opinion=form.cleaned_data["opinion"],
                expected_version=_version(request))
        except DomainError as exc:
            _show(request, exc)
        else:
            messages.success(request, _("意见已记录。"))
    else:
        messages.error(request, _("请填写意见。"))
    return redirect("designation:application", pk=application.pk)


@login_required
@require_POST
def material_add(request, pk):
    """Upload a material to a draft application."""
    application = _application(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_material_add(actor=request.user, application=application,
                                              **form.cleaned_data)
        except DomainError as exc:
            _show(request, exc)
        else:
            messages.success(request, _("材料已上传。"))
    else:
        messages.error(request, _("请填写材料名称并选择文件。"))
    return redirect("designation:application", pk=application.pk)


@login_required
def material_download(request, pk, material_pk):
    """Send a material as a download to a user who may see the application; never inline."""
    application = _application(request, pk)
    material = get_object_or_404(application.materials, pk=material_pk)
    return uploads.download_response(material.file, filename=material.file.name.rsplit("/", 1)[-1],
                                     content_type=material.content_type, cache_control="no-store")


@login_required
def queue(request):
    """Applications waiting for the officer's decision (or opinion), earliest deadline first."""
    items = selectors.application_queue_for(request.user)
    return render(request, "designation/queue.html", {"queue": items, "today": local_today()})
