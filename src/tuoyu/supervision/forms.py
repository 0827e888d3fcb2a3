"""Forms of the double-random inspection pages (parse input only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.core.forms import MultipleFileField
from tuoyu.supervision.choices import PlanStratum
from tuoyu.supervision.parameters import MAX_DEADLINE_WORKING_DAYS
from tuoyu.supervision.workflow import ItemResult


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


# --- inspections and rectification ---------------------------------------------------------



#: What the file pickers offer; the server judges the type from the content anyway.
EVIDENCE_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,application/pdf"


class ChecklistForm(forms.Form):
    """The answers of an inspection's checklist: ``result_<pk>`` (radio) and ``notes_<pk>`` per item."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.title, required=False, choices=ItemResult.choices,
                widget=forms.RadioSelect, initial=item.result, show_hidden_initial=True,
            )
            self.fields[f"evidence_{item.pk}"] = forms.FileField(
                label=_("取证材料（照片或PDF）"), required=False,
                widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
            )
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=_("说明"), required=False, max_length=2000, initial=item.notes,
                widget=forms.Textarea(attrs={"rows": 2}), show_hidden_initial=True,
            )

    def rows(self):
        """``(item, result, notes, evidence bound fields)`` for each item, in order."""
        return [
            (i, self[f"result_{i.pk}"], self[f"notes_{i.pk}"], self[f"evidence_{i.pk}"]) for i in self.items
        ]

    def uploads(self) -> list:
        """``(item, uploaded file)`` for each item with a file in this submission."""
        return [(i, self.cleaned_data[f"evidence_{i.pk}"]) for i in self.items if self.cleaned_data.get(f"evidence_{i.pk}")]

    def answers(self) -> dict:
        """Item pk → (result, notes) for the items this submission changed.

        A field counts as changed against the value the page was rendered with (Django's
        hidden initial), so two inspectors editing at once do not blank each other's
        answers: an untouched field keeps the value stored now."""
        changed = set(self.changed_data)
        result = {}
        for i in self.items:
            r_name, n_name = f"result_{i.pk}", f"notes_{i.pk}"
            if r_name not in changed and n_name not in changed:
                continue
            result[i.pk] = (
                (self.cleaned_data.get(r_name) or "") if r_name in changed else i.result,
                (self.cleaned_data.get(n_name) or "") if n_name in changed else i.notes,
            )
        return result


class CloseInspectionForm(forms.Form):
    """Closing an inspection: the evidence asked for and the deadline (if findings)."""

    required_evidence = forms.CharField(
        label=_("须提交的整改材料"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("有不符合项时据此下达整改通知，例如整改前后照片、制度文件。"),
    )
    deadline_working_days = forms.IntegerField(
        label=_("整改期限（工作日）"), required=False, min_value=1, max_value=MAX_DEADLINE_WORKING_DAYS,
        help_text=_("不填按系统设置（默认20个工作日），遇法定节假日顺延、调休上班日计入。"),
    )


class InspectionsFromDrawForm(forms.Form):
    """Creating the inspections of a draw: the planned visit date."""

    visit_date = forms.DateField(label=_("计划检查日期"), widget=forms.DateInput(attrs={"type": "date"}))


class RespondForm(forms.Form):
    """The facility's response to a rectification order: text and evidence files."""

    text = forms.CharField(label=_("整改情况说明"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        accept=EVIDENCE_ACCEPT,
        label=_("整改材料附件（照片或PDF）"), required=False,
        help_text=_("可选择多个文件：JPEG、PNG、WebP、HEIC照片或PDF，每个不超过%(mb)sMB，最多%(count)s个。"),
    )

    def __init__(self, *args, max_mb: int = 10, max_files: int = 10, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["files"]
        field.help_text = field.help_text % {"mb": max_mb, "count": max_files}


class ReviewForm(forms.Form):
    """The inspector's decision on a response: verify, or reopen with a reason."""

    decision = forms.ChoiceField(
        label=_("核查结论"), widget=forms.RadioSelect,
        choices=[("verify", _("整改合格")), ("reopen", _("退回重新整改"))],
    )
    note = forms.CharField(
        label=_("核查意见"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必须填写理由。"),
    )


class AdHocInspectionForm(forms.Form):
    """An ad hoc inspection (专项检查): inspectors chosen from the eligible ones, date, reason."""

    inspectors = forms.ModelMultipleChoiceField(
        label=_("检查人员"), queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text=_("至少选择两名。"),
    )
    visit_date = forms.DateField(label=_("计划检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("检查事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, inspectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors
        self.fields["inspectors"].label_from_instance = lambda u: u.display_name or u.get_username()
