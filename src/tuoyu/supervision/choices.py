"""Choices of the supervision app (监管)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStratum(models.TextChoices):
    """A column an inspection plan may stratify its draw by (分层抽取)."""

    COUNTY = "county", _("县级行政区")
    PROVISION_MODEL = "provision_model", _("举办模式")
