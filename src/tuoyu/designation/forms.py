"""Forms of the designation pages: parse input only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.choices import OwnershipType
from tuoyu.designation import defaults
from tuoyu.facilities.models import Facility


class CampaignForm(forms.Form):
    """Create a campaign (设置评选活动). Lists are one entry per line."""

    year = forms.IntegerField(label=_("年度"), min_value=2022, max_value=2100)
    name = forms.CharField(label=_("活动名称"), max_length=200)
    opens_on = forms.DateField(label=_("申报开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("申报截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    number_to_name = forms.IntegerField(label=_("拟命名数量"), min_value=1, max_value=10000)
    grassroots_working_days = forms.IntegerField(label=_("基层推荐时限（工作日）"), min_value=1, max_value=250, initial=defaults.step_days_grassroots)
    city_working_days = forms.IntegerField(label=_("市级推荐时限（工作日）"), min_value=1, max_value=250, initial=defaults.step_days_city)
    provincial_working_days = forms.IntegerField(label=_("省级推荐时限（工作日）"), min_value=1, max_value=250, initial=defaults.step_days_provincial)
    national_working_days = forms.IntegerField(label=_("全国审核时限（工作日）"), min_value=1, max_value=250, initial=defaults.step_days_national)
    subsidy_per_unit = forms.DecimalField(label=_("每家补助（元）"), min_value=0, max_digits=12, decimal_places=2, initial="100000")
    matching_ratio = forms.DecimalField(label=_("省级配套比例（不低于1）"), min_value=1, max_digits=5, decimal_places=2, initial="1")
    publicity_working_days = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=250, initial=defaults.publicity_working_days)
    min_own_staff_share_pct = forms.DecimalField(label=_("职工子女占比须高于（%）"), min_value=0, max_value=100, decimal_places=2, initial=defaults.min_own_staff_share_pct)
    eligible_ownership_types = forms.MultipleChoiceField(
        label=_("可申报单位性质"), choices=OwnershipType.choices, widget=forms.CheckboxSelectMultiple)
    price_caps = forms.CharField(
        label=_("收费上限"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项：区划代码前缀 空格 每月收费上限（元），如“11 2000”。"))
    required_materials = forms.CharField(
        label=_("必备申报材料"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项材料名称。"))

    def clean_price_caps(self) -> dict[str, str]:
        """``{prefix: amount}`` from lines ``prefix amount``."""
        caps: dict[str, str] = {}
        for line in self.cleaned_data["price_caps"].splitlines():
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2:
                raise forms.ValidationError(_("每行须为“区划代码前缀 金额”。"))
            caps[parts[0]] = parts[1]
        return caps

    def clean_required_materials(self) -> list[str]:
        """Non-empty lines."""
        return [x.strip() for x in self.cleaned_data["required_materials"].splitlines() if x.strip()]


class QuotaForm(forms.Form):
    """Set one province's recommendation quota (推荐名额)."""

    province_code = forms.CharField(label=_("省级区划代码（2位）"), max_length=6)
    max_recommended = forms.IntegerField(label=_("推荐名额"), min_value=0, max_value=10000)


class ApplicationForm(forms.Form):
    """The employer's own data of an application (申报信息)."""

    facility = forms.ModelChoiceField(label=_("托育机构"), queryset=Facility.objects.none(), required=False)
    declared_enrolled = forms.IntegerField(
        label=_("在托婴幼儿数（填报）"), min_value=0, max_value=100000, required=False,
        help_text=_("机构未登记在托婴幼儿时填写。"))
    declared_own_staff_children = forms.IntegerField(
        label=_("其中职工子女数（填报）"), min_value=0, max_value=100000, required=False)
    no_safety_incident = forms.BooleanField(label=_("承诺未发生安全事故和不良事件"), required=False)
    survey_evidence = forms.CharField(label=_("职工需求调查情况"), required=False, max_length=5000,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    self_assessment = forms.CharField(label=_("自评说明"), required=False, max_length=10000,
                                      widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, facilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities


class DecisionForm(forms.Form):
    """An officer's decision: recommend (推荐), return (退回修改) or reject (不予推荐)."""

    action = forms.ChoiceField(label=_("决定"), choices=[
        ("recommend", _("推荐")), ("return", _("退回修改")), ("reject", _("不予推荐"))])
    reason = forms.CharField(label=_("理由/意见"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    """The provincial health commission's opinion (省级卫生健康委意见)."""

    opinion = forms.CharField(label=_("意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class MaterialForm(forms.Form):
    """Upload one material (申报材料): PDF, JPEG or PNG."""

    label = forms.CharField(label=_("材料名称"), max_length=100)
    file = forms.FileField(label=_("文件（PDF、JPEG 或 PNG）"))
