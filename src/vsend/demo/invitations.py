"""Demo invitations waiting for a reply, one that has expired, and a suspended account.

The invitations were "sent" days ago; nobody holds their links (only a hash is kept), so to try
one, send it again from the People page: the new email is written under var/mail/.
"""

import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from vsend.accounts.models import Invitation, Membership, User, hash_token
from vsend.accounts.roles import Role
from vsend.children.models import Relationship
from vsend.demo import data

if TYPE_CHECKING:
    from vsend.demo.loader import Builder


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _invitation(
    *,
    email: str,
    full_name: str,
    role: str,
    invited_by: User,
    sent_days_ago: int,
    builder: "Builder",
    setting: object = None,
    **extra: object,
) -> Invitation:
    sent = _at(builder.today - timedelta(days=sent_days_ago), 10)
    inv, _ = Invitation.objects.get_or_create(
        email=email,
        role=role,
        authority=builder.authority,
        setting=setting,  # type: ignore[misc]
        defaults={
            "full_name": full_name,
            "token_hash": hash_token(secrets.token_urlsafe(32)),
            "invited_by": invited_by,
            "created_at": sent,
            "sent_at": sent,
            "send_count": 1,
            "expires_at": sent + timedelta(days=7),
            **extra,
        },
    )
    return inv


def add_invitations(builder: "Builder") -> None:
    domain = data.EMAIL_DOMAIN
    la_admin = User.objects.get(email=f"la.admin@{domain}")
    brookside = builder.settings["brookside"]
    oakfield = builder.settings["oakfield"]
    sendco = Membership.objects.get(role=Role.SENDCO, setting=brookside).user
    oak_sendco = Membership.objects.get(role=Role.SENDCO, setting=oakfield).user

    # A new teacher at Brookside, invited two days ago for one class.
    teacher = _invitation(
        email=f"r.achebe@{domain}",
        full_name="Ruth Achebe",
        role=Role.TEACHER,
        invited_by=sendco,
        sent_days_ago=2,
        builder=builder,
        setting=brookside,
    )
    first_class = next(
        c for key, cs in builder.classes.items() if key[0] == "brookside" for c in cs
    )
    teacher.classes.set([first_class])

    # A carer at Oakfield, for a child with SEN support there; the email names Oakfield only.
    child = next(c for c in builder.by_setting["oakfield"] if c.sen_provision == "K")
    carer = _invitation(
        email="k.byrne.family@example.net",
        full_name=f"Kerry {child.last_name}",
        role=Role.PARENT,
        invited_by=oak_sendco,
        sent_days_ago=1,
        builder=builder,
        setting=oakfield,
        relationship=Relationship.CARER,
        has_parental_responsibility=False,
    )
    carer.children.set([child])

    # A caseworker who never replied: the invitation has expired and can be sent again.
    _invitation(
        email=f"caseworker.new@{domain}",
        full_name="Dev Sharma",
        role=Role.CASEWORKER,
        invited_by=la_admin,
        sent_days_ago=10,
        builder=builder,
    )


def add_suspended_account(builder: "Builder") -> None:
    """A teacher who has left St Hilda's: suspended, not deleted, so the record stays whole."""
    setting = builder.settings["st-hildas"]
    user, _ = User.objects.get_or_create(
        email=f"teacher.former@{data.EMAIL_DOMAIN}",
        defaults={"full_name": "Chris Lowe", "password": builder.password_hash},
    )
    Membership.objects.get_or_create(
        user=user, role=Role.TEACHER, authority=builder.authority, setting=setting
    )
    if user.suspended_at is None:
        user.is_active = False
        user.suspended_at = _at(builder.today - timedelta(days=14), 16)
        user.save(update_fields=["is_active", "suspended_at"])
