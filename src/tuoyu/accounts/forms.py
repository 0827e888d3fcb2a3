"""Forms of the accounts app."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from tuoyu.accounts import login_guard
from tuoyu.accounts.errors import ACC_LOGIN_LOCKED
from tuoyu.core.errors import message_for


class GuardedAuthenticationForm(AuthenticationForm):
    """Django's sign-in form plus the per-username-and-IP failure limit of :mod:`login_guard`.

    A locked pair gets error ACC-019 without the password being checked at all.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if self.request is not None and login_guard.is_locked(self.request, username):
            raise forms.ValidationError(
                message_for(ACC_LOGIN_LOCKED, {"minutes": login_guard.lock_minutes()}),
                code="locked",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.request is not None:
                login_guard.record_failure(self.request, username)
            raise
        if self.request is not None:
            login_guard.clear_failures(self.request, username)
        return cleaned
