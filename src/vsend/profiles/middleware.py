from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from vsend.profiles.services import FrameworkUnavailable


class FrameworkUnavailableMiddleware:
    """A profile whose framework file is missing or changed is refused plainly, not shown
    against different words (and never as a server error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, FrameworkUnavailable):
            return None
        p = exception.profile
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(exception)}, status=503)
        return render(request, "profiles/framework_unavailable.html", {"profile": p}, status=503)
