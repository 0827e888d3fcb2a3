"""Pages of survey creation, distribution and answering.

Views are thin: parse input with a form, call one selector or service, render. For the
employer pages GEN-001 becomes 404 (existence is never revealed) and GEN-002 becomes
403. Answer pages need no account: they are reached only through a personal or open link
token; they work without JavaScript and on a phone.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu.core.dates import local_date, local_today
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.core.network import client_ip
from tuoyu.facilities.exporting import export_csv
from tuoyu.facilities.views import login_required
from tuoyu.surveys import flood, results, selectors, services
from tuoyu.surveys import permissions as perms
from tuoyu.surveys.choices import ResponseSource, SurveyStatus
from tuoyu.surveys.errors import (
    SUR_FORM_EXPIRED,
    SUR_LINKS_CLOSED,
    SUR_NOT_ANSWERABLE,
    SUR_THROTTLED,
    SUR_TOO_FAST,
)
from tuoyu.surveys.forms import AnswerForm, ConsentForm, LinksForm, SurveyForm
from tuoyu.surveys.workflow import SURVEY_WORKFLOW

#: Links per printed page (each with its QR code).
PRINT_PAGE_SIZE = 100
#: Links listed per page on the distribution page.
LINKS_PAGE_SIZE = 200

# --------------------------------------------------------------------------- plumbing


def _raise_http(exc: DomainError):
    if exc.code == GEN_NOT_FOUND:
        raise Http404(exc.message) from None
    if exc.code == GEN_FORBIDDEN:
        raise PermissionDenied(exc.message) from None
    raise exc


def survey_for_request(request, pk, *, action: str = "manage"):
    """Survey ``pk`` if ``request.user`` may perform ``action`` on it
    (:func:`tuoyu.surveys.selectors.survey_get_for_user`), for every employer page of the
    app: GEN-001 becomes Http404 (existence is never revealed), GEN-002 PermissionDenied."""
    try:
        return selectors.survey_get_for_user(request.user, pk, action=action)
    except DomainError as exc:
        _raise_http(exc)


def _form_error(form, exc: DomainError, fields=()) -> None:
    form.add_error(exc.field if exc.field in (fields or form.fields) else None, exc.message)


def qr_svg(url: str) -> str:
    """Inline SVG markup of a QR code for ``url`` (no external request, no script)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2)


# --------------------------------------------------------------------------- employer pages


