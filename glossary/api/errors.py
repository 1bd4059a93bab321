"""One JSON shape for every API error: {"error": ..., "field": ..., "code": ...}."""

import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import GlossaryError, TextTooLarge


def _first_error(detail, prefix: str = "") -> tuple[str | None, str]:
    """The first (field, message) of a DRF error detail, however nested."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else None
            field, message = _first_error(value, prefix)
            dotted = ".".join(part for part in (prefix, name, field) if part)
            return dotted or None, message
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], prefix)
    return None, str(detail)


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = TextTooLarge("The request body is too large; send a smaller one.")
    if isinstance(exc, GlossaryError):
        body = {"error": str(exc), "field": exc.field, "code": exc.code}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Nothing was found at this address.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(exc.detail)
        if field:
            message = f"{field}: {message}"
        code = "invalid"
    elif isinstance(exc, exceptions.Throttled):
        # DRF's header rounds the wait down: 0 for a wait under a second.
        wait = math.ceil(exc.wait or 1)
        response["Retry-After"] = str(wait)
        field, code = None, "throttled"
        message = f"Too many requests; retry in {wait} second{'s' * (wait != 1)}."
    else:
        field, message = getattr(exc, "field", None), str(exc.detail)
        code = getattr(exc.detail, "code", None) or exc.default_code
    response.data = {"error": message, "field": field, "code": code}
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data["code"] = "not_found"
    return response
