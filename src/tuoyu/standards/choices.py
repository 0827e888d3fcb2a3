"""Choices of the standards app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """What a failed rule does: block (阻止提交) or warn (提示)."""

    BLOCK = "block", _("阻止")
    WARN = "warn", _("提示")


class Certainty(models.TextChoices):
    """How sure the number is: seen in the source [V], secondary [S], or unverified (configurable)."""

    VERIFIED = "V", _("已核实")
    SECONDARY = "S", _("二手来源")
    UNVERIFIED = "U", _("未核实（可配置）")
