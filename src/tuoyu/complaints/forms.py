"""Forms of the complaint channel (thin: parsing only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.choices import OrganizationKind
from tuoyu.accounts.models import Organization
from tuoyu.complaints.choices import Category, Office, RejectReason, Target
from tuoyu.complaints.validators import normalize_tracking_code
from tuoyu.core.errors import DomainError
from tuoyu.core.forms import MultipleFileField
from tuoyu.core.text import normalize_search
from tuoyu.disclosure.selectors import public_facilities, public_facility_get

SEARCH_LIMIT = 20


def target_choices(query: str) -> list[tuple[str, str]]:
    """Radio choices ``("f:<id>", name — address)`` for public facilities and ``("e:<id>", name)``
    for active employers matching ``query`` (at most :data:`SEARCH_LIMIT` each)."""
    key = normalize_search(query)
    if len(key) < 2:
        return []
    facilities = public_facilities({"q": query, "sort": "relevance"})[:SEARCH_LIMIT]
    choices = [(f"f:{f.pk}", f"{f.name} — {f.address}") for f in facilities]
    employers = Organization.objects.filter(
        kind=OrganizationKind.EMPLOYER, is_active=True, name_search__contains=key
    ).order_by("name", "id")[:SEARCH_LIMIT]
    choices += [(f"e:{o.pk}", str(_("用人单位：{name}")).format(name=o.name)) for o in employers]
    return choices


def resolve_target(value: str):
    """``(target, facility, employer)`` for a choice value ``f:<id>``/``e:<id>``, or None."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == "f":
        try:
            return Target.FACILITY, public_facility_get(pk), None
        except DomainError:
            return None
    if kind == "e":
        employer = Organization.objects.filter(pk=int(pk), kind=OrganizationKind.EMPLOYER, is_active=True).first()
        return (Target.EMPLOYER, None, employer) if employer else None
    return None


class ComplaintForm(forms.Form):
    """The public complaint form (投诉表单)."""

    q = forms.CharField(label=_("搜索托育机构或用人单位"), required=False, max_length=100, widget=forms.HiddenInput)
    target = forms.ChoiceField(label=_("被投诉的托育机构或用人单位"), widget=forms.RadioSelect, choices=())
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    description = forms.CharField(
        label=_("发生了什么"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明经过、涉及的班级或人员（不必写儿童姓名）。链接不会显示为可点击。"),
    )
    occurred_on = forms.DateField(
        label=_("发生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    files = MultipleFileField(
        accept="image/jpeg,image/png,application/pdf",
        label=_("证据材料（可选）"), required=False,
        help_text=_("JPEG、PNG照片或PDF文件；照片中的位置等信息会被删除。"),
    )
    contact = forms.CharField(
        label=_("联系方式（可选）"), required=False, max_length=100,
        help_text=_("手机号或电子邮箱，仅承办部门可见，用于核实情况。"),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意：所填信息仅用于办理本投诉，联系方式不公开。"), required=True
    )
    #: Honeypot (蜜罐字段): hidden from people, filled in by bots.
    website = forms.CharField(label=_("请勿填写此项"), required=False, max_length=200)

    def __init__(self, *args, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = target_choices(query)
        posted = self.data.get("target") if self.is_bound else self.initial.get("target")
        if posted and posted not in dict(choices):
            resolved = resolve_target(posted)
            if resolved:
                _t, facility, employer = resolved
                choices.insert(0, (posted, facility.name if facility else employer.name))
        self.fields["target"].choices = choices
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_target(self):
        resolved = resolve_target(self.cleaned_data["target"])
        if resolved is None:
            raise forms.ValidationError(_("请选择托育机构或用人单位。"))
        return resolved


class TrackForm(forms.Form):
    """Look a complaint up by its tracking code (查询码)."""

    code = forms.CharField(label=_("查询码"), max_length=20)

    def clean_code(self) -> str:
        return normalize_tracking_code(self.cleaned_data["code"])


class FeedbackForm(forms.Form):
    """The complainant's answer after closing: solved? and satisfaction 1–5."""

    solved = forms.TypedChoiceField(
        label=_("问题是否已解决？"), choices=[("1", _("已解决")), ("0", _("未解决"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度（1为很不满意，5为很满意）"), choices=[(str(i), str(i)) for i in range(1, 6)],
        coerce=int, widget=forms.RadioSelect,
    )


class ReopenForm(forms.Form):
    """The complainant asks once for the complaint to be handled again."""

    reason = forms.CharField(label=_("重新办理的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    """An officer's or moderator's workflow action on a complaint."""

    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("理由或备注"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("答复（对投诉人公开）"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    reject_reason = forms.ChoiceField(label=_("不予受理理由"), required=False,
                                      choices=[("", "—"), *RejectReason.choices])
    substantiated = forms.TypedChoiceField(
        label=_("投诉是否属实（答复或办结时填写）"), required=False, empty_value=None,
        choices=[("", _("暂不认定")), ("yes", _("属实")), ("no", _("不属实"))],
        coerce=lambda v: v == "yes",
    )


class ComplaintInspectionForm(forms.Form):
    """Open an ad hoc inspection (转为检查) from a complaint: inspectors, date, note."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    inspectors = forms.ModelMultipleChoiceField(
        label=_("检查人员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("从可选派的检查人员中选择。"),
    )
    visit_date = forms.DateField(label=_("计划检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("检查事由补充（不含投诉人信息）"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, inspectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors
        self.fields["inspectors"].label_from_instance = lambda u: u.display_name or u.get_username()


class ReassignForm(forms.Form):
    """Reassign (转办) to another office and/or county, with a reason."""

    office = forms.ChoiceField(label=_("承办部门"), choices=Office.choices)
    division_code = forms.CharField(label=_("区县代码"), max_length=6)
    reason = forms.CharField(label=_("转办理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
