"""Forms of expert scoring, selection, publicity and naming pages (parse input only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.designation.publicity import OBJECTION_MAX_LENGTH


class ScoreForm(forms.Form):
    """An expert's points on every criterion of a campaign's sheet (one field per criterion)."""

    def __init__(self, *args, criteria=(), initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_points = initial_points or {}
        for c in criteria:
            self.fields[c.code] = forms.DecimalField(
                label=f"{c.code} {c.label}（{_('满分')} {c.max_points}，{_('权重')} {c.weight}）",
                min_value=0, max_value=c.max_points, decimal_places=2, max_digits=6,
                initial=initial_points.get(c.code))


class AssignForm(forms.Form):
    """Assign one expert by hand (the choices are filled by the view)."""

    expert = forms.TypedChoiceField(label=_("专家"), coerce=int)


class ObjectionForm(forms.Form):
    """An objection to a listed unit (提出异议); name and contact optional (anonymous)."""

    entry = forms.TypedChoiceField(label=_("异议对象"), coerce=int)
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=OBJECTION_MAX_LENGTH)
    name = forms.CharField(label=_("姓名（可不填，匿名提出）"), required=False, max_length=50)
    contact = forms.CharField(label=_("联系方式（可不填）"), required=False, max_length=100)


class ResolveForm(forms.Form):
    """Resolve an objection: upheld or dismissed, with a reason."""

    decision = forms.ChoiceField(label=_("处理结果"), choices=[
        ("dismissed", _("异议不成立")), ("upheld", _("异议成立（移出名单）"))])
    reason = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)
