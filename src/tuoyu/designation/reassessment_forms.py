"""Forms of the yearly report (年度报告) and the withdrawal (撤销命名): parse input only;
:mod:`tuoyu.designation.reassessment` checks the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.designation.reassessment import WITHDRAW_REASON_MAX


class ReportForm(forms.Form):
    """A named unit's yearly report; figures start from the registry (prefill)."""

    still_operating = forms.BooleanField(label=_("托育机构仍在运营"), required=False)
    enrolled = forms.IntegerField(label=_("在托婴幼儿数"), min_value=0, max_value=100000,
                                  help_text=_("已按登记的在托婴幼儿记录预填。"))
    own_staff_children = forms.IntegerField(label=_("其中职工子女数"), min_value=0, max_value=100000)
    highest_monthly_fee = forms.DecimalField(label=_("最高月收费（元）"), required=False, min_value=0,
                                             max_digits=10, decimal_places=2)
    safety_incident = forms.BooleanField(label=_("本年度发生安全事故或不良事件"), required=False)
    safety_incident_description = forms.CharField(
        label=_("事故或事件说明"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("发生安全事故或不良事件时必填；不要写入儿童或家长的个人信息。"))
    narrative = forms.CharField(label=_("年度工作简述"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 5}))


class WithdrawForm(forms.Form):
    """Withdraw a designation: the reason is published."""

    reason = forms.CharField(
        label=_("撤销理由（公开）"), max_length=WITHDRAW_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将在名单和证书页面公开，请使用公开措辞，不要写入个人信息。"))
