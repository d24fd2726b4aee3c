"""Users sign in with their email address; memberships give them roles at organisations."""

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone

from vsend.accounts.roles import AUTHORITY_ROLES, CLASS_ROLES, SETTING_ROLES, STAFF_ROLES, Role


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        """A platform administrator (vsend has no Django admin site)."""
        extra.setdefault("is_superuser", True)
        user = self.create_user(email, password, **extra)
        Membership.objects.create(user=user, role=Role.PLATFORM_ADMIN)
        return user


# What a membership is read with: where it is held, and a young person's own record.
MEMBERSHIP_PARTS = ("authority", "setting", "child")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    # A suspended account is inactive: it cannot sign in, its sessions end at their next request
    # and its API tokens are refused (see SessionLimitsMiddleware and api/authentication.py).
    is_active = models.BooleanField(default=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # When an administrator reset the person's authenticator app: sessions begun before it end,
    # and the person must set up an app at their next sign-in, whatever their role. Cleared
    # when they have.
    authenticator_reset_at = models.DateTimeField(null=True, blank=True)
    # The language a family member chose on their account page (one of settings.LANGUAGES);
    # empty: the service's default, or their browser's when the authority offers it.
    language = models.CharField(max_length=15, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        # Django's admin flag; vsend has no admin site.
        return False

    def active_memberships(self) -> list["Membership"]:
        cached = getattr(self, "_memberships_cache", None)
        if cached is None:
            found = self.memberships.select_related(*MEMBERSHIP_PARTS).order_by()
            cached = self.keep_memberships(list(found))
        return cached

    def keep_memberships(self, found: list["Membership"]) -> list["Membership"]:
        """Keep the user's memberships as read (with MEMBERSHIP_PARTS), in the model's order."""
        # Sorted here by role: Django takes longer to build an ORDER BY over these joins than
        # the database takes to run the query.
        cached = sorted(found, key=lambda m: (m.role, m.pk))
        # Only a class role reaches children through its classes: no query for the others.
        prefetch_related_objects([m for m in cached if m.role in CLASS_ROLES], "classes")
        self._memberships_cache = cached
        return cached

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships()}

    @property
    def must_set_up_authenticator(self) -> bool:
        return self.authenticator_reset_at is not None

    @property
    def needs_mfa(self) -> bool:
        """Staff must use a second factor when it is required."""
        return bool(self.roles & STAFF_ROLES)


class Membership(models.Model):
    """A role held by a user at an organisation.

    Authority roles name the authority; setting roles also name the setting (and, for
    teachers, their classes); a young person's membership names their own record.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    classes = models.ManyToManyField(
        "organisations.SchoolClass", blank=True, related_name="teacher_memberships"
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="young_person_memberships",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role"]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.organisation}"

    @property
    def organisation(self) -> Any:
        return self.setting or self.authority or "all authorities"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role == Role.PLATFORM_ADMIN:
            if self.authority_id or self.setting_id:
                errors["authority"] = "A platform administrator is not tied to an organisation"
        elif not self.authority_id:
            errors["authority"] = "Choose the local authority"
        if self.role in SETTING_ROLES:
            if self.setting is None:
                errors["setting"] = "Choose the setting"
            elif self.authority_id and self.setting.authority_id != self.authority_id:
                errors["setting"] = "Choose a setting in the same local authority"
        elif self.role in AUTHORITY_ROLES and self.setting_id:
            errors["setting"] = "This role is held at the local authority, not a setting"
        if self.role == Role.YOUNG_PERSON:
            if self.child is None:
                errors["child"] = "Choose the young person's own record"
            elif self.child.age_on(timezone.localdate()) < 16:
                errors["child"] = "Young people can have their own account from age 16"
        if errors:
            raise ValidationError(errors)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: acts exactly as its user. Only its hash is stored."""

    PREFIX = "vsend_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token expires (VSEND_API_TOKEN_DAYS after it is made), so a forgotten one dies.
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


class Invitation(models.Model):
    """An invitation to hold a role: a single-use link, sent by email, that expires.

    Only a hash of the link's token is stored. A new token is made each time the invitation is
    sent (see accounts/invitations.py), so re-sending it makes the earlier link useless.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="invitations"
    )
    # The setting a setting role is held at, or through which a family's children are reached.
    setting = models.ForeignKey(
        "organisations.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    classes = models.ManyToManyField("organisations.SchoolClass", blank=True, related_name="+")
    children = models.ManyToManyField("children.Child", blank=True, related_name="+")
    relationship = models.CharField(max_length=20, blank=True)
    has_parental_responsibility = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "setting", "accepted_at", "cancelled_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.cancelled_at:
            return InvitationStatus.CANCELLED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def is_open(self) -> bool:
        """Not yet accepted or cancelled (it may have expired: re-sending renews it)."""
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def organisation(self) -> Any:
        return self.setting or self.authority


class PasswordResetRequest(models.Model):
    """One request for a password reset link, for throttling per email address.

    Recorded for every address typed, whether or not it has an account, so throttling never
    tells the two apart. Only a keyed digest of the address is kept.
    """

    address_digest = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Password reset requested {self.requested_at:%Y-%m-%d %H:%M}"
