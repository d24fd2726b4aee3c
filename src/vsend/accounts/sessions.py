"""Session time limits: signed out after a spell idle, and after a fixed time in all."""

import time

from django.conf import settings
from django.http import HttpRequest

SIGNED_IN_AT = "vsend_signed_in_at"
LAST_SEEN = "vsend_last_seen"


def start(request: HttpRequest) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def expiry_reason(request: HttpRequest) -> str | None:
    """'idle' or 'absolute' if the session has run out, else None."""
    now = time.time()
    signed_in_at = request.session.get(SIGNED_IN_AT)
    last_seen = request.session.get(LAST_SEEN)
    if signed_in_at is None or last_seen is None:
        return "absolute"
    if now - signed_in_at > settings.VSEND_SESSION_ABSOLUTE.total_seconds():
        return "absolute"
    if now - last_seen > settings.VSEND_SESSION_IDLE.total_seconds():
        return "idle"
    reset_at = getattr(request.user, "authenticator_reset_at", None)
    if reset_at is not None and signed_in_at < reset_at.timestamp():
        return "authenticator_reset"
    return None


def touch(request: HttpRequest) -> None:
    now = time.time()
    # Writing at most every 15 seconds keeps a burst of requests to one session save.
    if now - request.session.get(LAST_SEEN, 0) > 15:
        request.session[LAST_SEEN] = now
