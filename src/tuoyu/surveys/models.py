"""Employee childcare demand surveys (职工托育需求调查).

An employer asks its staff, anonymously, about children under three and expected births,
current care, wanted services, hours, affordable fee band and commute. Nothing that names
a person is stored: a personal link carries only the employer's own label (staff number or
department), children are recorded by birth month (the 1st of the month) only, and no IP
address is kept. Results are shown only as aggregates of at least ``SURVEY_MIN_CELL``
answers.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.models import TimeStampedModel
from tuoyu.surveys.choices import (
    CareArrangement,
    FeeBand,
    QuestionKind,
    ResponseSource,
    SurveyStatus,
    WouldUse,
)

#: Length of a URL token made by :func:`new_token` (``secrets.token_urlsafe(24)`` = 32 chars;
#: the column is 43 wide so that a 32-byte token also fits).
TOKEN_MAX_LENGTH = 43
#: Days per week accepted in an answer.
DAYS_PER_WEEK_MIN, DAYS_PER_WEEK_MAX = 1, 7
#: One-way commute accepted in an answer, minutes.
COMMUTE_MAX_MINUTES = 300


def new_token() -> str:
    """A fresh unguessable URL token: ``secrets.token_urlsafe(24)`` (192 bits, 32 characters)."""
    return secrets.token_urlsafe(24)


class Survey(TimeStampedModel):
    """A demand survey (职工托育需求调查) run by one employer.

    ``opens_on``/``closes_on`` bound the answering period (both inclusive, local dates).
    ``open_token`` is set while the open (public) link is enabled. ``staff_count`` is the
    number of staff surveyed (persons), the denominator of the response rate when no
    personal links were issued.
    """

    employer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="surveys",
        verbose_name=_("用人单位"),
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT,
        db_index=True,
    )
    open_token = models.CharField(
        _("公开链接令牌"), max_length=TOKEN_MAX_LENGTH, unique=True, null=True, blank=True,
        editable=False,
    )
    staff_count = models.PositiveIntegerField(_("调查职工人数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("职工托育需求调查")
        verbose_name_plural = _("职工托育需求调查")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Check the employer is an employer and the period is not reversed.

        Raises ``ValidationError``.
        """
        from tuoyu.accounts.choices import OrganizationKind

        errors = {}
        if self.employer_id and self.employer.kind != OrganizationKind.EMPLOYER:
            errors["employer"] = _("只有用人单位可以开展职工托育需求调查。")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("截止日期不能早于开始日期。")
        if errors:
            raise ValidationError(errors)

    def is_answerable(self, today: date) -> bool:
        """True when answers are accepted on ``today``: status open and within the period."""
        return (
            self.status == SurveyStatus.OPEN
            and self.opens_on <= today <= self.closes_on
        )


