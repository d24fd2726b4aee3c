"""The audit trail: append-only for the application.

Rows are written explicitly by services (never by signals on model saves). The ORM refuses
updates and deletes, and database triggers refuse them too (see migration 0002). Each row is
chained to the one before by a hash (see chain.py), so a change made behind the application's
back is found by `vsend audit_verify`.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditImmutable(Exception):
    """Raised when anything tries to change or remove an audit row."""


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    LOCKED_OUT = "locked_out", "Locked out"
    MFA_VERIFIED = "mfa_verified", "Second factor accepted"
    MFA_FAILED = "mfa_failed", "Second factor refused"
    ACCESS_REFUSED = "access_refused", "Access refused"
    PASSWORD_RESET = "password_reset", "Password reset"
    MFA_RESET = "mfa_reset", "Second factor reset"


class Channel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    SYSTEM = "system", "System"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AuditImmutable("Audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as written, so the trail reads true even if the account later changes.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The child the event concerns, if any: a plain column so history outlives the record.
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    authority_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    # The hash chain (see chain.py): the row's place, its predecessor's hash and its own.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child_id", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AuditImmutable("Audit events cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events cannot be deleted")


class ChainHead(models.Model):
    """The single row that says where the hash chain ends; locked while a row is appended."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    # The hash before last_hash: what the row just appended links to (read back by the
    # statement that appends it, which cannot otherwise see the head as it was).
    prev_hash = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"audit chain at row {self.seq}"
