"""Changing people's roles and suspending or restoring their accounts. Each change is audited.

The rules on who may do this are in the access policy (AccessPolicy.may_manage_membership,
may_manage_user, may_grant); they are checked again here, whatever the page checked.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vsend.accounts.models import Membership, User
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import CLASS_ROLES, SETTING_ROLES, Role
from vsend.audit.models import Action
from vsend.audit.services import Actor, english, record
from vsend.organisations.models import SchoolClass


@transaction.atomic
def change_membership(
    *,
    actor: Actor,
    policy: AccessPolicy,
    membership: Membership,
    role: str,
    classes: Sequence[SchoolClass] = (),
) -> None:
    """Change a staff role at the same organisation, and a teacher's classes."""
    if not policy.may_manage_membership(membership):
        raise PermissionDenied
    if role != membership.role:
        assert membership.authority is not None  # a membership anyone manages has one
        same_kind = (role in SETTING_ROLES) == (membership.role in SETTING_ROLES)
        if not same_kind or not policy.may_grant(
            role, authority=membership.authority, setting=membership.setting
        ):
            raise PermissionDenied
    if any(c.setting_id != membership.setting_id for c in classes):
        raise PermissionDenied
    before = {
        "role": membership.role,
        "class_ids": sorted(c.pk for c in membership.classes.all()),
    }
    membership.role = role
    membership.save(update_fields=["role"])
    membership.classes.set(classes if role in CLASS_ROLES else [])
    after = {
        "role": role,
        "class_ids": sorted(c.pk for c in classes) if role in CLASS_ROLES else [],
    }
    record(
        actor,
        Action.UPDATE,
        obj=membership,
        authority_id=membership.authority_id,
        summary=f"{membership.user.email}: now {english(Role(role).label)} at "
        f"{membership.organisation}",
        detail={"before": before, "after": after, "user_id": membership.user_id},
    )


def _authority_of(user: User) -> int | None:
    first = user.memberships.exclude(authority=None).values_list("authority_id", flat=True).first()
    return first


@transaction.atomic
def suspend(*, actor: Actor, policy: AccessPolicy, user: User) -> None:
    """Stop the account at once: it cannot sign in, its sessions end at their next request and
    its API tokens are refused. Nothing it holds is removed, so restoring it is one step."""
    if not policy.may_manage_user(user):
        raise PermissionDenied
    if user.suspended_at is not None:
        return
    user.is_active = False
    user.suspended_at = timezone.now()
    user.save(update_fields=["is_active", "suspended_at"])
    record(
        actor,
        Action.UPDATE,
        obj=user,
        authority_id=_authority_of(user),
        summary=f"Account {user.email} suspended",
    )


@transaction.atomic
def restore(*, actor: Actor, policy: AccessPolicy, user: User) -> None:
    if not policy.may_manage_user(user):
        raise PermissionDenied
    if user.suspended_at is None:
        return
    user.is_active = True
    user.suspended_at = None
    user.save(update_fields=["is_active", "suspended_at"])
    record(
        actor,
        Action.UPDATE,
        obj=user,
        authority_id=_authority_of(user),
        summary=f"Account {user.email} restored",
    )
