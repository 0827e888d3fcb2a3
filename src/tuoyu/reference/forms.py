"""Forms of the reference app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DivisionLookupForm(forms.Form):
    """The public division-code lookup: one 6-digit code (full-width digits accepted)."""

    code = forms.CharField(
        label=_("行政区划代码"), max_length=20, strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("6位数字，例如 110108。"),
    )
