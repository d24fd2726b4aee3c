from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class EmailBackend(ModelBackend):
    """Sign in by email address, whatever its case."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is not None:
            username = username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username axes counts failures against: the email typed, normalised."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return raw.strip().lower()[:254] or None
