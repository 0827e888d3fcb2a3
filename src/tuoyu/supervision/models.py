"""Models of the double-random inspections (双随机、一公开): plans, frozen lists and draws.

An :class:`InspectionPlan` names the population (filed facilities whose county code starts
with ``scope_prefix``), how many to draw and how. Before drawing, the candidate and
inspector lists are frozen and published as a :class:`DrawList` with their SHA-256
content hashes (docs/draw-algorithm.md §3). A :class:`Draw` records the seed, the result
and the algorithm; a re-draw keeps the earlier draw on record (``superseded_at``,
``superseded_by``) and needs a reason. The database allows one draw in force per plan.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.models import TimeStampedModel
from tuoyu.facilities.choices import ClassType, ServiceType, StaffRole
from tuoyu.supervision.annual_report_workflow import AnnualReportAction, AnnualReportStatus
from tuoyu.supervision.choices import PlanStratum
from tuoyu.supervision.workflow import (
    InspectionStatus,
    ItemResult,
    LadderStep,
    RectificationAction,
    RectificationStatus,
)

_SCOPE_VALIDATOR = RegexValidator(r"^(\d{2}|\d{4}|\d{6})$", _("须为2、4或6位行政区划代码前缀。"))


class InspectionPlan(TimeStampedModel):
    """A double-random inspection plan (双随机抽查计划) of one health commission for one year.

    ``scope_prefix``: division-code prefix of the population (2 province, 4 prefecture,
    6 county digits); ``ratio`` (share, 0 < ratio ≤ 1, default 5 %, SAMR 2018) or ``count``
    (exactly one of them); ``strata``: list of :class:`PlanStratum` values; ``weights``: the
    risk-weight table (``{}`` = the configured table, ``TUOYU_DRAW_WEIGHTS``);
    ``per_target``: inspectors per target (default 2, 国办发〔2015〕58号 practice).
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="inspection_plans",
        verbose_name=_("制定单位"),
    )
    title = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    scope_prefix = models.CharField(_("抽查范围（区划代码前缀）"), max_length=6, validators=[_SCOPE_VALIDATOR])
    ratio = models.DecimalField(
        _("抽查比例"), max_digits=5, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    count = models.PositiveIntegerField(_("抽查数量"), null=True, blank=True)
    strata = models.JSONField(_("分层"), default=list, blank=True)
    weights = models.JSONField(_("风险权重表"), default=dict, blank=True)
    per_target = models.PositiveSmallIntegerField(
        _("每个对象的检查人员数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("双随机抽查计划")
        verbose_name_plural = _("双随机抽查计划")
        constraints = [
            models.CheckConstraint(
                condition=(Q(ratio__isnull=False) & Q(count__isnull=True))
                | (Q(ratio__isnull=True) & Q(count__isnull=False)),
                name="supervision_plan_ratio_xor_count",
            ),
            models.CheckConstraint(
                condition=Q(ratio__isnull=True) | (Q(ratio__gt=0) & Q(ratio__lte=1)),
                name="supervision_plan_ratio_range",
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1), name="supervision_plan_count_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def clean(self) -> None:
        """Exactly one of ratio and count; ratio in (0, 1]; known strata, no repeats."""
        if (self.ratio is None) == (self.count is None):
            raise ValidationError({"ratio": _("请填写抽查比例或抽查数量（二选一）。")})
        if self.ratio is not None and not 0 < self.ratio <= 1:
            raise ValidationError({"ratio": _("抽查比例须大于0且不超过1。")})
        strata = self.strata or []
        if not isinstance(strata, list) or len(set(strata)) != len(strata) or any(
            s not in PlanStratum.values for s in strata
        ):
            raise ValidationError({"strata": _("分层只能是县级行政区或举办模式，且不能重复。")})


class DrawList(TimeStampedModel):
    """The frozen, published candidate and inspector lists of a plan (冻结公布的名录).

    ``entities``/``inspectors``: the records exactly as the draw reads them (JSON lists of
    objects with the fields of docs/draw-algorithm.md §1); ``parameters``: the draw's
    parameters fixed with the lists (ratio or count, strata, per_target, weights);
    ``entities_sha256``/``inspectors_sha256``: SHA-256 of the canonical lists (§3),
    published at ``published_at``. Never changed after it is saved.
    """

    plan = models.OneToOneField(
        InspectionPlan, on_delete=models.PROTECT, related_name="draw_list", verbose_name=_("抽查计划")
    )
    entities = models.JSONField(_("检查对象名录"))
    inspectors = models.JSONField(_("检查人员名录"))
    parameters = models.JSONField(_("抽取参数"))
    entities_sha256 = models.CharField(_("检查对象名录哈希值"), max_length=64)
    inspectors_sha256 = models.CharField(_("检查人员名录哈希值"), max_length=64)
    published_at = models.DateTimeField(_("公布时间"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("冻结人")
    )

    class Meta:
        verbose_name = _("抽查名录")
        verbose_name_plural = _("抽查名录")

    def __str__(self) -> str:
        return f"{self.plan} ({self.entities_sha256[:12]})"


class Draw(TimeStampedModel):
    """One run of the double-random draw (抽取结果) of a plan.

    ``seed``: the value fixed and published in advance (e.g. a lottery number) as typed;
    ``seed_source``: where it was published; ``result``: the draw's JSON
    (docs/draw-algorithm.md §8); ``algorithm``: its version. A re-draw sets
    ``superseded_at``/``superseded_by`` on the earlier draw and carries ``redraw_reason``;
    the earlier draw stays. At most one draw per plan has no ``superseded_at`` (database
    constraint).
    """

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="draws", verbose_name=_("抽查计划")
    )
    seed = models.CharField(_("随机种子"), max_length=200)
    seed_source = models.TextField(_("种子来源"), blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )
    algorithm = models.CharField(_("算法版本"), max_length=40)
    result = models.JSONField(_("抽取结果"))
    redraw_reason = models.TextField(_("重新抽取理由"), blank=True)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes",
        verbose_name=_("被以下抽取取代"),
    )

    class Meta:
        ordering = ["plan_id", "drawn_at", "id"]
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(superseded_at__isnull=True),
                name="supervision_one_draw_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk}"

    @property
    def in_force(self) -> bool:
        """True unless a re-draw replaced this draw."""
        return self.superseded_at is None


# --- inspections, rectification orders (检查、整改) ------------------------------------------

class InspectionOrigin(models.TextChoices):
    """Why an inspection takes place (检查来源): drawn (双随机), arranged directly by the health
    commission (专项检查, for any reason of its own, a complaint received elsewhere included),
    or opened from a complaint taken in on the platform (投诉检查)."""

    DRAW = "draw", _("双随机抽取")
    AD_HOC = "ad_hoc", _("专项检查")
    COMPLAINT = "complaint", _("投诉检查")


class Inspection(TimeStampedModel):
    """One inspection visit (检查) of a facility by its assigned inspectors.

    ``draw`` is set for a double-random target (one inspection per facility and draw),
    blank for an ad hoc inspection (``reason`` then says why). ``organization``: the
    health commission responsible. ``visit_date``: the date the checklist was built for
    (rules in force that day). When closed: ``closed_on`` (local date), ``findings_count``
    (items not met), ``published_on`` (the date the result becomes public: ``closed_on`` +
    ``TUOYU_INSPECTION_PUBLICATION_DAYS`` working days) and ``publication_provisional``
    (the count ran through a year whose calendar is unknown).
    """

    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="inspections",
        verbose_name=_("托育机构"),
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="inspections",
        verbose_name=_("检查单位"),
    )
    origin = models.CharField(_("检查来源"), max_length=10, choices=InspectionOrigin.choices)
    draw = models.ForeignKey(
        Draw, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections",
        verbose_name=_("抽取结果"),
    )
    reason = models.TextField(_("检查事由"), blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspections_assigned", verbose_name=_("检查人员")
    )
    visit_date = models.DateField(_("检查日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("结束人"),
    )
    findings_count = models.PositiveIntegerField(_("发现问题数"), default=0)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    publication_provisional = models.BooleanField(_("公开日期为暂定"), default=False)

    class Meta:
        ordering = ["-visit_date", "-id"]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "facility"], condition=Q(draw__isnull=False),
                name="supervision_one_inspection_per_draw_target",
            ),
            models.CheckConstraint(
                condition=Q(status=InspectionStatus.OPEN) | Q(closed_on__isnull=False),
                name="supervision_closed_inspection_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.visit_date}"

    def clean(self) -> None:
        """A draw inspection names its draw; an ad hoc one gives a reason."""
        if self.origin == InspectionOrigin.DRAW and self.draw_id is None:
            raise ValidationError({"draw": _("双随机检查须关联抽取结果。")})
        if self.origin == InspectionOrigin.AD_HOC and not (self.reason or "").strip():
            raise ValidationError({"reason": _("请填写检查事由。")})


class ItemSource(models.TextChoices):
    """Where a checklist item comes from (检查项来源)."""

    RULE = "rule", _("规则表")
    SAFETY = "safety", _("质量评估标准安全项")


class InspectionItem(models.Model):
    """One checklist item (检查项) of an inspection, copied from the rule table or the
    WS/T 821 safety list when the inspection was created (so later rule changes do not
    alter a record). ``result`` blank = not answered; ``notes`` free text."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="items", verbose_name=_("检查")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    source = models.CharField(_("来源"), max_length=10, choices=ItemSource.choices)
    code = models.CharField(_("代码"), max_length=40)
    title_zh = models.CharField(_("检查项"), max_length=200)
    title_en = models.CharField(_("Item (English)"), max_length=200)
    reference = models.CharField(_("依据"), max_length=300, blank=True)
    certainty = models.CharField(_("可靠性"), max_length=1)
    result = models.CharField(_("检查结果"), max_length=20, choices=ItemResult.choices, blank=True)
    notes = models.TextField(_("说明"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("填写人"),
    )
    answered_at = models.DateTimeField(_("填写时间"), null=True, blank=True)

    class Meta:
        ordering = ["inspection_id", "position"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="supervision_item_code_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.result or '-'}"

    @property
    def title(self) -> str:
        """The title in the active language."""
        from django.utils.translation import get_language

        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


class RectificationOrder(TimeStampedModel):
    """A rectification order (整改通知) for the findings of one closed inspection.

    ``items``: the checklist items not met; ``deadline`` (inclusive, local) is
    ``deadline_working_days`` working days after ``deadline_from`` (the issue or the
    latest reopening date);
    ``required_evidence``: what the facility must send. The facility's ``response_text``
    and the inspector's ``verification_note`` keep the latest round; every round is in
    the status history. ``ladder_step``: the highest compliance-ladder step taken.
    ``version`` increments on every change.
    """

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="rectification", verbose_name=_("检查")
    )
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="rectification_orders",
        verbose_name=_("托育机构"),
    )
    items = models.ManyToManyField(InspectionItem, related_name="rectification_orders", verbose_name=_("整改事项"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.ISSUED
    )
    issued_on = models.DateField(_("下达日期"))
    deadline_from = models.DateField(_("期限起算日"))
    deadline_working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改期限"))
    deadline_provisional = models.BooleanField(_("期限为暂定"), default=False)
    required_evidence = models.TextField(_("须提交的整改材料"), blank=True)
    response_text = models.TextField(_("整改情况说明"), blank=True)
    responded_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verification_note = models.TextField(_("核查意见"), blank=True)
    ladder_step = models.CharField(_("逾期处理阶段"), max_length=12, choices=LadderStep.choices, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")

    def __str__(self) -> str:
        return f"{self.facility_id} {self.issued_on} ({self.status})"


class RectificationEvent(models.Model):
    """One entry of an order's status history (整改记录); appended, never edited.

    ``action``: issue, respond, verify, reopen or escalate; ``deadline`` the deadline set
    by this entry (issue, reopen); ``note`` the text given (response, reason).
    """

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("整改通知")
    )
    action = models.CharField(_("操作"), max_length=12, choices=RectificationAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    note = models.TextField(_("说明"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["order_id", "created_at", "id"]
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} {self.to_status}"


class RectificationEscalation(models.Model):
    """One compliance-ladder step (逾期处理) taken on an overdue order; at most one per step
    and order (database constraint). ``deadline_missed``: the deadline that had passed;
    ``taken_on``: the local date; ``reason``: why (written in zh-Hans, the record's
    language); ``filing_action_taken``: whether the facility's filing was changed (see
    ADR 0075: it never is automatically; the health commission's suspension or revocation
    that refers to the step sets it, with ``filing_action_by`` and ``filing_action_at``,
    ADR 0097)."""

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("整改通知")
    )
    step = models.CharField(_("处理阶段"), max_length=12, choices=LadderStep.choices)
    taken_on = models.DateField(_("日期"))
    deadline_missed = models.DateField(_("已逾期的期限"))
    reason = models.TextField(_("理由"))
    filing_action_taken = models.BooleanField(_("已变更备案状态"), default=False)
    filing_action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("备案处理决定人"),
    )
    filing_action_at = models.DateTimeField(_("备案处理决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["order_id", "taken_on", "id"]
        verbose_name = _("逾期处理记录")
        verbose_name_plural = _("逾期处理记录")
        constraints = [
            models.UniqueConstraint(fields=["order", "step"], name="supervision_escalation_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.step} {self.taken_on}"


class EvidenceStorage(FileSystemStorage):
    """Files under ``$TUOYU_DATA_DIR/evidence``, read from the settings on each use (so a
    test or an installation can move the data directory); no public URL: evidence is
    served by a permission-checked view."""

    @property
    def base_location(self):
        return str(Path(settings.DATA_DIR) / "evidence")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def evidence_storage() -> EvidenceStorage:
    """The storage of evidence files (see :class:`EvidenceStorage`)."""
    return EvidenceStorage()


class InspectionEvidence(models.Model):
    """An evidence file (检查取证材料: photo or PDF) attached to a checklist item.

    ``file`` is stored under a random name (the ``original_name`` is kept for display);
    ``content_type`` comes from the file's first bytes, not from the browser; ``size`` in
    bytes. Added only while the inspection is open, by an assigned inspector.
    """

    item = models.ForeignKey(
        InspectionItem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("检查项")
    )
    file = models.FileField(_("文件"), storage=evidence_storage, upload_to="%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["item_id", "uploaded_at", "id"]
        verbose_name = _("取证材料")
        verbose_name_plural = _("取证材料")

    def __str__(self) -> str:
        return self.original_name


class RectificationEvidence(models.Model):
    """An evidence file (整改材料附件: photo or PDF) sent with a facility's response to a
    rectification order.

    ``event`` is the response (``respond`` entry of the order's history) the file came
    with, so every round keeps its own files. ``file`` is stored under a random name in
    the evidence storage (``original_name`` is kept for display); ``content_type`` comes
    from the file's first bytes; ``size`` in bytes. Shown and served only to those who may
    see the order, never on the portal (ADR 0092).
    """

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("整改通知")
    )
    event = models.ForeignKey(
        RectificationEvent, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("整改记录")
    )
    file = models.FileField(_("文件"), storage=evidence_storage, upload_to="rectification/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["order_id", "event_id", "id"]
        verbose_name = _("整改材料附件")
        verbose_name_plural = _("整改材料附件")

    def __str__(self) -> str:
        return self.original_name


# --- annual reports (年报) ----------------------------------------------------------------

_MONEY_VALIDATORS = [MinValueValidator(Decimal("0"))]


class AnnualReport(TimeStampedModel):
    """The annual report (年报) of one filed facility for one calendar ``year``.

    管理规范 Art. 38 asks for a report to the health department at each year's end; the
    deadline is ``TUOYU_ANNUAL_REPORT_DEADLINE`` of the following year (default 31 March,
    UNVERIFIED, ADR 0086), fixed on the report when it is created. One report per
    facility and year (database constraint).

    Figures for the year: enrolment by class type and month
    (:class:`AnnualReportEnrolment`), staff by role (:class:`AnnualReportStaff`), fees by
    service form (:class:`AnnualReportFee`); ``incidents_count`` and
    ``incidents_summary`` (entered); ``income`` and ``spending`` in ¥ (entered, Decimal,
    fen); ``complaints_count`` (complaints received, prefilled from the complaints
    register). A blank (None) figure is missing; submission needs every required figure.

    ``first_submitted_on``: the local date of the first submission; ``late`` is True when
    it is after ``deadline`` (a return and resubmission does not change either).
    ``officer_note``: the reason of the latest return or the note of acceptance.
    """

    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="annual_reports",
        verbose_name=_("托育机构"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT
    )
    deadline = models.DateField(_("报送截止日期"))
    incidents_count = models.PositiveIntegerField(_("安全事故（件）"), null=True, blank=True)
    incidents_summary = models.TextField(_("事故简要情况"), max_length=4000, blank=True)
    income = models.DecimalField(
        _("收入（元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=_MONEY_VALIDATORS
    )
    spending = models.DecimalField(
        _("支出（元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=_MONEY_VALIDATORS
    )
    complaints_count = models.PositiveIntegerField(_("收到投诉（件）"), null=True, blank=True)
    prefilled_at = models.DateTimeField(_("预填时间"), null=True, blank=True)
    first_submitted_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    officer_note = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("创建人"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-year", "facility_id"]
        verbose_name = _("年报")
        verbose_name_plural = _("年报")
        constraints = [
            models.UniqueConstraint(fields=["facility", "year"], name="supervision_annual_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.year} ({self.status})"


class AnnualReportEnrolment(models.Model):
    """Children enrolled in one class type on the last day of one month (月末在托人数)."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="enrolment", verbose_name=_("年报")
    )
    class_type = models.CharField(_("班型"), max_length=10, choices=ClassType.choices)
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    children = models.PositiveIntegerField(_("在托人数"), null=True, blank=True)

    class Meta:
        ordering = ["report_id", "class_type", "month"]
        verbose_name = _("年报在托人数")
        verbose_name_plural = _("年报在托人数")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "class_type", "month"], name="supervision_annual_enrolment_cell_once"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="supervision_annual_enrolment_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.class_type} {self.month}: {self.children}"


