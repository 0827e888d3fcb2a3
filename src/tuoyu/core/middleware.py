"""Request middleware of the core app: one log line per refused request (拒绝访问).

Django logs a :class:`~django.core.exceptions.PermissionDenied` raised by a view on the
``django.request`` logger *with its traceback* (``exc_info``), as if it were a fault. A
refusal is expected behaviour (a role or a jurisdiction that does not allow the action),
so :class:`RefusalLogMiddleware` answers it with the 403 page itself and logs one warning
line instead::

    Forbidden: /audit/ (user 42, code GEN-002)

Server errors (5xx) are left to Django, which keeps logging them with their traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import get_exception_response
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf
from django.utils.log import log_response

from tuoyu.core.errors import GEN_FORBIDDEN, DomainError

#: Shown in the log line when a 403 carries no error code (e.g. Django's CSRF page).
NO_CODE = "-"


def refusal_code(exc: BaseException | None) -> str:
    """The error code of a refusal ``exc``: the code of a :class:`DomainError` it was raised
    from (``raise PermissionDenied(...) from None`` still keeps it as ``__context__``), else
    GEN-002 (the general "not allowed") for a bare PermissionDenied, else ``"-"``."""
    seen: set[int] = set()
    current = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, DomainError):
            return current.code
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return GEN_FORBIDDEN if isinstance(exc, PermissionDenied) else NO_CODE


def _response_code(response: HttpResponse) -> str | None:
    """The ``code`` of an API error body (a DRF ``Response`` whose ``data`` is the one
    error shape), else None."""
    data = getattr(response, "data", None)
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, str) else None


def _user_id(request: HttpRequest) -> str:
    """The signed-in user's primary key as text, or ``"anonymous"``."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return str(user.pk)


class RefusalLogMiddleware:
    """Log every 403 as one warning line with path, user id and error code, no traceback.

    - A PermissionDenied raised by a view is turned into the 403 response here (the
      project's ``handler403``, Django's default page), so Django does not log it with
      ``exc_info``; its code comes from :func:`refusal_code`.
    - Any other 403 (the API's error body, the CSRF failure page) is logged on its way
      out, with the API body's ``code`` when it has one.

    The line goes to the ``django.request`` logger at WARNING; the response is marked as
    logged so Django's own "Forbidden: <path>" line is not written as well.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on; log a 403 response not logged yet."""
        response = self.get_response(request)
        # Checked here too so an already logged 403 (the CSRF page) does not load the user.
        if response.status_code == 403 and not getattr(response, "_has_been_logged", False):
            self._log(request, response, _response_code(response) or NO_CODE)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer a PermissionDenied with the 403 page and one log line; leave the rest."""
        if not isinstance(exception, PermissionDenied):
            return None
        response = get_exception_response(request, get_resolver(get_urlconf()), 403, exception)
        self._log(request, response, refusal_code(exception))
        return response

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, code: str) -> None:
        """Write the one line through Django's :func:`~django.utils.log.log_response` (WARNING
        for a 4xx on ``django.request``, arguments escaped, the response marked logged;
        nothing when it was logged already), without a traceback."""
        log_response("Forbidden: %s (user %s, code %s)", request.path, _user_id(request), code,
                     response=response, request=request)
