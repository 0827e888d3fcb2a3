"""Pages of the facilities app: employer/operator, health officer, and the public register.

Views are thin: they parse input with a form, call one selector or service, and render.
A DomainError becomes a message on the page; GEN-001 becomes 404 (existence is never
revealed) and GEN-002 becomes 403. Anonymous users are sent to the login page, except on
the public register.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.facilities import permissions as perms
from tuoyu.facilities import selectors, services
from tuoyu.facilities.errors import FIL_NOT_EDITABLE
from tuoyu.facilities.forms import (
    CLASS_FORM_FIELDS,
    SERVICE_FIELD_TO_FORM_FIELD,
    STAFF_FORM_FIELDS,
    CheckForm,
    ClassForm,
    DocumentForm,
    EnrolmentForm,
    FacilityFilterForm,
    FacilityForm,
    LeaveForm,
    MoveForm,
    ReasonForm,
    SanctionForm,
    StaffForm,
)
from tuoyu.facilities.workflow import FILING_WORKFLOW, SANCTION_ACTIONS, FilingStatus
from tuoyu.standards.selectors import rules_in_force

# --------------------------------------------------------------------------- plumbing


#: Codes that end the request: GEN-001 → 404, GEN-002 and FIL-003 → 403 with the message.
_HTTP_CODES = (GEN_NOT_FOUND, GEN_FORBIDDEN, FIL_NOT_EDITABLE)


def _raise_http(exc: DomainError):
    if exc.code == GEN_NOT_FOUND:
        raise Http404(exc.message) from None
    if exc.code in (GEN_FORBIDDEN, FIL_NOT_EDITABLE):
        raise PermissionDenied(exc.message) from None
    raise exc


def login_required(view):
    """Django's ``login_required``.

    A PermissionDenied raised by the view becomes the 403 page, which shows the refusal's
    message (e.g. FIL-003: not editable in this status), and one log line with the code
    (``tuoyu.core.middleware.RefusalLogMiddleware``), not a traceback.
    """
    return _login_required(view)


def _facility(request, pk, action="view"):
    """The facility ``pk`` for ``request.user`` and ``action``; 404 / 403 otherwise."""
    try:
        return selectors.facility_get_for_user(request.user, pk, action=action)
    except DomainError as exc:
        _raise_http(exc)


def _show_error(request, exc: DomainError, form=None) -> None:
    """Put a DomainError on the page: on its form field when it names one, else as a message."""
    if exc.code in _HTTP_CODES:
        _raise_http(exc)
    field = SERVICE_FIELD_TO_FORM_FIELD.get(exc.field, exc.field)
    if form is not None and field and field in form.fields:
        # Every field's messages when the service reports several (GEN-004).
        errors = (exc.details or {}).get("errors") or {}
        extra = {
            SERVICE_FIELD_TO_FORM_FIELD.get(name, name): msgs for name, msgs in errors.items()
            if SERVICE_FIELD_TO_FORM_FIELD.get(name, name) in form.fields
        }
        if field in extra:
            for name, msgs in extra.items():
                for msg in msgs:
                    form.add_error(name, msg)
        else:
            form.add_error(field, exc.message)
    else:
        messages.error(request, exc.message)


def _posted(request):
    """The POST data on a POST (even when empty, so the form is bound), else None."""
    return request.POST if request.method == "POST" else None


#: Stands for a missing or malformed ``version`` field: it matches no stored version.
NO_VERSION = -1


def _version(request) -> int | None:
    """The version of the facility the form was rendered from (its hidden ``version``
    field), or None when the post has no such field (no check, as for other callers of
    the services). A field that is empty or not a number gets :data:`NO_VERSION`, so the
    service reports a conflict (reload the page) instead of skipping the check."""
    if "version" not in request.POST:
        return None
    value = request.POST["version"]
    return int(value) if value.isdigit() else NO_VERSION


def _querystring(request) -> str:
    """The request's query string without ``page`` (for pagination and export links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _detail(facility):
    return redirect("facilities:detail", pk=facility.pk)


