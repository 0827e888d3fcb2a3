"""The one JSON error shape of the API (错误响应).

Every error response body is::

    {"code": "FIL-001", "message": "...", "field": "name" | null, "details": {...}}

``code`` is a stable code of :mod:`tuoyu.core.errors`' catalogue: the domain's own code for
a :class:`~tuoyu.core.errors.DomainError`, an ``API-0xx`` code for what the HTTP layer
detects (see :mod:`tuoyu.api.errors`). ``message`` is in the request's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from tuoyu.api import errors as api_errors
from tuoyu.core.errors import (
    GEN_CONFLICT,
    GEN_FORBIDDEN,
    GEN_NOT_FOUND,
    GEN_TRANSITION,
    DomainError,
)

#: HTTP status of a DomainError by code; every other domain code is a 400.
DOMAIN_STATUS: dict[str, int] = {
    GEN_NOT_FOUND: status.HTTP_404_NOT_FOUND,
    GEN_FORBIDDEN: status.HTTP_403_FORBIDDEN,
    GEN_CONFLICT: status.HTTP_409_CONFLICT,
    GEN_TRANSITION: status.HTTP_409_CONFLICT,
}


def error_body(code: str, *, params=None, field=None, details=None) -> dict[str, Any]:
    """The one error shape for ``code`` (message filled from ``params``)."""
    return DomainError(code, params=params or {}, field=field, details=details).as_dict()


def _flatten(detail) -> dict[str, list[str]]:
    """DRF validation detail → ``{field: [messages]}`` (nested fields joined by dots)."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            for sub, msgs in _flatten(value).items():
                name = f"{key}.{sub}" if sub else str(key)
                out.setdefault(name, []).extend(msgs)
        return out
    if isinstance(detail, list):
        if all(not isinstance(d, (dict, list)) for d in detail):
            return {"": [str(d) for d in detail]}
        out = {}
        for i, value in enumerate(detail):
            for sub, msgs in _flatten(value).items():
                name = f"{i}.{sub}" if sub else str(i)
                out.setdefault(name, []).extend(msgs)
        return out
    return {"": [str(detail)]}


def _validation_body(detail) -> dict[str, Any]:
    errors = _flatten(detail)
    errors = {("non_field_errors" if k == "" else k): v for k, v in errors.items()}
    field = next((k for k in errors if k != "non_field_errors"), None)
    first = next(iter(errors.items()), ("", [""]))
    text = f"{first[0]}: {'; '.join(first[1])}" if first[0] else "; ".join(first[1])
    return error_body(api_errors.API_INVALID, params={"detail": text}, field=field,
                      details={"errors": errors})


def _api_exception(exc: exceptions.APIException) -> tuple[dict[str, Any], int]:
    detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else ""
    if isinstance(exc, exceptions.ValidationError):
        return _validation_body(exc.detail), 400
    if isinstance(exc, exceptions.NotAuthenticated):
        return error_body(api_errors.API_NOT_AUTHENTICATED), 401
    if isinstance(exc, exceptions.AuthenticationFailed):
        return error_body(api_errors.API_TOKEN_INVALID), 401
    if isinstance(exc, exceptions.PermissionDenied):
        if detail.startswith("CSRF Failed"):
            return error_body(api_errors.API_CSRF, params={"detail": detail}), 403
        return error_body(api_errors.API_FORBIDDEN), 403
    if isinstance(exc, exceptions.NotFound):
        return error_body(api_errors.API_NOT_FOUND), 404
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = detail.split('"')[1] if '"' in detail else ""
        return error_body(api_errors.API_METHOD, params={"method": method}), 405
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return error_body(api_errors.API_THROTTLED, params={"wait": wait},
                          details={"wait_seconds": wait}), 429
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return error_body(api_errors.API_UNSUPPORTED, params={"detail": detail}), 415
    if isinstance(exc, exceptions.NotAcceptable):
        return error_body(api_errors.API_NOT_ACCEPTABLE), 406
    if isinstance(exc, exceptions.ParseError):
        return error_body(api_errors.API_PARSE, params={"detail": detail}), 400
    return error_body(api_errors.API_ERROR, params={"detail": detail}), exc.status_code


def api_exception_handler(exc, context):
    """DRF ``EXCEPTION_HANDLER``: turn any known error into the one shape.

    DomainError → its own code (status from :data:`DOMAIN_STATUS`, else 400); Django's
    Http404/PermissionDenied/ValidationError and DRF's exceptions → ``API-0xx``. Anything
    else is left to Django (a 500 that is logged).
    """
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        body, code = exc.as_dict(), DOMAIN_STATUS.get(exc.code, 400)
    elif isinstance(exc, Http404):
        body, code = error_body(api_errors.API_NOT_FOUND), 404
    elif isinstance(exc, DjangoPermissionDenied):
        body, code = error_body(api_errors.API_FORBIDDEN), 403
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "message_dict") else exc.messages
        body, code = _validation_body(detail), 400
    elif isinstance(exc, exceptions.APIException):
        body, code = _api_exception(exc)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
    else:
        return None
    return Response(body, status=code, headers=headers or None)


@csrf_exempt
def not_found_view(request, *args, **kwargs):
    """JSON 404 (API-004) for any path under ``/api/v1/`` that matches no route."""
    return JsonResponse(error_body(api_errors.API_NOT_FOUND), status=404)