class AnnualReportStaff(models.Model):
    """Staff of one role in post at the year's end (年末在岗工作人员): how many, how many
    trained (岗位培训合格) and how many with a health certificate valid on 31 December."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="staff", verbose_name=_("年报")
    )
    role = models.CharField(_("岗位"), max_length=20, choices=StaffRole.choices)
    count = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    trained = models.PositiveIntegerField(_("培训合格人数"), null=True, blank=True)
    health_certificate_valid = models.PositiveIntegerField(_("健康证有效人数"), null=True, blank=True)

    class Meta:
        ordering = ["report_id", "role"]
        verbose_name = _("年报工作人员")
        verbose_name_plural = _("年报工作人员")
        constraints = [
            models.UniqueConstraint(fields=["report", "role"], name="supervision_annual_staff_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.role}: {self.count}"


class AnnualReportFee(models.Model):
    """The monthly fee of one service form in ¥ per child (收费标准), prefilled, editable."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="fees", verbose_name=_("年报")
    )
    service_type = models.CharField(_("服务形式"), max_length=12, choices=ServiceType.choices)
    monthly_fee = models.DecimalField(
        _("月收费（元）"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=_MONEY_VALIDATORS,
    )

    class Meta:
        ordering = ["report_id", "service_type"]
        verbose_name = _("年报收费标准")
        verbose_name_plural = _("年报收费标准")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "service_type"], name="supervision_annual_fee_service_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.service_type}: {self.monthly_fee}"


class AnnualReportEvent(models.Model):
    """One entry of an annual report's status history (年报记录); appended, never edited."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("年报")
    )
    action = models.CharField(_("操作"), max_length=12, choices=AnnualReportAction.choices)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["report_id", "created_at", "id"]
        verbose_name = _("年报记录")
        verbose_name_plural = _("年报记录")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action} {self.to_status}"


class AnnualReportReminder(models.Model):
    """A reminder (催报提醒) that facility ``facility`` has not yet submitted its report for
    ``year``, recorded on ``sent_on`` (local date) for its own organisations' users
    (``recipients``: how many); at most one per facility, year and day."""

    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.CASCADE, related_name="annual_report_reminders",
        verbose_name=_("托育机构"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sent_on = models.DateField(_("提醒日期"))
    deadline = models.DateField(_("报送截止日期"))
    recipients = models.PositiveIntegerField(_("提醒人数"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "facility_id"]
        verbose_name = _("年报催报提醒")
        verbose_name_plural = _("年报催报提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year", "sent_on"], name="supervision_annual_reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.year} {self.sent_on}"