def org_member_required(view):
    """Only employer admins and facility operators (403 for everyone else signed in)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not perms.can_create_facility(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- employer pages


@login_required
def facility_list(request):
    """My facilities (我的机构) or, for officials, the facilities of their jurisdiction.

    Filters ``q``, ``status``, ``county`` (as the export takes them); 50 a page.
    """
    form = FacilityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    facilities = selectors.facilities_list_for(
        request.user, status=[data.get("status", "")], county=data.get("county", ""),
        query=data.get("q", ""),
    )
    page = Paginator(facilities, selectors.LIST_PAGE_SIZE).get_page(
        selectors.page_number(request.GET.get("page", 1))
    )
    return render(request, "facilities/facility_list.html", {
        "form": form,
        "page": page,
        "facilities": page.object_list,
        "count": page.paginator.count,
        "querystring": _querystring(request),
        "can_create": perms.can_create_facility(request.user),
        "can_export": perms.can_export_facilities(request.user),
        "is_official": not perms.own_organization_ids(request.user),
    })


@org_member_required
@require_http_methods(["GET", "POST"])
def facility_create(request):
    """Register a new facility (登记机构) in draft."""
    orgs = perms.organizations_of(request.user, roles=perms.ORG_ROLES)
    form = FacilityForm(_posted(request), organizations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.facility_create(
                actor=request.user, operator=form.cleaned_data["operator"],
                sponsors=form.cleaned_data["sponsors"], services=form.services(),
                **form.facility_fields(),
            )
        except DomainError as exc:
            _show_error(request, exc, form)
        else:
            messages.success(request, _("机构已登记。"))
            return _detail(facility)
    return render(request, "facilities/facility_form.html", {"form": form, "creating": True})


def _current_children():
    return Count("placements", filter=Q(placements__end__isnull=True,
                                        placements__enrolment__left_on__isnull=True))


def _last_event(history, actions):
    """The latest of ``history`` (filing events, oldest first) whose action is one of
    ``actions``, e.g. the return whose reason the operator reads; None when there is none."""
    return next((event for event in reversed(history) if event.action in actions), None)


@login_required
def facility_detail(request, pk):
    """A facility with classes, staff, enrolment counts, documents, filing history, actions.

    For a facility with a filing in force the blocking findings as of today are shown too
    (an edit after filing is recorded, never silently accepted; ADR 0012).
    """
    facility = _facility(request, pk)
    user = request.user
    blocking = []
    if facility.is_filed:
        blocking = [f for f in selectors.facility_findings_for(request.user, facility, as_of=local_today())
                    if f.severity == "block"]
    staff = selectors.staff_for_user(user, facility)
    classes = facility.classes.all()
    history = list(selectors.filing_history(facility))
    return render(request, "facilities/facility_detail.html", {
        "facility": facility,
        "classes": classes.annotate(child_count=_current_children()),
        "staff": staff,
        "personal": perms.can_view_personal_data(user, facility),
        "enrolments": selectors.enrolments_for_user(user, facility),
        "enrolment_count": facility.enrolments.filter(left_on__isnull=True).count(),
        "services": facility.services.all(),
        "sponsors": facility.sponsors.all(),
        "documents": facility.documents.all(),
        "history": history,
        "last_return": _last_event(history, ("return", "return_change")),
        "last_sanction": _last_event(history, ("suspend", "revoke")),
        "can_edit": perms.can_edit_facility(user, facility),
        "can_submit": perms.can_submit_filing(user, facility),
        "can_review": perms.can_review_filing(user, facility),
        "actions": [t.action for t in FILING_WORKFLOW.actions_from(facility.filing_status)],
        "blocking": blocking,
    })


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request, pk):
    """Edit the facility's fields, services and fees."""
    facility = _facility(request, pk, "edit")
    form = FacilityForm(_posted(request), facility=facility)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_update(
                actor=request.user, facility=facility, services=form.services(),
                expected_version=_version(request), **form.facility_fields(),
            )
        except DomainError as exc:
            _show_error(request, exc, form)
        else:
            messages.success(request, _("已保存。"))
            return _detail(facility)
    return render(request, "facilities/facility_form.html",
                  {"form": form, "facility": facility, "creating": False})


def _simple_form_view(request, facility, form, save, template_title, success):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as exc:
            _show_error(request, exc, form)
        else:
            messages.success(request, success)
            return _detail(facility)
    return render(request, "facilities/simple_form.html",
                  {"form": form, "facility": facility, "title": template_title})


