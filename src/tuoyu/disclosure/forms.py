"""The portal's search form (GET): every filter is a query-string parameter."""

from __future__ import annotations

from functools import partial

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tuoyu.disclosure import selectors, tilemap
from tuoyu.disclosure.cache import ProcessMemo
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
        """Return the ``<select>`` element with ``value`` selected (escaped).

        The options without a selection are rendered once per list of choices and language
        and kept in the process (:func:`_options_html`): the lists are reference data
        (ADR 0041); the selected option is then marked in the kept text.
        """
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        current = "" if value is None else str(value)
        options, values = _options_html(tuple((str(v), str(label)) for v, label in self.choices))
        if current in values:
            marker = str(format_html("<option value=\"{}\">", current))
            options = options.replace(marker, marker[:-1] + " selected>")
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308


#: Rendered option lists by their (value, label) pairs, kept in the process; at most
#: :data:`OPTIONS_MEMO_SIZE` lists.
OPTIONS_MEMO_SIZE = 2000
_options_memo = ProcessMemo(size=OPTIONS_MEMO_SIZE)


def _options_html(choices: tuple[tuple[str, str], ...]) -> tuple[str, frozenset]:
    """``<option>`` elements (escaped, none selected) for ``choices`` of (value, label),
    and the set of values."""

    def compute():
        html = str(format_html_join("", "<option value=\"{}\">{}</option>", choices))
        return html, frozenset(v for v, _label in choices)

    return _options_memo.get(choices, compute)


#: Query-string spellings of yes and no for ``free_places`` (the checkbox sends ``on``); yes
#: is the selector's own list, so the form and the filter agree.
TRUE_VALUES = selectors.TRUE_VALUES
FALSE_VALUES = frozenset({"", "0", "false", "off", "no"})


class RawCheckbox(forms.CheckboxInput):
    """A checkbox whose submitted value reaches the field as typed.

    Django's checkbox turns any text into True, so ``free_places=abc`` would silently
    mean "yes"; :class:`StrictBooleanField` rejects it instead.
    """

    def value_from_datadict(self, data, files, name):
        """The submitted text (``None`` when absent)."""
        return data.get(name)


class StrictBooleanField(forms.BooleanField):
    """A yes/no filter: one of :data:`TRUE_VALUES` or :data:`FALSE_VALUES` (any case), else
    a validation error naming the field."""

    widget = RawCheckbox

    def to_python(self, value):
        """True, False, or ValidationError for any other text."""
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(_("请填写 true 或 false。"), code="invalid")


def _implied_places(data) -> None:
    """Fill in the province (and the city, where a prefecture has that prefix) implied by a
    county or city code given without them, so a county alone filters like the full path.

    ``data``: the mutable query data; codes are 6 digits (GB/T 2260: the first 2 name the
    province, the first 4 the prefecture). A code that is not 6 digits is left to the
    field's validation.
    """
    province = str(data.get("province") or "").strip()
    city = str(data.get("city") or "").strip()
    county = str(data.get("county") or "").strip()
    lowest = county if county.isdigit() and len(county) == 6 else ""
    if not lowest and city.isdigit() and len(city) == 6:
        lowest = city
    if not lowest or province:
        return
    implied = lowest[:2] + "0000"
    if implied not in dict(selectors.province_choices()):
        return  # no such province: the code's own field reports it
    data["province"] = implied
    if lowest == county and not city:
        prefecture = county[:4] + "00"
        if prefecture in dict(selectors.division_children(county[:4], "prefecture")):
            data["city"] = prefecture


class PortalSearchForm(forms.Form):
    """Keyword, province → city → county, provision model, service type, fee range, free places, sort.

    City and county choices are those under the submitted province and city (the page
    works without JavaScript: choose the province, search, then narrow down). A county or
    city given without its province implies it (ADR 0031); a city or county outside the
    given province (or a county outside the given city) is a validation error on that
    field. The API's public mirror validates its query with this form too, so the portal
    and the API accept and refuse the same filter values.
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
    free_places = StrictBooleanField(label=_("有空余托位"), required=False)
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
            _implied_places(self.data)
        data = self.data or {}
        everywhere = [("", _("全部"))]
        english = (get_language() or "").startswith("en")
        provinces = everywhere + [
            (code, tilemap.english_name(code, name) if english else name)
            for code, name in selectors.province_choices()
        ]
        province = selectors.division_prefix({"province": data.get("province")})
        cities = everywhere + selectors.division_children(province, "prefecture")
        city = selectors.division_prefix({"province": data.get("province"), "city": data.get("city")})
        counties = everywhere + (selectors.division_children(city, "county") if len(city) == 4 else (
            selectors.division_children(province, "county") if province else []
        ))
        # Given as callables, the lists are only walked when needed (validating a submitted
        # value, rendering a form whose HTML is not kept): a province's ~200 counties were
        # normalised on every request otherwise (ADR 0041).
        for name, choices in (("province", provinces), ("city", cities), ("county", counties)):
            self.fields[name].choices = partial(list, choices)

    def clean(self):
        """Report a city or county outside the chosen province or city as such (rather than
        as an unknown choice)."""
        cleaned = super().clean()
        province, city, county = (
            str(self.data.get(name) or "").strip() for name in ("province", "city", "county")
        )
        # Only well-formed codes are compared; anything else already failed its field.
        province = province[:2] if province.isdigit() and len(province) == 6 else ""
        city = city if city.isdigit() and len(city) == 6 else ""
        county = county if county.isdigit() and len(county) == 6 else ""
        conflicts = []
        if province and city and not city.startswith(province):
            conflicts.append(("city", _("所选城市不属于所选省份。")))
        if county and province and not county.startswith(province):
            conflicts.append(("county", _("所选县（区）不属于所选省份。")))
        elif county and city and not county.startswith(city[:4]):
            conflicts.append(("county", _("所选县（区）不属于所选城市。")))
        for name, message in conflicts:
            self._errors.pop(name, None)
            self.add_error(name, message)
        return cleaned

    def filters(self) -> dict:
        """The valid filters for :func:`tuoyu.disclosure.selectors.public_facilities`.

        Fields with errors are left out (and shown with their error on the page).
        """
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v is not None and v != "" and v is not False}
