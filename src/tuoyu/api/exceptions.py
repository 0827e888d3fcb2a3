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
from tuoyu.api.negotiation import FormatNotAvailable
from tuoyu.api.pagination import InvalidPageNumber
from tuoyu.core.errors import (
    GEN_CONFLICT,
    GEN_FORBIDDEN,
    GEN_INVALID,
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


def _join(prefix: str, key) -> str:
    """Path of ``key`` under ``prefix``: ``classes[2].capacity``; a nested serializer's
    ``non_field_errors`` belong to the nested object itself. (DRF reports the items of a
    nested list either as a list or as a dict keyed by the integer index.)"""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if key == "non_field_errors" and prefix:
        return prefix
    return f"{prefix}.{key}" if prefix else str(key)


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF validation detail → ``{path: [messages]}``.

    A path names the input the way the body spells it: object keys joined by dots, list
    items by their index in brackets (``services[1].monthly_fee``); ``""`` is the whole
    input.
    """
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            for path, msgs in _flatten(value, _join(prefix, key)).items():
                out.setdefault(path, []).extend(msgs)
        return out
    if isinstance(detail, list):
        if all(not isinstance(d, (dict, list)) for d in detail):
            return {prefix: [str(d) for d in detail]} if detail else {}
        for i, value in enumerate(detail):
            for path, msgs in _flatten(value, f"{prefix}[{i}]").items():
                out.setdefault(path, []).extend(msgs)
        return out
    return {prefix: [str(detail)]}


def _validation_body(detail) -> dict[str, Any]:
    """API-005 for a validation detail: ``field`` is the first bad path, ``details.errors``
    every path's messages (``non_field_errors`` for the input as a whole)."""
    errors = _flatten(detail)
    errors = {("non_field_errors" if k in ("", "__all__") else k): v for k, v in errors.items()}
    field = next((k for k in errors if k != "non_field_errors"), None)
    first = next(iter(errors.items()), ("", [""]))
    text = f"{first[0]}: {'; '.join(first[1])}" if first[0] != "non_field_errors" else (
        "; ".join(first[1]))
    return error_body(api_errors.API_INVALID, params={"detail": text}, field=field,
                      details={"errors": errors})


def _domain_invalid_body(exc: DomainError) -> dict[str, Any]:
    """A service's GEN-004 (invalid input) as API-005: same message, ``field`` and
    ``details.errors`` keyed by the input's path, other details kept."""
    details = dict(exc.details or {})
    errors = details.get("errors")
    if not isinstance(errors, dict) or not errors:
        errors = {exc.field or "non_field_errors": [str(exc.params.get("detail", ""))]}
    details["errors"] = {("non_field_errors" if k in ("", "__all__", None) else k): v
                         for k, v in errors.items()}
    return error_body(api_errors.API_INVALID, params=exc.params, field=exc.field,
                      details=details)


def _allowed_methods(context) -> list[str]:
    view = (context or {}).get("view")
    return sorted(getattr(view, "allowed_methods", None) or [])


def _api_exception(exc: exceptions.APIException, context=None) -> tuple[dict[str, Any], int]:
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
        # The method comes from the request: DRF's detail text is translated (its quotes
        # differ by language), so parsing it lost the method name.
        request = (context or {}).get("request")
        method = getattr(request, "method", "") or ""
        allowed = _allowed_methods(context)
        return error_body(api_errors.API_METHOD,
                          params={"method": method, "allowed": ", ".join(allowed)},
                          details={"method": method, "allowed": allowed}), 405
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return error_body(api_errors.API_THROTTLED, params={"wait": wait},
                          details={"wait_seconds": wait}), 429
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return error_body(api_errors.API_UNSUPPORTED, params={"detail": detail}), 415
    if isinstance(exc, FormatNotAvailable):
        return error_body(api_errors.API_NOT_ACCEPTABLE,
                          params={"available": ", ".join(exc.available)}, field="format",
                          details={"format": exc.requested, "available": exc.available}), 406
    if isinstance(exc, exceptions.NotAcceptable):
        available = sorted({r.media_type for r in exc.available_renderers or []})
        return error_body(api_errors.API_NOT_ACCEPTABLE,
                          params={"available": ", ".join(available)},
                          details={"available": available}), 406
    if isinstance(exc, InvalidPageNumber):
        return error_body(api_errors.API_PAGE_INVALID, params={"param": exc.param},
                          field=exc.param, details={exc.param: exc.value}), 400
    if isinstance(exc, exceptions.ParseError):
        return error_body(api_errors.API_PARSE, params={"detail": detail}), 400
    return error_body(api_errors.API_ERROR, params={"detail": detail}), exc.status_code


def api_exception_handler(exc, context):
    """DRF ``EXCEPTION_HANDLER``: turn any known error into the one shape.

    DomainError → its own code (status from :data:`DOMAIN_STATUS`, else 400), except the
    services' generic GEN-004 (invalid input), which is API-005 like every other validation
    error; Django's Http404/PermissionDenied/ValidationError and DRF's exceptions →
    ``API-0xx``. Anything else is left to Django (a 500 that is logged).
    """
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError) and exc.code == GEN_INVALID:
        body, code = _domain_invalid_body(exc), 400
    elif isinstance(exc, DomainError):
        body, code = exc.as_dict(), DOMAIN_STATUS.get(exc.code, 400)
    elif isinstance(exc, Http404):
        body, code = error_body(api_errors.API_NOT_FOUND), 404
    elif isinstance(exc, DjangoPermissionDenied):
        body, code = error_body(api_errors.API_FORBIDDEN), 403
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "message_dict") else exc.messages
        body, code = _validation_body(detail), 400
    elif isinstance(exc, exceptions.APIException):
        body, code = _api_exception(exc, context)
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
