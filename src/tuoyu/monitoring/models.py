"""Models of the monitoring app: the alert (预警)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.models import TimeStampedModel
from tuoyu.monitoring.choices import AlertStatus


class Alert(TimeStampedModel):
    """One alert (预警) raised by an alert rule about one facility.

    ``rule_code`` names the rule (``MON-001`` …, see :mod:`tuoyu.monitoring.rules`);
    ``subject_key`` says what within the facility it is about (``staff:12``,
    ``order:7``, ``STD-RATIO-INFANT:class:3``, ``year:2025``; ``''`` for the facility as a
    whole). ``details`` holds the figures behind the message (JSON). ``raised_on`` is the
    local date of the run that first found the condition, ``last_seen_on`` the last run
    that still found it, ``resolved_on`` the run that found it gone. At most one
    unresolved (open or acknowledged) alert exists per rule, facility and subject, so a
    second run of the job never duplicates one (database constraint).
    """

    rule_code = models.CharField(_("预警规则"), max_length=20, db_index=True)
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="alerts",
        verbose_name=_("托育机构"),
    )
    subject_key = models.CharField(_("预警对象"), max_length=100, blank=True, default="")
    details = models.JSONField(_("预警数据"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    raised_on = models.DateField(_("发现日期"))
    last_seen_on = models.DateField(_("最近发现日期"))
    resolved_on = models.DateField(_("解除日期"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("处理说明"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("确认人"),
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "facility", "subject_key"],
                condition=~Q(status=AlertStatus.RESOLVED),
                name="monitoring_alert_one_unresolved",
            ),
            models.CheckConstraint(
                condition=Q(status=AlertStatus.RESOLVED, resolved_on__isnull=False)
                | (~Q(status=AlertStatus.RESOLVED) & Q(resolved_on__isnull=True)),
                name="monitoring_alert_resolved_on",
            ),
        ]
        indexes = [models.Index(fields=["status", "rule_code"])]

    def __str__(self) -> str:
        return f"{self.rule_code} #{self.pk}"
