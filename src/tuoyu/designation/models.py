"""Designation campaigns (评选活动), their provincial quotas, applications (申报) and history.

The programme: 全国爱心托育用人单位, named each year by the national union (全总) and the
national health commission (policy-facts §5). Numbers the sources do not fix (quotas,
publicity length, the own-staff share threshold) are campaign fields whose defaults come
from settings (see :mod:`tuoyu.designation.defaults`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.dates import is_overdue
from tuoyu.core.models import TimeStampedModel
from tuoyu.designation import defaults
from tuoyu.designation.choices import EnrolmentShareSource
from tuoyu.designation.workflow import ApplicationAction, ApplicationStatus

_DAYS = [MinValueValidator(1), MaxValueValidator(250)]


class Campaign(TimeStampedModel):
    """One yearly designation campaign (评选活动), configured by a national union officer.

    ``opens_on``/``closes_on``: application window, both days inclusive (local dates).
    ``*_working_days``: how long each chain step has, in working days from the day the
    application enters the step. ``subsidy_per_unit`` in ¥ per named unit (全总 ¥100,000
    in 2022, policy-facts §5); ``matching_ratio``: the provincial union's match per ¥1 of
    national subsidy (≥ 1, "不低于1:1"). ``min_own_staff_share_pct``: own-staff children
    must be *more than* this percentage of enrolment (2024 criteria: 60 %). ``price_caps``:
    {division-code prefix: monthly fee cap in ¥ as a string}, the local 普惠 price or local
    average (longest prefix wins). ``eligible_ownership_types``: ``OwnershipType`` values
    that may apply (2024 criteria: 机关, 企事业单位, 产业园区). ``required_materials``: the
    labels of materials every application must upload.
    """

    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2022), MaxValueValidator(2100)]
    )
    name = models.CharField(_("活动名称"), max_length=200)
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    grassroots_working_days = models.PositiveSmallIntegerField(
        _("基层推荐时限（工作日）"), default=defaults.step_days_grassroots, validators=_DAYS)
    city_working_days = models.PositiveSmallIntegerField(
        _("市级推荐时限（工作日）"), default=defaults.step_days_city, validators=_DAYS)
    provincial_working_days = models.PositiveSmallIntegerField(
        _("省级推荐时限（工作日）"), default=defaults.step_days_provincial, validators=_DAYS)
    national_working_days = models.PositiveSmallIntegerField(
        _("全国审核时限（工作日）"), default=defaults.step_days_national, validators=_DAYS)
    number_to_name = models.PositiveIntegerField(
        _("拟命名数量"), validators=[MinValueValidator(1), MaxValueValidator(10000)])
    subsidy_per_unit = models.DecimalField(
        _("每家补助（元）"), max_digits=12, decimal_places=2, default=Decimal("100000.00"),
        validators=[MinValueValidator(Decimal("0"))])
    matching_ratio = models.DecimalField(
        _("省级配套比例"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))])
    publicity_working_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=defaults.publicity_working_days, validators=_DAYS)
    min_own_staff_share_pct = models.DecimalField(
        _("职工子女占比下限（%）"), max_digits=5, decimal_places=2,
        default=defaults.min_own_staff_share_pct,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    eligible_ownership_types = models.JSONField(
        _("可申报单位性质"), default=defaults.eligible_ownership_types, blank=True)
    price_caps = models.JSONField(_("收费上限（元/月，按区划代码前缀）"), default=dict, blank=True)
    required_materials = models.JSONField(_("必备申报材料"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+")

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("评选活动")
        verbose_name_plural = _("评选活动")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="designation_campaign_uniq"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="designation_campaign_window_order"),
            models.CheckConstraint(condition=Q(matching_ratio__gte=1),
                                   name="designation_campaign_match_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def step_working_days(self, step: str) -> int:
        """Working days the chain ``step`` (a ``ChainStep`` value) has to decide."""
        return getattr(self, f"{step}_working_days")

    def is_open_on(self, day) -> bool:
        """True when ``day`` (local date) lies in the application window (inclusive)."""
        return self.opens_on <= day <= self.closes_on

    @property
    def provincial_match_per_unit(self) -> Decimal:
        """Least provincial match per named unit, ¥ (subsidy × matching ratio, to the fen)."""
        from tuoyu.core.money import to_money

        return to_money(self.subsidy_per_unit * self.matching_ratio)


class CampaignQuota(models.Model):
    """How many applications a province may recommend (省级推荐名额) in one campaign.

    ``province_code``: the first 2 digits of the GB/T 2260 code. A province without a row
    has no cap (ADR 0065).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    province_code = models.CharField(_("省级区划代码"), max_length=2)
    max_recommended = models.PositiveIntegerField(_("推荐名额"), validators=[MaxValueValidator(10000)])

    class Meta:
        ordering = ["campaign_id", "province_code"]
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "province_code"],
                                    name="designation_quota_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.province_code}: {self.max_recommended}"


