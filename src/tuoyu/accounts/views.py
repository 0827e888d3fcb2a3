"""Pages of the accounts app: sign in, sign out, my account."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tuoyu.accounts.forms import GuardedAuthenticationForm
from tuoyu.accounts.selectors import account_summary


class LoginView(auth_views.LoginView):
    """Sign-in page (登录) with the brute-force guard; signed-in users are sent on."""

    template_name = "accounts/login.html"
    authentication_form = GuardedAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign-out (退出登录): POST only (a GET answers 405), then back to the home page."""


@login_required
def me(request):
    """My account (我的账户): the user's memberships, jurisdictions and capabilities."""
    return render(request, "accounts/me.html", {"summary": account_summary(request.user)})
