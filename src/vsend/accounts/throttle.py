"""Password spraying: one guess against each of many accounts from one address.

The lockout (axes) counts failures per email address and client address, so one guess per
account is never stopped by it. This counts the different email addresses that failed to
sign in from one client address within the lockout time, from axes' own record of failed
attempts (one row per email address, client address and browser, with its latest failure).
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def window_minutes() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def address_paused(request: HttpRequest, ip: str | None) -> bool:
    """Has this address failed to sign in for too many different accounts just now?"""
    limit = settings.VSEND_ADDRESS_FAILED_USERNAMES
    cool_off = get_cool_off(request)
    if not ip or limit <= 0 or cool_off is None:
        return False
    recent = AccessAttempt.objects.filter(
        ip_address=ip, attempt_time__gte=timezone.now() - cool_off
    )
    return recent.order_by().values("username").distinct().count() >= limit
