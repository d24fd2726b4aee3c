"""Password reset by email: Django's own forms and tokens, throttled per address and audited.

The page says the same thing whatever was typed: an address with an account, one without, one
asked for too often. Only the email (to the account's own address) differs, so the response
never tells anyone whether an address has an account.
"""

import hashlib
import hmac
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vsend.accounts.mail import account_email
from vsend.accounts.models import PasswordResetRequest, User
from vsend.audit.models import Action
from vsend.audit.services import Actor, actor_from_request, record
from vsend.mail.services import absolute, is_family_member, send_later, written_for

logger = logging.getLogger(__name__)
WINDOW = timedelta(hours=1)
EMAIL_TEMPLATE = "accounts/email/password_reset"


def address_digest(address: str) -> str:
    """A keyed digest of the address, so the throttle table holds no email addresses."""
    key = hashlib.sha256(f"vsend-password-reset:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()


def note_request(address: str) -> bool:
    """Record a request for this address; True if it is over the hourly limit (throttled)."""
    digest, now = address_digest(address), timezone.now()
    with transaction.atomic():
        recent = PasswordResetRequest.objects.filter(
            address_digest=digest, requested_at__gte=now - WINDOW
        ).count()
        PasswordResetRequest.objects.create(address_digest=digest, requested_at=now)
    PasswordResetRequest.objects.filter(requested_at__lt=now - WINDOW).delete()
    return recent >= settings.VSEND_PASSWORD_RESETS_PER_HOUR


def _authority_of(user: User) -> int | None:
    """The one authority the person belongs to, so its administrators see the event."""
    ids = {m.authority_id for m in user.active_memberships() if m.authority_id}
    return ids.pop() if len(ids) == 1 else None


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )

    _users: list[User] | None = None

    def get_users(self, email: str) -> Iterator[User]:
        if self._users is None:
            self._users = list(super().get_users(email))
        return iter(self._users)

    def save(self, **opts: Any) -> None:  # type: ignore[override]
        """Send the link unless the address has asked too often; audit the request either way."""
        request: HttpRequest = opts["request"]
        address = self.cleaned_data["email"]
        users = list(self.get_users(address))
        throttled = note_request(address)
        actor = actor_from_request(request)
        for_label = address.strip().lower()[:254]
        summary = (
            "Password reset asked for too often: no email sent"
            if throttled
            else "Password reset link sent"
            if users
            else "Password reset asked for an address with no account"
        )
        record(
            actor,
            Action.PASSWORD_RESET,
            object_type="user",
            object_id=users[0].pk if users else "",
            authority_id=_authority_of(users[0]) if users else None,
            summary=summary,
            detail={"throttled": throttled},
            label=for_label,
        )
        if not throttled:
            super().save(**opts)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queue the message: the `mail.send` job builds it (with a fresh link) and sends it, so
        the page answers at once and a mail server that is down delays the email, not the page."""
        try:
            send_later("password_reset", context["user"].pk)
        except Exception:
            # Never a server error: that would say the address has an account.
            logger.exception("Could not queue a password reset email for %s", context["user"].pk)


def reset_email(pk: int) -> EmailMultiAlternatives | None:
    """The `mail.send` job's message for a reset: a new link made when it is sent, to an account
    that can still use one (active, with a password); None otherwise. The link's address is the
    configured VSEND_BASE_URL, never the Host header of the request that asked for it."""
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    # A parent's, carer's or young person's email is in the language they chose.
    with written_for(user, family=is_family_member(user)):
        return account_email(
            user,
            gettext("Reset your password"),
            EMAIL_TEMPLATE,
            {"reset_url": absolute(path), "minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
        )


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("The passwords do not match")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. Do not use a common password or one like your name or "
            "email address"
        )
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = _("Confirm your new password")
        for name in ("new_password1", "new_password2"):
            self.fields[name].validators.append(
                MaxLengthValidator(4096, _("Password must be 4,096 characters or fewer"))
            )

    def clean(self) -> dict[str, Any]:
        # As Django's, but a password that is too weak is reported on the field it was typed in.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


def record_reset_done(actor: Actor, user: User) -> None:
    record(
        actor,
        Action.PASSWORD_RESET,
        obj=user,
        object_type="user",
        authority_id=_authority_of(user),
        summary="Password changed with a reset link",
    )


def record_link_refused(actor: Actor, user: User | None) -> None:
    record(
        actor,
        Action.PASSWORD_RESET,
        object_type="user",
        object_id=user.pk if user else "",
        authority_id=_authority_of(user) if user else None,
        summary="Password reset link refused: expired, already used or not valid",
    )
