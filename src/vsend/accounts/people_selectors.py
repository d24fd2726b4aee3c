"""Who holds roles at a setting or an authority, and the invitations waiting there."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from vsend.accounts.models import Invitation, Membership
from vsend.accounts.roles import Role
from vsend.children.models import Child, Enrolment, FamilyLink
from vsend.organisations.models import LocalAuthority, Setting


@dataclass
class Family:
    membership: Membership
    children: list[Child] = field(default_factory=list)


def setting_staff(setting: Setting) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(setting=setting)
        .select_related("user", "authority", "setting")
        .prefetch_related("classes")
        .order_by("role", "user__full_name")
    )


def children_at(setting: Setting, reachable: QuerySet[Child]) -> QuerySet[Child]:
    """The children currently at the setting, of those the viewer may see."""
    current = Enrolment.objects.current().filter(setting=setting).values("child_id")
    return reachable.filter(pk__in=current)


def setting_families(setting: Setting, reachable: QuerySet[Child]) -> list[Family]:
    """Parents and young people whose children attend the setting, with those children (only
    the ones the viewer may see)."""
    current = Enrolment.objects.current().filter(setting=setting).values("child_id")
    children = {c.pk: c for c in reachable.filter(pk__in=current)}
    links = FamilyLink.objects.filter(child_id__in=list(children)).values_list(
        "user_id", "child_id"
    )
    by_user: dict[int, list[Child]] = {}
    for user_id, child_id in links:
        by_user.setdefault(user_id, []).append(children[child_id])
    memberships = Membership.objects.filter(
        Q(role=Role.PARENT, user_id__in=list(by_user), authority_id=setting.authority_id)
        | Q(role=Role.YOUNG_PERSON, child_id__in=list(children))
    ).select_related("user", "authority", "child")
    out = []
    for m in memberships.order_by("user__full_name"):
        kids = (
            by_user.get(m.user_id, [])
            if m.role == Role.PARENT or m.child_id is None
            else [children[m.child_id]]
        )
        out.append(Family(m, sorted(kids, key=lambda c: c.full_name)))
    return out


def authority_staff(authority: LocalAuthority) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(authority=authority)
        .filter(Q(setting=None, role__in=[Role.LA_ADMIN, Role.LA_OFFICER, Role.CASEWORKER]))
        .select_related("user", "authority")
        .order_by("role", "user__full_name")
    )


def authority_sendcos(authority: LocalAuthority) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(authority=authority, role=Role.SENDCO)
        .select_related("user", "setting", "authority")
        .order_by("setting__name", "user__full_name")
    )


def open_invitations(**where: Any) -> QuerySet[Invitation]:
    """Invitations not yet accepted or cancelled (expired ones too: they can be sent again)."""
    return (
        Invitation.objects.filter(accepted_at=None, cancelled_at=None, **where)
        .select_related("setting", "authority", "invited_by")
        .prefetch_related(Prefetch("classes"), Prefetch("children"))
        .order_by("-created_at")
    )
