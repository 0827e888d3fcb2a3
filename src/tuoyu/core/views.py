"""Platform-wide pages."""

from django.shortcuts import render


def home(request):
    """The landing page: links to the public register and, when signed in, to the user's work."""
    return render(request, "core/home.html")
