"""The portal's search form (GET): every filter is a query-string parameter."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tuoyu.disclosure import selectors, tilemap
from tuoyu.facilities.choices import ProvisionModel, ServiceType

SORT_CHOICES = [
    ("relevance", _("相关度")),
    ("name", _("名称")),
    ("fee", _("收费（从低到高）")),
]


class PlainSelect(forms.Select):
    """A ``<select>`` rendered in Python, without a template per option.

    Same HTML as Django's Select for flat choices; the county list of a province has
    a hundred and more options, which the template-based widget renders slowly.
    """

    def render(self, name, value, attrs=None, renderer=None):
        """Return the ``<select>`` element with ``value`` selected (escaped)."""
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        current = "" if value is None else str(value)
        options = format_html_join(
            "", "<option value=\"{}\"{}>{}</option>",
            ((str(v), " selected" if str(v) == current else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class PortalSearchForm(forms.Form):
    """Keyword, province → city → county, provision model, service type, fee range, free places, sort.

    City and county choices are those under the submitted province and city (the page
    works without JavaScript: choose the province, search, then narrow down).
    """

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    province = forms.ChoiceField(widget=PlainSelect, label=_("省份"), required=False)
    city = forms.ChoiceField(widget=PlainSelect, label=_("城市"), required=False)
    county = forms.ChoiceField(widget=PlainSelect, label=_("县（区）"), required=False)
    provision_model = forms.ChoiceField(
        widget=PlainSelect, label=_("举办模式"), required=False, choices=[("", _("全部"))] + list(ProvisionModel.choices)
    )
    service_type = forms.ChoiceField(
        widget=PlainSelect, label=_("服务形式"), required=False, choices=[("", _("全部"))] + list(ServiceType.choices)
    )
    fee_min = forms.DecimalField(label=_("最低月收费（元）"), required=False, min_value=0,
                                 max_digits=10, decimal_places=2)
    fee_max = forms.DecimalField(label=_("最高月收费（元）"), required=False, min_value=0,
                                 max_digits=10, decimal_places=2)
    free_places = forms.BooleanField(label=_("有空余托位"), required=False)
    sort = forms.ChoiceField(widget=PlainSelect, label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # A place may be given as a prefix (``province=11``, ``city=1101``) as well as a
            # full code; the choices are full codes.
            self.data = self.data.copy()
            for name, length in (("province", 2), ("city", 4)):
                value = str(self.data.get(name) or "").strip()
                if value.isdigit() and len(value) == length:
                    self.data[name] = value.ljust(6, "0")
        data = self.data or {}
        everywhere = [("", _("全部"))]
        english = (get_language() or "").startswith("en")
        self.fields["province"].choices = everywhere + [
            (code, tilemap.english_name(code, name) if english else name)
            for code, name in selectors.province_choices()
        ]
        province = selectors.division_prefix({"province": data.get("province")})
        self.fields["city"].choices = everywhere + selectors.division_children(province, "prefecture")
        city = selectors.division_prefix({"province": data.get("province"), "city": data.get("city")})
        counties = selectors.division_children(city, "county") if len(city) == 4 else (
            selectors.division_children(province, "county") if province else []
        )
        self.fields["county"].choices = everywhere + counties

    def filters(self) -> dict:
        """The valid filters for :func:`tuoyu.disclosure.selectors.public_facilities`.

        Fields with errors are left out (and shown with their error on the page).
        """
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v is not None and v != "" and v is not False}
