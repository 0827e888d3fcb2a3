"""Forms of the alerts pages: the list filter and the acknowledgement."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.rules import RULES
from tuoyu.monitoring.services import NOTE_MAX_LENGTH


def _rule_choices():
    return [("", _("全部"))] + [(r.code, f"{r.code} {r.title}") for r in RULES]


class AlertFilterForm(forms.Form):
    """``?rule=MON-00x&status=open``: both optional; invalid values are ignored."""

    rule = forms.ChoiceField(label=_("预警规则"), required=False, choices=_rule_choices)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *AlertStatus.choices]
    )


class AcknowledgeForm(forms.Form):
    """The acknowledgement note (处理说明), required."""

    note = forms.CharField(
        label=_("处理说明"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明已采取或将采取的措施。"),
        error_messages={"required": _("确认预警必须填写处理说明。")},
    )
