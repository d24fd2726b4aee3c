from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from vsend.accounts.middleware import has_mfa_device, mfa_required, mfa_satisfied
from vsend.accounts.models import ApiToken, User, hash_token


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`: a personal token acts exactly as its user."""

    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>"
            )
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid") from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
            .first()
        )
        if token is not None and (not token.user.is_active or token.user.suspended_at):
            # Checked at every request, so a suspension stops the token at once.
            raise exceptions.AuthenticationFailed("The account this token belongs to is suspended")
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, or has been revoked")
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                "The token has expired: create a new one on Your account"
            )
        if mfa_required(token.user) and not has_mfa_device(token.user):
            # A token made before a second factor was required works again once it is set up.
            raise exceptions.AuthenticationFailed(
                "Set up an authenticator app on Your account before using API tokens"
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="vsend"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, once the user has given every factor they must."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None or not mfa_satisfied(result[0]):
            return None
        return result


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "vsend.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token"}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "vsend.api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "vsend_session"}
