"""Health checks and error pages. The 500 and 503 pages need neither the database nor the
session: they are rendered without the request's user, so they show during an outage."""

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vsend.config.problems import is_api, problem

logger = logging.getLogger(__name__)


@never_cache
@login_not_required
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. It reads nothing, so an outage elsewhere never restarts it."""
    return JsonResponse({"status": "ok"})


@never_cache
@login_not_required
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database (and the shared cache, when REDIS_URL is set) answer."""
    checks = {"database": "ok"}
    try:
        with connection.cursor() as cursor:  # scope-lint: allow the check reads no table
            cursor.execute("SELECT 1")  # scope-lint: allow the check reads no table
    except DatabaseError:
        logger.warning("Readiness check: the database is unreachable", exc_info=True)
        checks["database"] = "unreachable"
    if settings.REDIS_URL:
        checks["cache"] = "ok" if cache_answers() else "unreachable"
    if any(value != "ok" for value in checks.values()):
        return JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})


def cache_answers() -> bool:
    try:
        cache.set("vsend:readyz", "1", 10)
        return cache.get("vsend:readyz") == "1"
    except Exception:  # the Redis client's errors are not Django's: any of them means "down"
        logger.warning("Readiness check: the cache is unreachable", exc_info=True)
        return False


def bare_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """A page rendered without the request, so nothing reads the user or the session."""
    nonce = getattr(request, "csp_nonce", None)
    html = render_to_string(
        template, {"request": None, "cspNonce": str(nonce) if nonce is not None else ""}
    )
    response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return problem(404, "Not found.")
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return problem(403, "You do not have permission to perform this action.")
    return render(request, "errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return problem(400, "The request could not be read.")
    return bare_page(request, "errors/400.html", 400)


def _outage() -> bool:
    exc = sys.exc_info()[1]
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    status = 503 if _outage() else 500
    if is_api(request):
        return problem(
            status,
            "The service is unavailable for a moment: try again shortly."
            if status == 503
            else "Something went wrong on our side. Nothing was half-saved.",
        )
    return bare_page(request, f"errors/{status}.html", status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api(request):
        return problem(403, "CSRF check failed: send an API token, not a session cookie.")
    return render(request, "errors/csrf.html", status=403)
