"""The API token page (接口令牌) under “my account”: list, create (key shown once), revoke.

Works without JavaScript. A new key is shown in the response to the creating POST only
(never stored, never put in the session or a redirect URL).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tuoyu.api.forms import ApiTokenCreateForm
from tuoyu.api.models import ApiToken
from tuoyu.api.selectors import api_tokens_of
from tuoyu.api.services import api_token_create, api_token_revoke
from tuoyu.core.errors import DomainError


@never_cache
@login_required
def token_list(request):
    """GET: the user's tokens and the create form. POST: create a token and show its key once."""
    new_key = None
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_create(actor=request.user, user=request.user,
                                      name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            new_key = issued.key
            form = ApiTokenCreateForm()
    return render(request, "api/tokens.html", {
        "tokens": api_tokens_of(request.user), "form": form, "new_key": new_key,
    })


@login_required
@require_POST
def token_revoke(request, pk):
    """Revoke one of the user's own tokens (404 for anyone else's)."""
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌 %(prefix)s… 已撤销。") % {"prefix": token.prefix})
    return redirect("api_tokens:list")