class SurveyQuestion(models.Model):
    """An extra question (附加问题) the employer adds to the standard questionnaire.

    ``choices`` is a list of option strings for single/multiple choice questions (empty
    for text and number). Answers are stored in ``SurveyResponse.extra_answers`` under
    ``str(position)``.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("调查")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("问题"), max_length=300)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=False)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("附加问题")
        verbose_name_plural = _("附加问题")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="surveyquestion_position_uniq"),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        """Choice questions need at least two distinct non-blank options; others none.

        Raises ``ValidationError``.
        """
        opts = self.choices if isinstance(self.choices, list) else None
        if opts is None or not all(isinstance(o, str) for o in opts):
            raise ValidationError({"choices": _("选项必须是文字列表。")})
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            cleaned = [o.strip() for o in opts if o.strip()]
            if len(cleaned) < 2 or len(set(cleaned)) != len(cleaned):
                raise ValidationError({"choices": _("选择题至少需要两个互不相同的选项。")})
        elif opts:
            raise ValidationError({"choices": _("只有选择题可以设置选项。")})


class SurveyInvitation(models.Model):
    """A personal answer link (个人答题链接) for one member of staff.

    ``label`` is the employer's own reference (staff number or department), never required
    to be a name. ``answered_at`` is set when the link's answer is first submitted.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("调查")
    )
    token = models.CharField(
        _("令牌"), max_length=TOKEN_MAX_LENGTH, unique=True, default=new_token, editable=False
    )
    label = models.CharField(_("标识（工号或部门）"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    answered_at = models.DateTimeField(_("答题时间"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "label"]
        verbose_name = _("个人答题链接")
        verbose_name_plural = _("个人答题链接")
        constraints = [
            models.UniqueConstraint(fields=["survey", "label"], name="surveyinvitation_label_uniq"),
        ]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """One answer (答卷) to a survey.

    At most one answer per personal link (OneToOne ``invitation``); paper answers are
    unique per ``paper_ref`` so that a re-import updates rather than duplicates. Units:
    ``days_per_week`` days (1–7); ``hours_from``/``hours_to`` local clock times;
    ``commute_minutes`` one-way minutes (0–300); fee band in ¥ per month (see
    ``FEE_BAND_RANGES``). ``extra_answers`` maps ``str(question position)`` to the answer
    (str, number or list of str). No IP address and no name are stored.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("调查")
    )
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="response", verbose_name=_("个人答题链接"),
    )
    source = models.CharField(_("来源"), max_length=10, choices=ResponseSource.choices)
    paper_ref = models.CharField(_("纸质问卷编号"), max_length=50, blank=True)
    consent_at = models.DateTimeField(_("同意时间"))
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    current_care = models.CharField(
        _("目前照料方式"), max_length=20, choices=CareArrangement.choices, blank=True
    )
    wanted_services = models.JSONField(_("需要的托育服务"), default=list, blank=True)
    days_per_week = models.PositiveSmallIntegerField(
        _("每周天数"), null=True, blank=True,
        validators=[MinValueValidator(DAYS_PER_WEEK_MIN), MaxValueValidator(DAYS_PER_WEEK_MAX)],
    )
    hours_from = models.TimeField(_("开始时间"), null=True, blank=True)
    hours_to = models.TimeField(_("结束时间"), null=True, blank=True)
    fee_band = models.CharField(_("可承受月费"), max_length=10, choices=FeeBand.choices, blank=True)
    would_use = models.CharField(_("是否愿意使用"), max_length=10, choices=WouldUse.choices, blank=True)
    commute_minutes = models.PositiveSmallIntegerField(
        _("单程通勤时间（分钟）"), null=True, blank=True,
        validators=[MaxValueValidator(COMMUTE_MAX_MINUTES)],
    )
    extra_answers = models.JSONField(_("附加问题回答"), default=dict, blank=True)

    class Meta:
        ordering = ["survey", "submitted_at", "id"]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "paper_ref"], condition=~Q(paper_ref=""),
                name="surveyresponse_paper_ref_uniq",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__isnull=True)
                | (Q(days_per_week__gte=DAYS_PER_WEEK_MIN) & Q(days_per_week__lte=DAYS_PER_WEEK_MAX)),
                name="surveyresponse_days_per_week_range",
            ),
            models.CheckConstraint(
                condition=Q(commute_minutes__isnull=True) | Q(commute_minutes__lte=COMMUTE_MAX_MINUTES),
                name="surveyresponse_commute_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"

    def clean(self) -> None:
        """Check wanted services are known service types and the hours are not reversed.

        Raises ``ValidationError``.
        """
        from tuoyu.facilities.choices import ServiceType

        errors = {}
        ws = self.wanted_services
        if not isinstance(ws, list) or any(v not in ServiceType.values for v in ws):
            errors["wanted_services"] = _("需要的托育服务不在可选范围内。")
        if self.hours_from and self.hours_to and self.hours_to <= self.hours_from:
            errors["hours_to"] = _("结束时间必须晚于开始时间。")
        if not isinstance(self.extra_answers, dict):
            errors["extra_answers"] = _("附加问题回答格式不正确。")
        if errors:
            raise ValidationError(errors)


class ResponseChild(models.Model):
    """A child under three, or an expected birth, reported in an answer (子女/预产).

    ``birth_month`` is always the 1st of the month (for an expected birth: the due month).
    Never a name, ID number or exact birth date.
    """

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="children", verbose_name=_("答卷")
    )
    birth_month = models.DateField(_("出生（预产）月份"))
    expected = models.BooleanField(_("预产"), default=False)

    class Meta:
        ordering = ["response", "birth_month", "id"]
        verbose_name = _("子女/预产")
        verbose_name_plural = _("子女/预产")

    def __str__(self) -> str:
        return self.birth_month.strftime("%Y-%m")

    def clean(self) -> None:
        """``birth_month`` must be the first day of a month. Raises ``ValidationError``."""
        if self.birth_month and self.birth_month.day != 1:
            raise ValidationError({"birth_month": _("出生月份必须是某月的1日。")})


class PlanScenario(TimeStampedModel):
    """A capacity and cost-sharing scenario (测算方案) for a survey.

    ``inputs`` holds the cost-model inputs (keys defined and validated by the planning
    module).
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("调查")
    )
    name = models.CharField(_("方案名称"), max_length=100)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    inputs = models.JSONField(_("测算参数"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("创建人"),
    )

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("测算方案")
        verbose_name_plural = _("测算方案")
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="planscenario_name_uniq"),
        ]

    def __str__(self) -> str:
        return self.name
