"""Content-Security-Policy header (内容安全策略) for every response.

Django 5.2 has no built-in CSP, so this middleware sets one. The strict policy allows
scripts, styles and images from the site itself only — no inline script, no inline
style, no framing, forms posting only to the site. Paths starting with one of
``settings.TUOYU_CSP_RELAXED_PREFIXES`` (default: the Django admin, whose bundled pages
use inline scripts and styles) get the relaxed policy; the API docs page loads its
script from a file and keeps the strict one.
A response that already carries a policy keeps it.
"""

from __future__ import annotations

from django.conf import settings

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
RELAXED_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
DEFAULT_RELAXED_PREFIXES = ("/admin/",)


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` to each response (strict, or relaxed on listed paths)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            prefixes = tuple(getattr(settings, "TUOYU_CSP_RELAXED_PREFIXES", DEFAULT_RELAXED_PREFIXES))
            relaxed = request.path.startswith(prefixes) if prefixes else False
            response["Content-Security-Policy"] = RELAXED_POLICY if relaxed else STRICT_POLICY
        return response
