"""Invitations: made, sent, re-sent, cancelled and accepted. Each change is audited.

A person is invited to one role at one organisation. The link carries a random token of which
only a hash is kept; a new token is made each time the message is sent (by the `mail.send` job),
so a re-sent invitation's earlier link stops working. Accepting it either makes the account
(the person chooses a password) or, for an address that already has one, adds the role to it.
"""

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from vsend.accounts.models import Invitation, InvitationStatus, Membership, User, hash_token
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import CLASS_ROLES, SETTING_ROLES, Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, english, record, system_actor
from vsend.children.models import Child, FamilyLink
from vsend.mail.services import absolute, compose, send_later, written_for
from vsend.organisations.models import LocalAuthority, SchoolClass, Setting

TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{40,50}")


@dataclass(frozen=True)
class InvitationRequest:
    email: str
    full_name: str
    role: str
    authority: LocalAuthority
    setting: Setting | None = None
    classes: Sequence[SchoolClass] = field(default_factory=tuple)
    children: Sequence[Child] = field(default_factory=tuple)
    relationship: str = ""
    has_parental_responsibility: bool = False


class InvitationRefused(Exception):
    """A link that cannot be used: forged, expired, used or cancelled."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


class AlreadyInvited(Exception):
    pass


class WrongAccount(Exception):
    """The invitation was sent to a different address from the signed-in account's."""


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> Any:
    return timezone.now() + timedelta(days=settings.VSEND_INVITATION_DAYS)


def _describe(inv: Invitation | InvitationRequest) -> str:
    """The role and where, for the audit trail: in English whatever the actor's language."""
    role = english(Role(inv.role).label)
    where = inv.setting or inv.authority
    return f"{role} at {where}"


def _check_grant(policy: AccessPolicy, role: str, authority: LocalAuthority, setting: Any) -> None:
    if not policy.may_grant(role, authority=authority, setting=setting):
        raise PermissionDenied("You cannot give this role here")


