"""The metrics endpoint: only for a scraper holding VSEND_METRICS_TOKEN (Authorization: Bearer).

Without the token, or with no token configured, the address does not exist (404), so the
service's inner workings are never public.
"""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vsend.ops.metrics import metrics_response


def _authorised(request: HttpRequest) -> bool:
    expected: str = settings.VSEND_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not expected or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given.removeprefix("Bearer ").encode(), expected.encode())


@never_cache
@login_not_required
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        raise Http404("No such page")
    return metrics_response()
