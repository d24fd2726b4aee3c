"""API errors as problem details (RFC 9457): `application/problem+json`, whatever went wrong.

Every API error, from DRF's own exceptions to an outage, has the same shape: `type`, `title`,
`status`, `detail`, and for invalid input `errors` (the fields and their messages).
"""

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from vsend.config.text import clean_text

PROBLEM_TYPE = "application/problem+json"
MAX_JSON_DEPTH = 20


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def problem_body(status: int, detail: str = "", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body


def problem(status: int, detail: str = "", **extra: Any) -> HttpResponse:
    """A problem response made without DRF, the database or the session."""
    response = HttpResponse(
        json.dumps(problem_body(status, detail, **extra)), status=status, content_type=PROBLEM_TYPE
    )
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        response["Retry-After"] = "30"
    return response


def _detail(data: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(data, Mapping) and set(data) == {"detail"}:
        return str(data["detail"]), {}
    if isinstance(data, list):
        return "; ".join(str(d) for d in data), {}
    return "The request has invalid fields", {"errors": data}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, its answer reshaped as a problem; anything else goes on to a 500/503."""
    from rest_framework.views import exception_handler  # not at import: DRF's settings load us

    response = exception_handler(exc, context)
    if response is None:
        return None
    detail, extra = _detail(response.data)
    response.data = problem_body(response.status_code, detail, **extra)
    response.content_type = PROBLEM_TYPE
    return response


def _checked(value: Any, depth: int = 0) -> Any:
    """The parsed body with its text cleaned, refused if nested deeper than any real request."""
    if depth > MAX_JSON_DEPTH:
        raise exceptions.ParseError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_checked(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): _checked(v, depth + 1) for k, v in value.items()}
    return value


class CleanJSONParser(JSONParser):
    """JSON bodies with the same text rule as forms and a bound on nesting."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
            ) from None
        return _checked(data)


class ProblemResponsesMiddleware:
    """Every API error leaves as a problem document, whichever layer made it (a view's own
    409, a middleware's 503, a Django error page): the shape is decided here once."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api(request)
            or response.get("Content-Type", "").startswith(PROBLEM_TYPE)
        ):
            return response
        detail = ""
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                data = json.loads(response.content)
            except ValueError:
                data = None
            if isinstance(data, Mapping) and isinstance(data.get("detail"), str):
                detail = data["detail"]
        replacement = problem(response.status_code, detail)
        for header in ("WWW-Authenticate", "Retry-After", "Allow"):
            if header in response:
                replacement[header] = response[header]
        return replacement
