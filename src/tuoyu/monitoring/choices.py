"""Choices of the monitoring app (动态监管)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class AlertStatus(models.TextChoices):
    """Status of an alert (预警状态): open until an officer acknowledges it or the job
    finds its condition gone (resolved)."""

    OPEN = "open", pgettext_lazy("alert status", "待处理")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("alert status", "已确认")
    RESOLVED = "resolved", pgettext_lazy("alert status", "已解除")


#: Statuses of an alert whose condition still held at the last run (未解除).
UNRESOLVED = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
