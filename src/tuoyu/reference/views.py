"""Pages of the reference app."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuoyu.core.errors import DomainError
from tuoyu.reference.forms import DivisionLookupForm
from tuoyu.reference.models import Division
from tuoyu.reference.selectors import division_resolve


@require_GET
def division_lookup(request):
    """Public page ``/reference/divisions/?code=``: is a division code in use, retired or unknown?

    Shows the row in use, or for a retired code the successor codes in use today, and the
    code's history (names and validity years). Anonymous access; GET only.
    """
    form = DivisionLookupForm(request.GET or None)
    resolution = error = None
    history: list[Division] = []
    if form.is_valid():
        try:
            resolution = division_resolve(form.cleaned_data["code"])
        except DomainError as exc:
            error = exc.message
        else:
            history = list(Division.objects.filter(code=resolution.code).order_by("-valid_from"))
            problem = resolution.error()
            if problem is not None:
                error = problem.message
    return render(
        request,
        "reference/division_lookup.html",
        {"form": form, "resolution": resolution, "error": error, "history": history},
    )