@login_required
@require_http_methods(["GET", "POST"])
def class_add(request, pk):
    """Add a class (新增班级)."""
    facility = _facility(request, pk, "edit")
    form = ClassForm(_posted(request))
    return _simple_form_view(
        request, facility, form,
        lambda data: services.class_create(actor=request.user, facility=facility, **data),
        _("新增班级"), _("班级已添加。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_edit(request, pk, class_pk):
    """Edit a class (修改班级)."""
    facility = _facility(request, pk, "edit")
    obj = get_object_or_404(facility.classes, pk=class_pk)
    initial = {n: getattr(obj, n) for n in CLASS_FORM_FIELDS}
    form = ClassForm(_posted(request), initial=initial)
    return _simple_form_view(
        request, facility, form,
        lambda data: services.class_update(actor=request.user, facility_class=obj, **data),
        _("修改班级"), _("已保存。"),
    )


@login_required
@require_POST
def class_delete(request, pk, class_pk):
    """Delete a class (删除班级)."""
    facility = _facility(request, pk, "edit")
    obj = get_object_or_404(facility.classes, pk=class_pk)
    try:
        services.class_delete(actor=request.user, facility_class=obj)
        messages.success(request, _("班级已删除。"))
    except DomainError as exc:
        _show_error(request, exc)
    return _detail(facility)


@login_required
@require_http_methods(["GET", "POST"])
def staff_add(request, pk):
    """Add a staff member (新增工作人员)."""
    facility = _facility(request, pk, "edit")
    form = StaffForm(_posted(request), facility=facility)
    return _simple_form_view(
        request, facility, form,
        lambda data: services.staff_create(actor=request.user, facility=facility, **data),
        _("新增工作人员"), _("工作人员已添加。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk, staff_pk):
    """Edit a staff member (修改工作人员信息)."""
    facility = _facility(request, pk, "edit")
    obj = get_object_or_404(facility.staff, pk=staff_pk)
    initial = {n: getattr(obj, n) for n in STAFF_FORM_FIELDS}
    form = StaffForm(_posted(request), facility=facility, initial=initial)
    return _simple_form_view(
        request, facility, form,
        lambda data: services.staff_update(actor=request.user, staff=obj, **data),
        _("修改工作人员信息"), _("已保存。"),
    )


@login_required
@require_POST
def staff_delete(request, pk, staff_pk):
    """Remove a staff member (删除工作人员)."""
    facility = _facility(request, pk, "edit")
    obj = get_object_or_404(facility.staff, pk=staff_pk)
    try:
        services.staff_delete(actor=request.user, staff=obj)
        messages.success(request, _("工作人员已删除。"))
    except DomainError as exc:
        _show_error(request, exc)
    return _detail(facility)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_add(request, pk):
    """Record an enrolment (入托登记): birth date and dates, never a name."""
    facility = _facility(request, pk, "edit")
    form = EnrolmentForm(_posted(request), facility=facility)
    return _simple_form_view(
        request, facility, form,
        lambda data: services.enrolment_create(actor=request.user, facility=facility, **data),
        _("入托登记"), _("已登记入托。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_move(request, pk, enrolment_pk):
    """Move a child to another class (转班)."""
    facility = _facility(request, pk, "edit")
    obj = get_object_or_404(facility.enrolments, pk=enrolment_pk)
    form = MoveForm(_posted(request), facility=facility)
    return _simple_form_view(
        request, facility, form,
        lambda data: services.enrolment_move(actor=request.user, enrolment=obj, **data),
        _("转班：%(ref)s") % {"ref": obj.child_ref}, _("已转班。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_leave(request, pk, enrolment_pk):
    """Record that a child left (离托)."""
    facility = _facility(request, pk, "edit")
    obj = get_object_or_404(facility.enrolments, pk=enrolment_pk)
    form = LeaveForm(_posted(request))
    return _simple_form_view(
        request, facility, form,
        lambda data: services.enrolment_leave(actor=request.user, enrolment=obj, **data),
        _("离托：%(ref)s") % {"ref": obj.child_ref}, _("已登记离托。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, pk):
    """Attach a filing document (上传备案材料)."""
    facility = _facility(request, pk, "edit")
    form = DocumentForm(_posted(request), request.FILES if request.method == "POST" else None)
    return _simple_form_view(
        request, facility, form,
        lambda data: services.document_add(actor=request.user, facility=facility, **data),
        _("上传备案材料"), _("材料已上传。"),
    )


@login_required
def document_download(request, pk, document_pk):
    """Send an uploaded filing document to a user who may see the facility's personal data.

    Filing documents are never published: no public URL points at them.
    """
    facility = _facility(request, pk)
    if not perms.can_view_personal_data(request.user, facility):
        raise PermissionDenied
    document = get_object_or_404(facility.documents.exclude(file=""), pk=document_pk)
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "no-store"
    return response


@login_required
def facility_check(request, pk):
    """Run the compliance check (合规检查) as of a date and list every finding."""
    facility = _facility(request, pk)
    form = CheckForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # A date outside 2000 … 2100: the error is on the field; nothing is checked.
        return render(request, "facilities/check.html", {
            "facility": facility, "form": form, "as_of": None, "findings": [], "blocking": [],
            "invalid": True,
        })
    as_of = form.cleaned_data.get("as_of") if form.is_bound else None
    as_of = as_of or local_today()
    findings = selectors.facility_findings_for(request.user, facility, as_of=as_of)
    return render(request, "facilities/check.html", {
        "facility": facility, "form": form, "as_of": as_of, "findings": findings,
        "blocking": [f for f in findings if f.severity == "block"],
        "no_rules": not len(rules_in_force(as_of=as_of, province_code=facility.division.code)),
    })


# --------------------------------------------------------------------------- filing actions


@login_required
@require_http_methods(["GET", "POST"])
def filing_submit(request, pk):
    """Submit for filing (提交备案) or, for a filed facility, a change filing (变更备案).

    GET shows today's check and the submit button; a blocked submission shows the findings.
    """
    facility = _facility(request, pk, "submit")
    change = facility.filing_status == FilingStatus.FILED
    form = ReasonForm(_posted(request), initial={"version": facility.version})
    findings = None
    if request.method == "POST" and form.is_valid():
        try:
            if change:
                services.filing_submit_change(
                    actor=request.user, facility=facility,
                    reason=form.cleaned_data["reason"], expected_version=_version(request),
                )
            else:
                services.filing_submit(actor=request.user, facility=facility,
                                       expected_version=_version(request))
        except DomainError as exc:
            _show_error(request, exc)
            findings = (exc.details or {}).get("findings")
        else:
            messages.success(request, _("已提交备案，等待卫生健康部门办理。"))
            return _detail(facility)
    if findings is None:
        findings = [services.finding_as_dict(f)
                    for f in selectors.facility_findings_for(request.user, facility, as_of=local_today())]
    return render(request, "facilities/submit.html", {
        "facility": facility, "form": form, "findings": findings, "change": change,
        "allowed": bool([t for t in FILING_WORKFLOW.actions_from(facility.filing_status)
                         if t.action in ("submit", "submit_change")]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def filing_cancel(request, pk):
    """Cancel the filing (注销备案) with a reason."""
    facility = _facility(request, pk, "cancel")
    form = ReasonForm(_posted(request), initial={"version": facility.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.filing_cancel(actor=request.user, facility=facility,
                                   reason=form.cleaned_data["reason"],
                                   expected_version=_version(request))
        except DomainError as exc:
            _show_error(request, exc, form)
        else:
            messages.success(request, _("备案已注销。"))
            return _detail(facility)
    return render(request, "facilities/cancel.html", {"facility": facility, "form": form})


# --------------------------------------------------------------------------- health officer


@login_required
def filing_queue(request):
    """The filing queue (待办备案) of the officer's jurisdiction, oldest first."""
    if not perms.can_see_queue(request.user):
        raise PermissionDenied
    queue = selectors.filing_queue_for(request.user)
    page = Paginator(queue, selectors.LIST_PAGE_SIZE).get_page(
        selectors.page_number(request.GET.get("page", 1))
    )
    return render(request, "facilities/queue.html", {
        "queue": page.object_list, "page": page, "count": page.paginator.count,
        "querystring": _querystring(request), "today": local_today(),
    })


@login_required
def filing_review(request, pk):
    """Review page: the facility's data, today's check and the decision forms."""
    facility = _facility(request, pk)
    if not perms.can_see_queue(request.user):
        raise PermissionDenied
    return _render_review(request, facility)


def _sanction_forms(request, facility, kept=None):
    """The regulatory measures (监管措施) ``request.user`` may take on ``facility`` now, in
    table order: ``[(action, form)]``; ``kept`` is ``(action, form)`` of a rejected post.

    Empty unless the user may sanction the filing (:func:`perms.can_sanction_filing`). The
    ``escalation`` query parameter (a ladder step's pk, from the supervision page) is put
    in the form of the measure that answers that step only (a suspension step: suspend; a
    cancellation step: revoke; ``supervision.rectification.FILING_ACTION_STEPS``).
    """
    if not perms.can_sanction_filing(request.user, facility):
        return []
    # Lazy import: supervision depends on facilities, not the other way round.
    from tuoyu.supervision.selectors import escalation_filing_action_of

    escalation = request.GET.get("escalation", "")
    answering = escalation_filing_action_of(escalation, facility.pk) if escalation.isdigit() else ""
    forms = []
    for transition in FILING_WORKFLOW.actions_from(facility.filing_status):
        if transition.action not in SANCTION_ACTIONS:
            continue
        if kept and kept[0] == transition.action:
            forms.append(kept)
        else:
            answers = transition.action == answering
            initial = {"version": facility.version, "escalation": int(escalation) if answers else None}
            forms.append((transition.action, SanctionForm(
                initial=initial, auto_id=f"id_{transition.action}_%s")))
    return forms


def _render_review(request, facility, return_form=None, status=200, sanction=None):
    """The review page of ``facility``; ``return_form`` keeps a rejected return reason and
    ``sanction`` a rejected regulatory measure ``(action, form)``."""
    findings = selectors.facility_findings_for(request.user, facility, as_of=local_today())
    return render(request, "facilities/review.html", status=status, context={
        "facility": facility,
        "classes": facility.classes.all(),
        "staff": selectors.staff_for_user(request.user, facility),
        "services": facility.services.all(),
        "documents": facility.documents.all(),
        "history": selectors.filing_history(facility),
        "findings": findings,
        "can_review": perms.can_review_filing(request.user, facility),
        "waiting": facility.filing_status in selectors.QUEUE_STATUSES,
        "return_form": return_form or ReasonForm(initial={"version": facility.version}),
        "sanction_forms": _sanction_forms(request, facility, sanction),
        "escalation": request.GET.get("escalation", ""),
    })


@login_required
@require_POST
def filing_decide_file(request, pk):
    """File (予以备案) a submitted filing or accept a change filing."""
    facility = _facility(request, pk, "review")
    service = (services.filing_file_change
               if facility.filing_status == FilingStatus.CHANGE_SUBMITTED
               else services.filing_file)
    try:
        service(actor=request.user, facility=facility, expected_version=_version(request))
    except DomainError as exc:
        _show_error(request, exc)
        return redirect("facilities:review", pk=facility.pk)
    messages.success(request, _("已备案，回执编号：%(number)s") % {"number": facility.receipt_number})
    return redirect("facilities:review", pk=facility.pk)


@login_required
@require_POST
def filing_decide_return(request, pk):
    """Return (退回) a filing or a change filing with reasons."""
    facility = _facility(request, pk, "review")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        # E.g. a reason over 2,000 characters: the page comes back with the text kept.
        return _render_review(request, facility, return_form=form, status=400)
    service = (services.filing_return_change
               if facility.filing_status == FilingStatus.CHANGE_SUBMITTED
               else services.filing_return)
    try:
        service(actor=request.user, facility=facility,
                reason=form.cleaned_data.get("reason", ""), expected_version=_version(request))
    except DomainError as exc:
        _show_error(request, exc, form)
        if form.errors:
            return _render_review(request, facility, return_form=form, status=400)
    else:
        messages.success(request, _("已退回。"))
    return redirect("facilities:review", pk=facility.pk)


#: The services of the regulatory measures and their success messages.
_SANCTIONS = {
    "suspend": (services.filing_suspend, _lazy("备案已暂停。")),
    "lift_suspension": (services.filing_lift_suspension, _lazy("已恢复备案。")),
    "revoke": (services.filing_revoke, _lazy("备案已撤销。")),
}


@login_required
@require_POST
def filing_sanction(request, pk, action):
    """Suspend (暂停备案), lift a suspension (恢复备案) or revoke (撤销备案) a filing with a
    reason; optionally answering a compliance-ladder step (hidden ``escalation`` field).

    Only the county health commission of the facility's county (403 for other officials
    who can see it, 404 for those who cannot). A missing reason or a step that does not
    match comes back on the review page with status 400.
    """
    facility = _facility(request, pk, "sanction")
    service, done = _SANCTIONS[action]
    # One form per measure on the page: ids are per action (the return form has id_reason).
    form = SanctionForm(request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return _render_review(request, facility, status=400, sanction=(action, form))
    kwargs = {"actor": request.user, "facility": facility,
              "reason": form.cleaned_data.get("reason", ""), "expected_version": _version(request)}
    if action != "lift_suspension":
        kwargs["escalation_pk"] = form.cleaned_data.get("escalation")
    try:
        service(**kwargs)
    except DomainError as exc:
        _show_error(request, exc, form)
        if form.errors:
            return _render_review(request, facility, status=400, sanction=(action, form))
    else:
        messages.success(request, str(done))
    return redirect("facilities:review", pk=facility.pk)


# --------------------------------------------------------------------------- public


