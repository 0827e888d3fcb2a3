"""Static files served by the application itself (``/static/``), see docs/adr/0005.

Tuoyu must work on government intranets with no CDN and, in the embedded default, with
nothing in front of gunicorn. So the app serves its own CSS and images: from
``STATIC_ROOT`` (filled by ``collectstatic``, which ``tuoyu serve`` runs) and, for a file
not collected there, from the apps' ``static/`` folders through the staticfiles finders.
A deployment with a web server in front sets ``TUOYU_SERVE_STATIC=0`` and lets the web
server serve ``STATIC_ROOT`` instead.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.staticfiles.views import serve as finder_serve
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve as file_serve

#: Browser cache lifetime of a static file, in seconds (file names are not hashed).
MAX_AGE = 3600


def static_serve(request: HttpRequest, path: str) -> HttpResponse:
    """Return the static file ``path`` (relative to ``/static/``) or raise Http404.

    Looks in ``STATIC_ROOT`` first, then in the apps' static folders. Paths are joined
    safely (a ``..`` component is a 404). Adds ``Cache-Control: public, max-age=3600``.
    """
    if ".." in PurePosixPath(path).parts or path.startswith("/"):
        raise Http404(path)
    root = Path(settings.STATIC_ROOT)
    if (root / path).is_file():
        response = file_serve(request, path, document_root=str(root))
    else:
        response = finder_serve(request, path, insecure=True)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
