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
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.dates import is_overdue
from tuoyu.core.models import TimeStampedModel
from tuoyu.core.money import to_money
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
    labels of materials every application must upload. ``selection_rules``: extra rules of
    representative selection, the mapping of a rules file (docs/designation-select.md);
    the campaign's quotas are added as per-province caps.
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
    selection_rules = models.JSONField(_("遴选规则"), default=dict, blank=True)
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
        """Least provincial match per named unit, ¥ (subsidy × matching ratio, half-up to the
        fen; policy-facts §5 "省级工会按不低于1:1配套")."""
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
    score = models.DecimalField(
        _("专家评审得分"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
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


# --------------------------------------------------------------------------- expert scoring


class ScoringCriterion(models.Model):
    """One criterion of a campaign's expert scoring sheet (评审指标).

    ``weight``: share of the weighted total in points out of 100 (a campaign's weights sum
    to 100); ``max_points``: the most an expert may give on this criterion. An expert's
    weighted total is Σ points / max_points × weight (0–100). The shipped defaults are an
    assumption of this platform (ADR 0067), not published criteria.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("指标代码"), max_length=20)
    label = models.CharField(_("指标"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("权重"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_points = models.PositiveSmallIntegerField(
        _("满分"), validators=[MinValueValidator(1), MaxValueValidator(1000)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign_id", "position", "id"]
        verbose_name = _("评审指标")
        verbose_name_plural = _("评审指标")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="designation_criterion_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label} ({self.weight})"


class AssignmentMethod(models.TextChoices):
    """How an expert came to score an application (分配方式)."""

    AUTO = "auto", _("自动分配")
    MANUAL = "manual", _("人工指定")


class ExpertAssignment(models.Model):
    """An expert assigned to score one application (评审分配). One row per expert and application.

    ``expert`` holds the role ``expert`` (capability ``score_assignment``) in an expert pool;
    never from the applicant's organisation or province (conflict of interest, ADR 0067).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="designation_assignments", verbose_name=_("专家"))
    method = models.CharField(_("分配方式"), max_length=10, choices=AssignmentMethod.choices)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "expert_id"]
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"],
                                    name="designation_assignment_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.expert_id}"


class ExpertScore(models.Model):
    """An expert's points on one criterion of one assigned application (专家评分), 0–max_points."""

    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment_id", "criterion__position", "criterion_id"]
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="designation_score_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


# --------------------------------------------------------------------------- selection


class ProposalState(models.TextChoices):
    """State of a proposed list (拟命名名单)."""

    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    PUBLISHED = "published", _("公示中")
    NAMED = "named", _("已命名")
    SUPERSEDED = "superseded", _("已作废")


class Proposal(models.Model):
    """The result of one selection run over a campaign's scored applications (遴选结果).

    ``chosen``: application ids (as text) chosen, score descending; ``explanation``: the
    JSON of :meth:`SelectionResult.as_dict` (binding constraints, plain top-K, coverage,
    score given up, relaxations). ``size``: K. A later run supersedes an unconfirmed one.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="proposals")
    state = models.CharField(_("状态"), max_length=12, choices=ProposalState.choices,
                             default=ProposalState.PROPOSED)
    size = models.PositiveIntegerField(_("入选数量"))
    feasible = models.BooleanField(default=True)
    chosen = models.JSONField(default=list, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    rules = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign_id", "-id"]
        verbose_name = _("拟命名名单")
        verbose_name_plural = _("拟命名名单")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.state}"


# --------------------------------------------------------------------------- publicity


class Publicity(models.Model):
    """The publicity period (公示) of a campaign's confirmed list; one per campaign.

    ``starts_on`` the day of publication; ``ends_on`` that day plus the campaign's
    publicity working days, inclusive to 23:59:59 local time (``provisional`` when the
    count ran through a year whose calendar is unknown).
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="publicity")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="publicity")
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    ends_provisional = models.BooleanField(default=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="designation_publicity_order"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.starts_on}–{self.ends_on}"

    @property
    def has_ended(self) -> bool:
        """True after 23:59:59 local time of ``ends_on``."""
        return is_overdue(self.ends_on)


