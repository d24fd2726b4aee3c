"""Lost authenticator: one-time recovery codes, and an administrator's reset.

Recovery codes are django-otp static tokens. Each is shown once, when it is made; only a keyed
digest is stored (16 characters, the width of django-otp's token column), so a copy of the
database does not give them away. A code is used at most once: it is deleted as it is accepted,
inside a transaction that locks the person's codes.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vsend.accounts.models import User
from vsend.audit.models import Action
from vsend.audit.services import Actor, record

CODE_COUNT = 10
DEVICE_NAME = "Recovery codes"
# No 0/O, 1/I/L or U: easy to read aloud and to copy from paper.
ALPHABET = "abcdefghjkmnpqrstvwxyz23456789"
CODE_LENGTH = 10


def _digest(code: str, secret: str) -> str:
    mac = hmac.new(
        hashlib.sha256(f"vsend-recovery-code:{secret}".encode()).digest(),
        code.encode(),
        hashlib.sha256,
    ).digest()
    return base64.b32encode(mac).decode()[:16].lower()


def normalise(code: str) -> str:
    """What the person typed, without spaces, hyphens or case."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def digests(code: str) -> list[str]:
    """The code's digest under the current secret key and any still accepted."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_digest(normalise(code), key) for key in keys]


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def issue_recovery_codes(*, actor: Actor, user: User) -> list[str]:
    """Replace the person's recovery codes with new ones and return them: the only time they
    can be read."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_code() for _ in range(CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=digests(code)[0]) for code in codes
    )
    record(
        actor,
        Action.CREATE,
        obj=device,
        object_type="recovery_codes",
        summary=f"{CODE_COUNT} new recovery codes made; any earlier ones no longer work",
    )
    return codes


def match_authenticator(user: User, code: str) -> TOTPDevice | None:
    """The person's authenticator app, if it accepts the code (recovery codes have their own
    page, so a mistyped app code never counts against them)."""
    with transaction.atomic():
        apps = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        return next((app for app in apps if app.verify_token(code)), None)


def has_authenticator(user: object) -> bool:
    return TOTPDevice.objects.filter(user_id=getattr(user, "pk", None), confirmed=True).exists()


def codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def use_recovery_code(user: User, code: str) -> StaticDevice | None:
    """The person's recovery-code device if the code is one of theirs, not yet used; the code
    is used up. Failures slow down further tries, as for the authenticator's codes."""
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return None
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return None
        used, _ = StaticToken.objects.filter(device=device, token__in=digests(code)).delete()
        if not used:
            device.throttle_increment()
            return None
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        return device


@transaction.atomic
def reset_authenticator(*, actor: Actor, person: User, authority_id: int | None) -> None:
    """Remove the person's authenticator app and recovery codes. Their sessions end (see
    sessions.expiry_reason), and they set up a new app at their next sign-in."""
    apps = TOTPDevice.objects.filter(user=person).delete()[0]
    StaticDevice.objects.filter(user=person).delete()
    person.authenticator_reset_at = timezone.now()
    person.save(update_fields=["authenticator_reset_at"])
    record(
        actor,
        Action.MFA_RESET,
        obj=person,
        object_type="user",
        authority_id=authority_id,
        summary="Authenticator app reset by an administrator: to be set up again at next sign-in",
        detail={"apps_removed": apps},
    )