def open_invitation_exists(req: InvitationRequest) -> bool:
    return Invitation.objects.filter(
        email__iexact=req.email,
        role=req.role,
        authority=req.authority,
        setting=req.setting,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


@transaction.atomic
def invite(*, actor: Actor, policy: AccessPolicy, req: InvitationRequest) -> Invitation:
    """Make an invitation and queue its email. The caller's form has checked the details; the
    rule on who may grant what is checked again here."""
    _check_grant(policy, req.role, req.authority, req.setting)
    if open_invitation_exists(req):
        raise AlreadyInvited(req.email)
    inv = Invitation.objects.create(
        email=req.email.strip().lower(),
        full_name=req.full_name.strip(),
        role=req.role,
        authority=req.authority,
        setting=req.setting,
        relationship=req.relationship if req.role == Role.PARENT else "",
        has_parental_responsibility=req.role == Role.PARENT and req.has_parental_responsibility,
        token_hash=hash_token(_new_token()),  # replaced by the one sent
        invited_by=actor.user,
        expires_at=_expiry(),
    )
    if req.role in CLASS_ROLES:
        inv.classes.set(req.classes)
    if req.role in (Role.PARENT, Role.YOUNG_PERSON):
        inv.children.set(req.children)
    record(
        actor,
        Action.CREATE,
        obj=inv,
        authority_id=req.authority.pk,
        summary=f"Invited {inv.email} to be {_describe(inv)}",
        detail={
            "role": inv.role,
            "setting_id": req.setting.pk if req.setting else None,
            "class_ids": sorted(c.pk for c in req.classes) if req.role in CLASS_ROLES else [],
            "child_ids": sorted(c.pk for c in req.children),
        },
    )
    send_later("invitation", inv.pk)
    return inv


@transaction.atomic
def resend(*, actor: Actor, policy: AccessPolicy, invitation: Invitation) -> None:
    """Send again with a new link and a new expiry date; the earlier link stops working."""
    if not policy.may_manage_invitation(invitation):
        raise PermissionDenied
    if not invitation.is_open:
        raise InvitationRefused(invitation.status, invitation)
    invitation.expires_at = _expiry()
    invitation.token_hash = hash_token(_new_token())
    invitation.save(update_fields=["expires_at", "token_hash"])
    record(
        actor,
        Action.UPDATE,
        obj=invitation,
        authority_id=invitation.authority_id,
        summary=f"Invitation for {invitation.email} sent again",
    )
    send_later("invitation", invitation.pk)


@transaction.atomic
def cancel(*, actor: Actor, policy: AccessPolicy, invitation: Invitation) -> None:
    if not policy.may_manage_invitation(invitation):
        raise PermissionDenied
    if not invitation.is_open:
        raise InvitationRefused(invitation.status, invitation)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(
        actor,
        Action.UPDATE,
        obj=invitation,
        authority_id=invitation.authority_id,
        summary=f"Invitation for {invitation.email} cancelled",
    )


def invitation_email(pk: int) -> EmailMultiAlternatives | None:
    """Build the invitation's email with a new link (the `mail.send` job calls this). Names the
    organisation and the role, never a child: the address may not be the family's own."""
    with transaction.atomic():
        inv = (
            Invitation.objects.select_for_update()
            .filter(pk=pk, accepted_at__isnull=True, cancelled_at__isnull=True)
            .first()
        )
        if inv is None or inv.expires_at <= timezone.now():
            return None
        raw = _new_token()
        inv.token_hash = hash_token(raw)
        inv.save(update_fields=["token_hash"])
    inviter = inv.invited_by
    staff = inv.role not in (Role.PARENT, Role.YOUNG_PERSON)
    # A family's invitation is in the language of their account, when they have one already.
    with written_for(account_for(inv), family=not staff):
        return compose(
            to=inv.email,
            subject=gettext("You are invited to use %(service)s")
            % {"service": settings.VSEND_SERVICE_NAME},
            template="invitation",
            context={
                "name": inv.full_name,
                "role": _role_phrase(inv.role),
                "organisation": str(inv.setting or inv.authority),
                "inviter": inviter.full_name if inviter else "",
                "link": absolute(reverse("accounts:invitation", args=[raw])),
                "expires_at": inv.expires_at,
                "staff": staff,
            },
        )


@transaction.atomic
def invitation_sent(pk: int) -> None:
    """The mail server has accepted the invitation's email."""
    inv = Invitation.objects.select_for_update().get(pk=pk)
    inv.sent_at = timezone.now()
    inv.send_count += 1
    inv.save(update_fields=["sent_at", "send_count"])
    record(
        system_actor("mail.send"),
        Action.UPDATE,
        obj=inv,
        authority_id=inv.authority_id,
        summary=f"Invitation email sent to {inv.email}",
    )


def _role_phrase(role: str) -> str:
    phrases: dict[str, str] = {
        Role.PARENT: gettext("a parent or carer"),
        Role.YOUNG_PERSON: gettext("a young person, to see your own record"),
        Role.LA_ADMIN: "a local authority administrator",
        Role.LA_OFFICER: "a local authority officer",
        Role.CASEWORKER: "a caseworker",
        Role.SENDCO: "the SENDCo",
        Role.TEACHER: "a teacher",
        Role.GOVERNOR: "a governor",
    }
    return phrases.get(role) or str(Role(role).label)


def find(raw: str) -> Invitation:
    """The invitation a link is for, if it can still be used; otherwise why not."""
    if not TOKEN_FORMAT.fullmatch(raw or ""):
        raise InvitationRefused("forged")
    inv = (
        Invitation.objects.select_related("authority", "setting", "invited_by")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if inv is None:
        raise InvitationRefused("forged")
    if inv.status != InvitationStatus.PENDING:
        raise InvitationRefused(inv.status, inv)
    return inv


def account_for(inv: Invitation) -> User | None:
    return User.objects.filter(email__iexact=inv.email).first()


def _grant(inv: Invitation, user: User) -> None:
    """Give the user the invitation's role (adding to what they hold already)."""
    if inv.role in SETTING_ROLES:
        m, _ = Membership.objects.get_or_create(
            user=user, role=inv.role, authority=inv.authority, setting=inv.setting
        )
        if inv.role in CLASS_ROLES:
            m.classes.add(*inv.classes.all())
    elif inv.role == Role.PARENT:
        Membership.objects.get_or_create(user=user, role=inv.role, authority=inv.authority)
        for child in inv.children.all():
            FamilyLink.objects.update_or_create(
                child=child,
                user=user,
                defaults={
                    "relationship": inv.relationship or "other",
                    "has_parental_responsibility": inv.has_parental_responsibility,
                },
            )
    elif inv.role == Role.YOUNG_PERSON:
        for child in inv.children.all():
            m = Membership(user=user, role=inv.role, authority=inv.authority, child=child)
            m.full_clean(exclude=["user"])  # still 16 or over
            if not Membership.objects.filter(user=user, role=inv.role, child=child).exists():
                m.save()
    else:
        Membership.objects.get_or_create(
            user=user, role=inv.role, authority=inv.authority, setting=None
        )
    user.__dict__.pop("_memberships_cache", None)


def _close(actor: Actor, inv: Invitation, user: User) -> None:
    inv.accepted_at = timezone.now()
    inv.accepted_by = user
    inv.save(update_fields=["accepted_at", "accepted_by"])
    record(
        actor,
        Action.UPDATE,
        obj=inv,
        authority_id=inv.authority_id,
        summary=f"Invitation accepted: {user.email} is now {_describe(inv)}",
        detail={"user_id": user.pk, "role": inv.role},
    )


def _lock_open(inv: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=inv.pk)
    if locked.status != InvitationStatus.PENDING:
        raise InvitationRefused(locked.status, locked)
    return locked


@transaction.atomic
def accept_new(*, actor: Actor, invitation: Invitation, full_name: str, password: str) -> User:
    """Make the account the invitation is for, with the password the person chose."""
    inv = _lock_open(invitation)
    try:
        with transaction.atomic():
            user = User.objects.create_user(inv.email, password, full_name=full_name.strip())
    except IntegrityError:
        raise WrongAccount(inv.email) from None
    record(
        Actor(user=user, ip_address=actor.ip_address, user_agent=actor.user_agent, path=actor.path),
        Action.CREATE,
        obj=user,
        authority_id=inv.authority_id,
        summary="Account made from an invitation",
    )
    _grant(inv, user)
    _close(Actor(user=user, ip_address=actor.ip_address, path=actor.path), inv, user)
    return user


@transaction.atomic
def accept_existing(*, actor: Actor, invitation: Invitation, user: User) -> None:
    """Add the invitation's role to the signed-in account it was sent to."""
    if user.email.lower() != invitation.email.lower():
        raise WrongAccount(invitation.email)
    inv = _lock_open(invitation)
    _grant(inv, user)
    _close(actor, inv, user)
