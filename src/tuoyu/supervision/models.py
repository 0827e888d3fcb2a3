"""Models of the double-random inspections (双随机、一公开): plans, frozen lists and draws.

An :class:`InspectionPlan` names the population (filed facilities whose county code starts
with ``scope_prefix``), how many to draw and how. Before drawing, the candidate and
inspector lists are frozen and published as a :class:`DrawList` with their SHA-256
content hashes (docs/draw-algorithm.md §3). A :class:`Draw` records the seed, the result
and the algorithm; a re-draw keeps the earlier draw on record (``superseded_at``,
``superseded_by``) and needs a reason. The database allows one draw in force per plan.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.models import TimeStampedModel
from tuoyu.supervision.choices import PlanStratum

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
