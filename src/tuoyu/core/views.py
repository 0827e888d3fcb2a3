"""Platform-wide pages."""

from django.shortcuts import render

from tuoyu.facilities.selectors import public_summary


def home(request):
    """The landing page: filed facilities and places (public figures) and links to the work."""
    return render(request, "core/home.html", {"summary": public_summary()})
