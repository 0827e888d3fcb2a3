"""Pages of the alerts (动态监管预警): the officer's list, one alert with its
acknowledgement form, and the rules page.

Views are thin: a form parses input, one selector or service does the work. GEN-001
becomes 404 and GEN-002 403; any other DomainError is shown on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.facilities.views import login_required
from tuoyu.monitoring import permissions as perms
from tuoyu.monitoring import selectors
from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.forms import AcknowledgeForm, AlertFilterForm
from tuoyu.monitoring.rules import RULES, RULES_BY_CODE, alert_message
from tuoyu.monitoring.services import alert_acknowledge

PAGE_SIZE = 50


def _alert(request, pk):
    try:
        return selectors.alert_get_for_user(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from None


def _render_detail(request, alert, form, *, status=200):
    """The alert page with ``form`` (None: no acknowledgement form)."""
    return render(request, "monitoring/alert_detail.html", {
        "alert": alert, "message": alert_message(alert), "rule": RULES_BY_CODE.get(alert.rule_code),
        "form": form,
    }, status=status)


@login_required
def alert_list(request):
    """Alerts in the officer's jurisdiction, newest first, filtered by ``?rule`` and
    ``?status`` (default: open), 50 a page (``?page``)."""
    if not perms.can_view_alerts(request.user):
        raise PermissionDenied(_("只有卫生健康部门工作人员可以查看预警。"))
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = AlertStatus.OPEN
    form = AlertFilterForm(data)
    rule = status = ""
    if form.is_valid():
        rule, status = form.cleaned_data["rule"], form.cleaned_data["status"]
    alerts = selectors.alerts_visible_to(request.user, rule=rule, status=status)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, alert_message(a), RULES_BY_CODE.get(a.rule_code)) for a in page.object_list]
    query = f"rule={rule}&status={status}"
    return render(request, "monitoring/alert_list.html", {
        "form": form, "page": page, "rows": rows, "query": query,
    })


@login_required
def alert_detail(request, pk):
    """One alert: rule, facility, figures, dates, acknowledgement (or its form)."""
    alert = _alert(request, pk)
    can_ack = alert.status == AlertStatus.OPEN and perms.can_acknowledge_alert(request.user, alert)
    return _render_detail(request, alert, AcknowledgeForm() if can_ack else None)


@login_required
@require_POST
def alert_acknowledge_view(request, pk):
    """Acknowledge an alert with a note (required)."""
    alert = _alert(request, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            alert_acknowledge(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        except DomainError as exc:
            if exc.code == GEN_FORBIDDEN:
                raise PermissionDenied(exc.message) from None
            form.add_error("note" if exc.field == "note" else None, exc.message)
        else:
            messages.success(request, _("预警已确认。"))
            return redirect("monitoring:alert_detail", alert.pk)
    return _render_detail(request, alert, form, status=400)


@login_required
def rule_list(request):
    """Every alert rule: code, title, threshold and source on today's date; each row has
    the rule code as its anchor, so an alert links to ``…/rules/#MON-001``."""
    today = local_today()
    rules = [
        {"code": r.code, "title": r.title, "threshold": r.threshold(today), "sources": r.sources(today)}
        for r in RULES
    ]
    return render(request, "monitoring/rule_list.html", {
        "rules": rules, "as_of": today, "rules_url": reverse("standards:rule_list"),
    })
