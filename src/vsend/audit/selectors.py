"""Which audit rows a page may show, and which of their details.

A child's access history shows the events of that child in that authority only: a refused
probe of the same id from elsewhere is recorded against the authority the record belongs to,
and rows about an id in another authority never appear. Families' client addresses are never
shown to staff.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from vsend.accounts.models import Membership
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action, AuditEvent
from vsend.organisations.selectors import authorities_visible_to

FAMILY_ROLES = (Role.PARENT, Role.YOUNG_PERSON)
OUTSIDE_SCOPE = "outside_scope"


def child_history(child: Any) -> QuerySet[AuditEvent]:
    """Everything done to or about this child's record, in the child's own authority."""
    return AuditEvent.objects.filter(child_id=child.pk, authority_id=child.authority_id)


def authority_trail(user: Any) -> tuple[QuerySet[AuditEvent], list[int] | None]:
    """The audit page's rows, and the authorities it speaks for (None: every authority).

    Rows about the user's authorities, and what their members did that concerned no authority.
    A refusal of an id outside the actor's reach belongs to the authority that holds the record,
    and to no one else: not even the actor's own authority sees it, for showing it only when the
    id does not exist would tell them that it does.
    """
    events = AuditEvent.objects.all()
    if Role.PLATFORM_ADMIN in user.roles:
        return events, None
    authority_ids = list(
        authorities_visible_to(user, Perm.VIEW_AUDIT_LOG).values_list("pk", flat=True)
    )
    members = Membership.objects.filter(authority_id__in=authority_ids).values("user_id")
    events = events.filter(
        Q(authority_id__in=authority_ids)
        | (
            Q(authority_id__isnull=True, actor_id__in=members)
            & ~Q(action=Action.ACCESS_REFUSED, detail__reason=OUTSIDE_SCOPE)
        )
    )
    return events, authority_ids


@dataclass(frozen=True)
class Redactions:
    """What a page leaves out of its rows: families' addresses, and who outsiders are."""

    family: set[int]  # actors whose client address is not shown
    outsiders: set[int]  # actors shown only as someone outside the authority


def redactions(events: Iterable[AuditEvent], authority_ids: list[int] | None) -> Redactions:
    """For rows shown to staff of these authorities (None: to the platform's administrators).

    Parents', carers' and young people's addresses are never shown. A user with no membership
    in the authority (other than a platform administrator) is shown without name or address:
    the authority sees that its child's record was tried, not who in another authority tried.
    """
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    if not actor_ids:
        return Redactions(set(), set())
    memberships = Membership.objects.filter(user_id__in=actor_ids)
    family = set(memberships.filter(role__in=FAMILY_ROLES).values_list("user_id", flat=True))
    outsiders: set[int] = set()
    if authority_ids is not None:
        insiders = set(
            memberships.filter(
                Q(authority_id__in=authority_ids) | Q(role=Role.PLATFORM_ADMIN)
            ).values_list("user_id", flat=True)
        )
        outsiders = actor_ids - insiders
    return Redactions(family, outsiders)
