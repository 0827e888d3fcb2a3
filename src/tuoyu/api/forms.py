"""Forms of the API token page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenCreateForm(forms.Form):
    """The name of a new API token (what it is for, e.g. “人事系统同步”)."""

    name = forms.CharField(label=_("令牌名称"), max_length=100)
