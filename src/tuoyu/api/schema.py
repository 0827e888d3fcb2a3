"""OpenAPI schema pieces of the API: the token scheme and the documented error responses.

:class:`ApiAutoSchema` adds the one error shape (:class:`ErrorSerializer`) to every
operation for the statuses it can answer with: 400, 401 (when authentication is
required), 403, 404, 405, 409, 415 and 429.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """The one error shape: stable ``code``, ``message`` in the request's language, the
    input ``field`` at fault (or null) and structured ``details``."""

    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    details = serializers.DictField()


#: Error statuses documented on every operation.
ERROR_STATUSES = ("400", "403", "404", "405", "406", "409", "415", "429")


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses of :data:`ERROR_STATUSES`."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        statuses = list(ERROR_STATUSES)
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            statuses.append("401")
        for code in statuses:
            responses.setdefault(
                code, self._get_response_for_code(ErrorSerializer, code, direction=direction)
            )
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` in the schema (security scheme ``tokenAuth``)."""

    target_class = "tuoyu.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        """An API key in the Authorization header, prefixed ``Token ``."""
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key> (per-user API token; see docs/api.md)",
        }