class PublicityEntry(models.Model):
    """One unit on a published list (公示名单). ``removed_at`` set when an objection is upheld."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="publicity_entry")
    position = models.PositiveIntegerField(default=0)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["publicity_id", "position", "id"]
        verbose_name = _("公示名单条目")
        verbose_name_plural = _("公示名单条目")

    def __str__(self) -> str:
        return f"{self.publicity_id} · {self.application_id}"


class ObjectionStatus(models.TextChoices):
    """State of an objection (异议处理状态)."""

    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) to a unit on a published list, named or anonymous.

    ``name``/``contact`` blank for an anonymous objection; ``text`` is stored as typed and
    escaped on output. Resolved by a national reviewer with a reason: upheld removes the
    unit from the list, dismissed keeps it.
    """

    entry = models.ForeignKey(PublicityEntry, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    text = models.TextField(_("异议内容"), max_length=5000)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.TextField(_("处理理由"), blank=True, max_length=2000)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["entry_id", "created_at", "id"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.status}"


# --------------------------------------------------------------------------- naming


class Designation(models.Model):
    """A named unit (全国爱心托育用人单位): employer, campaign, year, certificate number.

    ``certificate_number`` is unique across all campaigns (``AXTY-<year>-<nnnn>``).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="designations")
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="designation")
    employer = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                 related_name="designations", verbose_name=_("用人单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    certificate_number = models.CharField(_("证书编号"), max_length=30, unique=True)
    named_on = models.DateField(_("命名日期"))
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "certificate_number"]
        verbose_name = _("命名单位")
        verbose_name_plural = _("命名单位")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "employer"],
                                    name="designation_named_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.employer}"


class SubsidyAllocation(models.Model):
    """Subsidy allocated to a named unit (补助资金分配), in whole fen.

    ``national_fen``: the national union's subsidy (campaign amount); ``provincial_match_fen``:
    the least provincial union match (amount × matching ratio, half-up to the fen; policy
    facts §5 "省级工会按不低于1:1配套"). Read by the funding module.
    """

    designation = models.OneToOneField(Designation, on_delete=models.PROTECT,
                                       related_name="allocation")
    province_code = models.CharField(_("省级区划代码"), max_length=2)
    national_fen = models.BigIntegerField(_("全总补助（分）"))
    provincial_match_fen = models.BigIntegerField(_("省级配套下限（分）"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["designation_id"]
        verbose_name = _("补助资金分配")
        verbose_name_plural = _("补助资金分配")
        constraints = [
            models.CheckConstraint(condition=Q(national_fen__gte=0) & Q(provincial_match_fen__gte=0),
                                   name="designation_allocation_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.designation_id}: {self.national_fen}+{self.provincial_match_fen}"



# --------------------------------------------------------------------------- yearly re-assessment


class DesignationReport(models.Model):
    """A named unit's yearly report (年度报告) for calendar ``year``; one per designation and year.

    Filed by an employer administrator of the named employer. ``enrolled`` and
    ``own_staff_children``: children enrolled in the facility and those of the employer's
    own staff, prefilled from the registry's enrolment records
    (:func:`tuoyu.designation.eligibility.enrolment_share`, ``enrolment_source`` says where the
    prefill came from); ``filing_status``: the facility's filing status (备案状态) when the
    report was filed; ``highest_monthly_fee``: the highest full-/half-day monthly fee, ¥;
    ``safety_incident``: a safety accident or adverse event happened in the year
    (description required then). The rules of :mod:`tuoyu.designation.reassessment` read it.
    """

    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(2022), MaxValueValidator(2100)])
    facility = models.ForeignKey(
        "facilities.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("托育机构"))
    still_operating = models.BooleanField(_("托育机构仍在运营"), default=True)
    filing_status = models.CharField(_("备案状态"), max_length=20, blank=True)
    enrolled = models.PositiveIntegerField(
        _("在托婴幼儿数"), validators=[MaxValueValidator(100000)])
    own_staff_children = models.PositiveIntegerField(
        _("其中职工子女数"), validators=[MaxValueValidator(100000)])
    enrolment_source = models.CharField(
        _("人数来源"), max_length=10, choices=EnrolmentShareSource.choices,
        default=EnrolmentShareSource.NONE)
    highest_monthly_fee = models.DecimalField(
        _("最高月收费（元）"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))])
    safety_incident = models.BooleanField(_("本年度发生安全事故或不良事件"), default=False)
    safety_incident_description = models.TextField(_("事故或事件说明"), blank=True, max_length=5000)
    narrative = models.TextField(_("年度工作简述"), blank=True, max_length=5000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        ordering = ["designation_id", "-year"]
        verbose_name = _("命名单位年度报告")
        verbose_name_plural = _("命名单位年度报告")
        constraints = [
            models.UniqueConstraint(fields=["designation", "year"],
                                    name="designation_report_once_per_year"),
            models.CheckConstraint(condition=Q(own_staff_children__lte=models.F("enrolled")),
                                   name="designation_report_share_le_total"),
            models.CheckConstraint(
                condition=Q(safety_incident=False) | ~Q(safety_incident_description=""),
                name="designation_report_incident_described"),
        ]

    def __str__(self) -> str:
        return f"{self.designation_id} · {self.year}"

    def clean(self):
        """An incident needs a description; own-staff children cannot exceed enrolment."""
        errors = {}
        if self.safety_incident and not self.safety_incident_description.strip():
            errors["safety_incident_description"] = _("发生安全事故或不良事件时须填写说明。")
        if (self.enrolled is not None and self.own_staff_children is not None
                and self.own_staff_children > self.enrolled):
            errors["own_staff_children"] = _("职工子女数不能多于在托婴幼儿数。")
        if errors:
            raise ValidationError(errors)


class Reassessment(models.Model):
    """The outcome of the re-assessment rules (年度复核) for one designation and ``year``.

    ``findings``: list of :meth:`tuoyu.designation.eligibility.Finding.as_dict` (rule code
    ``DES-R0x``, severity ``block`` = no longer qualifies / ``pass``, message, source,
    detail); ``flagged``: at least one blocking finding. Re-running the rules replaces the
    row (the audit log keeps each run). ``report``: the yearly report read, if filed.
    """

    designation = models.ForeignKey(Designation, on_delete=models.CASCADE,
                                    related_name="reassessments")
    year = models.PositiveSmallIntegerField(_("复核年度"))
    report = models.ForeignKey(DesignationReport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    flagged = models.BooleanField(_("不再符合条件"), default=False, db_index=True)
    findings = models.JSONField(_("复核结果"), default=list, blank=True)
    as_of = models.DateField(_("复核日期"))
    run_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-flagged", "designation_id"]
        verbose_name = _("年度复核")
        verbose_name_plural = _("年度复核")
        constraints = [
            models.UniqueConstraint(fields=["designation", "year"],
                                    name="designation_reassessment_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.designation_id} · {self.year} · {self.flagged}"

    @property
    def flagged_codes(self) -> list[str]:
        """Codes of the blocking findings, in rule order."""
        return [f["rule_code"] for f in self.findings if f.get("severity") == "block"]


class DesignationWithdrawal(models.Model):
    """The withdrawal (撤销) of a designation: at most one per designation (one-to-one).

    A designation is *withdrawn* exactly when this row exists (workflow in
    :mod:`tuoyu.designation.reassessment_workflow`). ``reason`` is published on the yearly
    list and the certificate page (public wording, no personal data); ``rule_codes`` the
    re-assessment codes it rests on (may be empty); ``withdrawn_on`` the local date.
    """

    designation = models.OneToOneField(Designation, on_delete=models.PROTECT,
                                       related_name="withdrawal")
    reason = models.TextField(_("撤销理由（公开）"), max_length=500)
    rule_codes = models.JSONField(_("依据的复核规则"), default=list, blank=True)
    withdrawn_on = models.DateField(_("撤销日期"))
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-withdrawn_on", "id"]
        verbose_name = _("撤销命名")
        verbose_name_plural = _("撤销命名")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="designation_withdrawal_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.designation_id} · {self.withdrawn_on}"


__all__ = [
    "Application", "ApplicationEvent", "ApplicationMaterial", "AssignmentMethod", "Campaign",
    "CampaignQuota", "Designation", "DesignationReport", "DesignationWithdrawal",
    "EnrolmentShareSource", "ExpertAssignment", "ExpertScore",
    "Objection", "ObjectionStatus", "Proposal", "ProposalState", "Publicity", "PublicityEntry",
    "Reassessment", "ScoringCriterion", "SubsidyAllocation",
]
