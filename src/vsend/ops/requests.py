"""A request id for every request: taken from the proxy's X-Request-ID when it is a plain token,
made here otherwise, put on every log line written while the request runs (see ops/logs.py) and
returned in the response's X-Request-ID header, so a report from a user can be matched to logs."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vsend.ops.logs import current_request_id

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_from(request: HttpRequest) -> str:
    incoming = request.headers.get(HEADER, "")
    return incoming if SAFE_ID.match(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response
