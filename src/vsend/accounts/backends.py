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

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user, read on every request, with their memberships (which every page
        needs to decide access): one query for anyone who holds a role, reading the memberships
        with the user; someone with none is read alone. Inactive users are refused, as
        ModelBackend does."""
        from vsend.accounts.models import MEMBERSHIP_PARTS, Membership

        try:
            found = list(
                Membership.objects.filter(user_id=user_id)
                .select_related("user", *MEMBERSHIP_PARTS)
                .order_by()
            )
        except (TypeError, ValueError):
            return None
        if not found:
            return super().get_user(user_id)
        user = found[0].user
        if not self.user_can_authenticate(user):
            return None
        for membership in found:
            membership.user = user  # one object for the user, as through user.memberships
        user.keep_memberships(found)
        return user


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username axes counts failures against: the email typed, normalised."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return raw.strip().lower()[:254] or None