@login_required
def survey_list(request):
    """The surveys of the employers the user manages."""
    if not perms.can_create_survey(request.user):
        raise PermissionDenied(_("您无权执行此操作。"))
    surveys = selectors.surveys_managed_by(request.user)
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    """Create a survey (draft) from the standard questionnaire plus extra questions."""
    employers = perms.managed_employers(request.user)
    if not employers:
        raise PermissionDenied(_("您无权执行此操作。"))
    form = SurveyForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        employer = next(e for e in employers if e.pk == d["employer"])
        try:
            survey = services.survey_create(
                actor=request.user, employer=employer, title=d["title"],
                description=d["description"], opens_on=d["opens_on"], closes_on=d["closes_on"],
                staff_count=d["staff_count"], questions=form.questions(),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("调查已创建。"))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": None})


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    """Change a survey; its extra questions only while it is a draft."""
    survey = survey_for_request(request, pk)
    with_questions = survey.status == SurveyStatus.DRAFT
    employers = [survey.employer]
    form = SurveyForm(
        request.POST or None, employers=employers, with_questions=with_questions,
        initial=SurveyForm.initial_for(survey),
    )
    form.fields["employer"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.survey_update(
                actor=request.user, survey=survey, title=d["title"], description=d["description"],
                opens_on=d["opens_on"], closes_on=d["closes_on"], staff_count=d["staff_count"],
                questions=form.questions() if with_questions else None,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@login_required
def survey_detail(request, pk):
    """A survey: status, actions, questions, links summary and the open link with its QR code."""
    survey = survey_for_request(request, pk)
    open_url = (
        request.build_absolute_uri(reverse("surveys:open_answer", args=[survey.open_token]))
        if survey.open_token else ""
    )
    n_links = survey.invitations.count()
    n_answered = survey.invitations.filter(answered_at__isnull=False).count()
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "actions": SURVEY_WORKFLOW.actions_from(survey.status),
        "n_links": n_links,
        "n_answered": n_answered,
        "n_responses": survey.responses.count(),
        "open_url": open_url,
        "open_qr": mark_safe(qr_svg(open_url)) if open_url else "",  # noqa: S308 - segno output
        "answerable": survey.is_answerable(local_today()),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
@require_POST
def survey_transition(request, pk, action):
    """Open, close or reopen a survey (workflow table in ``workflow.py``)."""
    survey = survey_for_request(request, pk)
    try:
        services.survey_transition(actor=request.user, survey=survey, action=action)
    except DomainError as exc:
        if exc.code in (GEN_NOT_FOUND, GEN_FORBIDDEN):
            _raise_http(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("调查状态已更新。"))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def survey_open_link(request, pk):
    """Enable (``enabled=1``) or disable the survey's open link."""
    survey = survey_for_request(request, pk)
    try:
        services.survey_open_link_set(
            actor=request.user, survey=survey, enabled=request.POST.get("enabled") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_links(request, pk):
    """Personal links: generate from pasted or uploaded labels; list them."""
    survey = survey_for_request(request, pk)
    form = LinksForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and survey.status == SurveyStatus.CLOSED:
        # The form is not shown for a closed survey; say why nothing happens.
        messages.error(request, DomainError(SUR_LINKS_CLOSED).message)
    elif request.method == "POST" and form.is_valid():
        try:
            result = services.invitations_create(
                actor=request.user, survey=survey, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("已生成%(n)s个个人链接。") % {"n": len(result.created)})
    page = Paginator(selectors.invitations_of(survey), LINKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/links.html", {
        "survey": survey, "form": form, "result": result, "page": page,
        "max_links": services.max_links(), "n_answered": selectors.invitations_answered_count(survey),
    })


@login_required
def survey_links_print(request, pk):
    """A printable page of personal links with their QR codes (inline SVG, no script)."""
    survey = survey_for_request(request, pk)
    page = Paginator(selectors.invitations_of(survey), PRINT_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = []
    for inv in page:
        url = request.build_absolute_uri(reverse("surveys:answer", args=[inv.token]))
        cards.append({"label": inv.label, "url": url, "qr": mark_safe(qr_svg(url))})  # noqa: S308
    return render(request, "surveys/links_print.html", {"survey": survey, "cards": cards, "page": page})


@login_required
def survey_links_csv(request, pk):
    """CSV (UTF-8 with BOM) of the personal links: label, link. Whether a link has been
    answered is not included (with result snapshots it would reveal single answers)."""
    survey = survey_for_request(request, pk)
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        yield [_("标识"), _("链接")]
        for inv in selectors.invitations_of(survey).iterator(chunk_size=500):
            path = reverse("surveys:answer", args=[inv.token])
            yield [inv.label, base + path]

    response = StreamingHttpResponse(export_csv(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-links.csv"'
    return response


# --------------------------------------------------------------------------- answering


def _closed(request, survey, *, status=200):
    reason = services.survey_closed_reason(survey, local_today())
    return render(request, "surveys/answer_closed.html", {"survey": survey, "reason": reason}, status=status)


def _from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


class _Link:
    """What the answer views need of a link: survey, key, URLs, personal or open."""

    def __init__(self, *, survey, token, invitation=None):
        self.survey = survey
        self.token = token
        self.invitation = invitation
        self.personal = invitation is not None
        self.key = ("p:" if self.personal else "o:") + token
        name = "surveys:answer" if self.personal else "surveys:open_answer"
        self.url = reverse(name, args=[token])
        self.thanks_url = reverse(name + "_thanks", args=[token])


def _render_notice(request, link, form=None, *, status=200, error=""):
    return render(request, "surveys/answer_notice.html", {
        "link": link, "survey": link.survey, "form": form or ConsentForm(), "error": error,
        "min_cell": results.min_cell(),
    }, status=status)


def _render_form(request, link, form, *, status=200):
    return render(request, "surveys/answer_form.html", {
        "link": link, "survey": link.survey, "form": form, "due_months": services.due_months(),
    }, status=status)


def _new_answer_form(link, *, consent_at: float):
    """An EMPTY questionnaire: a stored answer is never shown, since whoever holds the
    link (the employer holds them all) would see it (ADR 0050)."""
    stamp = flood.form_stamp(key=link.key, consent_at=consent_at, nonce=secrets.token_urlsafe(12))
    return AnswerForm(
        questions=list(link.survey.questions.all()), honeypot=not link.personal,
        initial={"stamp": stamp}, answered_on=local_today(),
    )


def _private(response: HttpResponse) -> HttpResponse:
    """Answer pages carry a secret token: not cached, not indexed, referrer only to this site."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _answer(request, link):
    return _private(_answer_page(request, link))


def _answer_page(request, link):
    # An answered and an unanswered personal link look the same: notice, consent, empty
    # form. Submitting again replaces the earlier answer (one answer per link).
    survey = link.survey
    now = timezone.now()
    if not survey.is_answerable(local_today()):
        return _closed(request, survey, status=200 if request.method == "GET" else 403)
    if request.method == "GET":
        consent_at = flood.consent_stamp_read(request.GET.get("c", ""), key=link.key)
        if consent_at is None:
            return _render_notice(request, link)
        return _render_form(request, link, _new_answer_form(link, consent_at=consent_at))
    if request.POST.get("step") == "consent":
        consent = ConsentForm(request.POST)
        if not consent.is_valid():
            return _render_notice(request, link, consent, status=400)
        return redirect(f"{link.url}?c={flood.consent_stamp(key=link.key)}")
    return _submit(request, link, now)


def _submit(request, link, now):
    response = _submit_page(request, link, now)
    if not link.personal and response.status_code != 429:
        flood.submission_done(ip=client_ip(request), accepted=response.status_code == 302)
    return response


def _submit_page(request, link, now):
    survey = link.survey
    if not link.personal:
        wait = flood.submission_check(survey_id=survey.pk, ip=client_ip(request))
        if wait is not None:
            response = render(request, "surveys/answer_throttled.html", {
                "survey": survey, "message": DomainError(SUR_THROTTLED).message,
            }, status=429)
            response["Retry-After"] = str(wait)
            return response
    stamp = flood.form_stamp_read(request.POST.get("stamp", ""), key=link.key)
    if stamp is None:
        return _render_notice(request, link, status=400, error=DomainError(SUR_FORM_EXPIRED).message)
    form = AnswerForm(
        request.POST, questions=list(survey.questions.all()), honeypot=not link.personal,
        child_rows=len([k for k in request.POST if k.startswith("child_")]),
        expected_rows=len([k for k in request.POST if k.startswith("due_")]),
        answered_on=local_date(now),
    )
    valid = form.is_valid()
    if not link.personal:
        if request.POST.get("website", "").strip():
            form.add_error(None, _("请将“请勿填写此项”一栏留空。"))
            valid = False
        elif flood.too_fast(stamp):
            form.add_error(None, DomainError(SUR_TOO_FAST).message)
            valid = False
    if valid:
        try:
            response = services.response_submit(
                survey=survey, data=form.answer_data(),
                source=ResponseSource.PERSONAL if link.personal else ResponseSource.OPEN,
                consented=True, invitation=link.invitation,
                replace=None if link.personal else flood.answer_for(stamp.get("n", "")),
                now=now, consent_at=_from_epoch(float(stamp["c"])),
            )
        except DomainError as exc:
            if exc.code == SUR_NOT_ANSWERABLE:
                return _closed(request, survey, status=403)
            _form_error(form, exc)
        else:
            if not link.personal:
                flood.remember_answer(stamp.get("n", ""), response.pk)
            return redirect(link.thanks_url)
    # Re-render with a fresh "shown at" time but the same consent and nonce.
    data = request.POST.copy()
    data["stamp"] = flood.form_stamp(key=link.key, consent_at=float(stamp["c"]), nonce=stamp.get("n", ""))
    form.data = data
    return _render_form(request, link, form, status=400)


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """A personal answer link: privacy notice and consent, then an empty questionnaire.

    Until the close date the link can be used again: the form is always empty (the stored
    answer is never shown, whoever holds the link) and a new submission replaces the
    earlier answer of the link.
    """
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("链接无效。"))
    return _answer(request, _Link(survey=invitation.survey, token=token, invitation=invitation))


@require_http_methods(["GET", "POST"])
def open_answer(request, token):
    """The survey's open link: as :func:`answer`, with flood defences; each form is one answer."""
    survey = selectors.survey_by_open_token(token)
    if survey is None:
        raise Http404(_("链接无效。"))
    return _answer(request, _Link(survey=survey, token=token))


def _thanks(request, link):
    return render(request, "surveys/answer_thanks.html", {"link": link, "survey": link.survey})


def answer_thanks(request, token):
    """Thank-you page after answering through a personal link."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404(_("链接无效。"))
    return _private(_thanks(request, _Link(survey=invitation.survey, token=token, invitation=invitation)))


def open_answer_thanks(request, token):
    """Thank-you page after answering through the open link."""
    survey = selectors.survey_by_open_token(token)
    if survey is None:
        raise Http404(_("链接无效。"))
    return _private(_thanks(request, _Link(survey=survey, token=token)))

