"""Writes about accounts: each one audited."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vsend.accounts.models import ApiToken, User, hash_token
from vsend.audit.models import Action
from vsend.audit.services import Actor, record


@transaction.atomic
def create_api_token(*, actor: Actor, user: User, name: str, raw: str | None = None) -> str:
    """Create a token for the user and return it: the only time it can be read."""
    raw = raw or ApiToken.generate_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_token(raw),
        key_hint=raw[: len(ApiToken.PREFIX) + 4],
        created_at=now,
        expires_at=now + timedelta(days=settings.VSEND_API_TOKEN_DAYS),
    )
    record(actor, Action.CREATE, obj=token, summary=f"API token '{name}' created")
    return raw


@transaction.atomic
def revoke_api_token(*, actor: Actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, Action.UPDATE, obj=token, summary=f"API token '{token.name}' revoked")


@transaction.atomic
def set_language(*, actor: Actor, user: User, language: str) -> bool:
    """Store the person's language (one the authority offers, or "" for the default); True
    when it changed. Choosing the same again writes nothing."""
    offered = {code for code, _name in settings.LANGUAGES}
    if language and language not in offered:
        raise ValueError(f"{language!r} is not offered")
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    record(actor, Action.UPDATE, obj=user, summary=f"Language set to '{language or 'default'}'")
    return True