class Application(TimeStampedModel):
    """An employer's application (申报) to one campaign; one per employer per campaign.

    Built from the employer's own data: ``facility`` (run alone or jointly), the own-staff
    share of enrolment (from enrolment records, else ``declared_*`` counts of children),
    fees from the facility's services. ``no_safety_incident`` is the employer's declaration
    (无安全事故). ``stage_deadline`` is the date (inclusive) by which the current chain step
    must decide, counted in working days from ``stage_entered_on``. ``version`` grows with
    every change; a stale ``expected_version`` is a conflict (GEN-003).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    employer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="designation_applications",
        verbose_name=_("申报单位"))
    facility = models.ForeignKey(
        "facilities.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("托育机构"))
    status = models.CharField(_("状态"), max_length=30, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    self_assessment = models.TextField(_("自评说明"), blank=True, max_length=10000)
    survey_evidence = models.TextField(_("职工需求调查情况"), blank=True, max_length=5000)
    declared_enrolled = models.PositiveIntegerField(
        _("在托婴幼儿数（填报）"), null=True, blank=True, validators=[MaxValueValidator(100000)])
    declared_own_staff_children = models.PositiveIntegerField(
        _("其中职工子女数（填报）"), null=True, blank=True, validators=[MaxValueValidator(100000)])
    no_safety_incident = models.BooleanField(_("承诺未发生安全事故和不良事件"), default=False)
    health_opinion = models.TextField(_("省级卫生健康委意见"), blank=True, max_length=5000)
    health_opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    health_opinion_at = models.DateTimeField(null=True, blank=True)
    stage_entered_on = models.DateField(_("进入当前环节日期"), null=True, blank=True)
    stage_deadline = models.DateField(_("当前环节时限"), null=True, blank=True)
    stage_deadline_provisional = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["campaign_id", "id"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "employer"],
                                    name="designation_one_application_per_employer"),
            models.CheckConstraint(
                condition=Q(declared_own_staff_children__isnull=True)
                | Q(declared_enrolled__isnull=True)
                | Q(declared_own_staff_children__lte=models.F("declared_enrolled")),
                name="designation_declared_share_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.employer}"

    @property
    def province_code(self) -> str:
        """First 2 digits of the employer's division code."""
        return self.employer.division.code[:2]

    @property
    def is_overdue(self) -> bool:
        """True when the current step's deadline has passed (after 23:59:59 local time)."""
        return self.stage_deadline is not None and is_overdue(self.stage_deadline)


class ApplicationEvent(models.Model):
    """One step of an application's history (申报流程记录), append-only.

    ``step`` is the chain step that acted (blank for the employer); ``deadline`` the new
    step's deadline (inclusive), counted in working days.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30, choices=ApplicationAction.choices)
    from_status = models.CharField(max_length=30, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=30, choices=ApplicationStatus.choices)
    step = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("理由/说明"), blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(default=False)

    class Meta:
        ordering = ["application_id", "at", "id"]
        verbose_name = _("申报流程记录")
        verbose_name_plural = _("申报流程记录")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


def material_upload_to(instance, filename: str) -> str:
    """A random stored name keeping only the (already checked) extension."""
    suffix = PurePath(filename).suffix.lower()
    return f"designation/{uuid.uuid4().hex}{suffix}"


class ApplicationMaterial(models.Model):
    """An uploaded application material (申报材料): PDF, JPEG or PNG, checked by content.

    Stored under MEDIA_ROOT with a random name; served only as a download through a
    permission-checked page. ``size`` in bytes.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    label = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "label", "id"]
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")

    def __str__(self) -> str:
        return self.label


__all__ = [
    "Application", "ApplicationEvent", "ApplicationMaterial", "Campaign", "CampaignQuota",
    "EnrolmentShareSource",
]
