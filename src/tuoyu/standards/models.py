"""The rule table (规则表) as versioned data.

A :class:`Rule` row is one version of a rule: a stable ``code`` (e.g. ``STD-CAP-INFANT``),
its parameters (JSON), source document and article, effective dates (``effective_to``
exclusive, None = open), severity, and certainty. A :class:`RuleOverride` replaces the
parameters and/or severity for one province over a period. Rule code semantics (what the
parameters mean and how a facility is checked) live in ``standards/checks.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.standards.choices import Certainty, Severity
from tuoyu.standards.parameters import validate_parameters


class Rule(models.Model):
    """One version of a rule (规则), effective over [``effective_from``, ``effective_to``)."""

    code = models.CharField(_("规则代码"), max_length=40, db_index=True)
    category = models.CharField(_("类别"), max_length=30)
    title_zh = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("Name (English)"), max_length=200)
    description_zh = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    parameters = models.JSONField(_("参数"), default=dict)
    source_document = models.CharField(_("依据文件"), max_length=200)
    source_article = models.CharField(_("条款"), max_length=60, blank=True)
    certainty = models.CharField(_("可靠性"), max_length=1, choices=Certainty.choices)
    configurable = models.BooleanField(_("可配置"), default=False)
    severity = models.CharField(_("处理"), max_length=5, choices=Severity.choices)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="rule_version_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.effective_from})"

    def clean(self) -> None:
        """The period must not be empty; parameters must fit the rule's declared schema.

        Schema: :data:`tuoyu.standards.parameters.SCHEMAS` (required keys, types, ranges).
        """
        _check_period(self.effective_from, self.effective_to)
        validate_parameters(self.code, self.parameters)


class RuleOverride(models.Model):
    """A provincial override (地方规定) of a rule's parameters or severity over a period."""

    rule_code = models.CharField(_("规则代码"), max_length=40, db_index=True)
    province_code = models.CharField(_("省级行政区划代码"), max_length=6)
    parameters = models.JSONField(_("参数（覆盖）"), default=dict, blank=True)
    severity = models.CharField(
        _("处理（覆盖）"), max_length=5, choices=Severity.choices, blank=True
    )
    source_document = models.CharField(_("依据文件"), max_length=200)
    source_article = models.CharField(_("条款"), max_length=60, blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["rule_code", "province_code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "province_code", "effective_from"], name="rule_override_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} @ {self.province_code} ({self.effective_from})"

    def clean(self) -> None:
        """A province code ends in 0000; the period must not be empty; the parameters set
        must fit the rule's schema (none is required: an override sets only some keys)."""
        _check_period(self.effective_from, self.effective_to)
        code = self.province_code or ""
        if not (len(code) == 6 and code.isdigit() and code.endswith("0000")):
            raise ValidationError({"province_code": _("省级行政区划代码应为6位且以0000结尾。")})
        validate_parameters(self.rule_code, self.parameters, partial=True)


def _check_period(start, end) -> None:
    if start and end and end <= start:
        raise ValidationError({"effective_to": _("失效日期应晚于生效日期。")})
