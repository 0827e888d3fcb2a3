"""Forms of survey planning: a cost-sharing scenario (测算方案) and the plan options.

Thin: fields, labels with units, and one call to ``CostInputs.from_dict`` to validate the
inputs the same way the service does.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.core.errors import DomainError
from tuoyu.surveys.planning.costs import CostInputs


def _money(label, help_text=""):
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=0, max_digits=14, decimal_places=2,
        initial=0,
    )


def _count(label, *, minimum=0, initial=0, help_text=""):
    return forms.IntegerField(
        label=label, min_value=minimum, max_value=1_000_000, initial=initial, help_text=help_text
    )


class ScenarioForm(forms.Form):
    """Name and cost-model inputs of one scenario (¥ per month unless the label says otherwise)."""

    name = forms.CharField(label=_("方案名称"), max_length=100)
    places = _count(_("托位数"), minimum=1, initial=1, help_text=_("默认取自托位规划"))
    carers = _count(_("保育人员数"))
    carer_salary = _money(_("保育人员月薪（元/人，含社保）"))
    other_staff = _count(_("其他人员数"), help_text=_("负责人、保健人员、保安人员、炊事人员等"))
    other_salary = _money(_("其他人员月薪（元/人，含社保）"))
    area_m2 = forms.DecimalField(
        label=_("建筑面积（平方米）"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    premises_provided = forms.BooleanField(label=_("单位免费提供场地（不计租金）"), required=False)
    rent_per_m2_month = _money(_("租金（元/平方米/月）"))
    meals_per_child_month = _money(_("伙食费（元/在托幼儿/月）"))
    utilities_month = _money(_("水电燃气等（元/月）"))
    fitout_cost = _money(_("装修及设备投入（元，一次性）"))
    depreciation_months = _count(_("折旧月数"), minimum=1, initial=60)
    other_month = _money(_("其他支出（元/月）"))
    employer_month = _money(_("单位出资（元/月）"))
    union_month = _money(_("工会经费（元/月）"))
    subsidy_per_child_month = _money(_("政府运营补贴（元/在托幼儿/月）"))
    subsidy_per_new_place = _money(_("新增托位一次性补贴（元/托位）"))
    parent_fee_month = _money(_("家长保育费（元/在托幼儿/月）"))
    price_cap_month = forms.DecimalField(
        label=_("当地普惠托育价格上限（元/月）"), required=False, min_value=0, max_digits=14,
        decimal_places=2, help_text=_("由当地确定；不填则不检查"),
    )

    def clean(self):
        """Validate the inputs with ``CostInputs``; keeps ``self.inputs`` (JSON dict)."""
        data = super().clean()
        if self.errors:
            return data
        raw = {k: (str(v) if v is not None and not isinstance(v, (bool, int)) else v)
               for k, v in data.items() if k != "name"}
        try:
            self.inputs = CostInputs.from_dict(raw).as_json()
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


class PlanOptionsForm(forms.Form):
    """Options of the plan page: projection date and extrapolation to all staff."""

    as_of = forms.DateField(
        label=_("测算基准日"), required=False, input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    extrapolate = forms.BooleanField(
        label=_("按调查职工人数放大（调查职工人数÷答卷数）"), required=False
    )

    def clean_as_of(self):
        """Reject dates outside 2000-01-01 … 2100-12-31 with a form error."""
        from tuoyu.surveys.dates import DATE_MAX, DATE_MIN, date_in_bounds

        value = self.cleaned_data.get("as_of")
        if value is not None and not date_in_bounds(value):
            raise forms.ValidationError(
                _("日期须在%(start)s至%(end)s之间。"),
                params={"start": DATE_MIN.isoformat(), "end": DATE_MAX.isoformat()},
            )
        return value

    def as_of_or(self, today: date) -> date:
        """The chosen date, or ``today`` when none (or an invalid one) was given."""
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return today
