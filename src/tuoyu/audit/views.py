"""Pages of the audit app: the audit trail for officials."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from tuoyu.accounts.permissions import can_view_audit
from tuoyu.audit.presentation import PersonalDataScope, event_changes
from tuoyu.audit.selectors import audit_events_visible_to

PAGE_SIZE = 50


@login_required
def event_list(request):
    """The audit trail (审计日志) of the reader's jurisdiction, newest first, 50 a page.

    GET ``action`` and ``object_type`` filter exactly; ``page`` pages. 403 for users
    without ``view_audit``. Before/after values are shown as a table of changed fields;
    personal fields are hidden from readers without ``view_personal_data`` over the
    event's jurisdiction (see ``audit.presentation``).
    """
    if not can_view_audit(request.user):
        raise PermissionDenied
    events = audit_events_visible_to(request.user)
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = PersonalDataScope(request.user)
    rows = [
        (e, event_changes(e, may_see_personal_data=scope.allows(e))) for e in page.object_list
    ]
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "rows": rows, "action": action, "object_type": object_type},
    )
