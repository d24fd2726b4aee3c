"""Responses that carry personal data must not be kept by browsers or shared caches."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

Handler = Callable[[HttpRequest], HttpResponse]


class NoStoreMiddleware:
    """`Cache-Control: no-store` and `Pragma: no-cache` on every response vsend's views make.

    Pages, exports, PDFs, charts and the API can all carry a child's data, and a shared school
    computer's browser cache outlives a sign-out. Static files never reach this middleware
    (WhiteNoise answers them first), so they keep their long-lived caching.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response.headers:
            del response.headers["Cache-Control"]
        add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        response.headers["Pragma"] = "no-cache"
        return response
