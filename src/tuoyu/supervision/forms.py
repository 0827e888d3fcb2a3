"""Forms of the double-random inspection pages (parse input only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.supervision.choices import PlanStratum


class PlanForm(forms.Form):
    """A new inspection plan: title, year, scope, ratio or count, strata, inspectors per target."""

    title = forms.CharField(label=_("计划名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    scope_prefix = forms.RegexField(
        label=_("抽查范围（区划代码前缀）"), regex=r"^(\d{2}|\d{4}|\d{6})$",
        help_text=_("2位为省，4位为市，6位为县（区），须在本单位辖区内。"),
    )
    ratio = forms.DecimalField(
        label=_("抽查比例"), required=False, min_value=0, max_value=1, decimal_places=4,
        help_text=_("如 0.05 表示 5%，按比例计算后向上取整，至少 1 个；与抽查数量二选一，都不填按 5%。"),
    )
    count = forms.IntegerField(label=_("抽查数量"), required=False, min_value=1)
    strata = forms.MultipleChoiceField(
        label=_("分层"), required=False, choices=PlanStratum.choices, widget=forms.CheckboxSelectMultiple
    )
    per_target = forms.IntegerField(label=_("每个对象的检查人员数"), min_value=1, max_value=10, initial=2)

    def clean(self):
        """Refuse a ratio together with a count."""
        data = super().clean()
        if data.get("ratio") is not None and data.get("count") is not None:
            raise forms.ValidationError(_("请填写抽查比例或抽查数量（二选一）。"))
        return data


class DrawForm(forms.Form):
    """The seed published in advance, where it was published, and (for a re-draw) the reason."""

    seed = forms.CharField(
        label=_("随机种子"), max_length=200,
        help_text=_("事先公布、届时才能知道的数值，例如某一期福利彩票开奖号码加计划编号，照原样录入。"),
    )
    seed_source = forms.CharField(label=_("种子来源"), max_length=500, required=False)
    reason = forms.CharField(
        label=_("重新抽取理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅重新抽取时填写；首次抽取结果将保留备查。"),
    )
