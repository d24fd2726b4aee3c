"""Which audit rows a page may show, and which of their details.

A child's access history shows the events of that child in that authority only: a refused
probe of the same id from elsewhere is recorded against the authority the record belongs to,
and rows about an id in another authority never appear. Families' client addresses are never
shown to staff.
"""

from collections.abc import Iterable
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


def authority_trail(user: Any) -> QuerySet[AuditEvent]:
    """The audit page: rows about the user's authorities, and what their staff did elsewhere.

    Rows about another authority's children are left out, except a staff member's own refused
    attempt to open an id outside their reach: leaving those out only when the id exists would
    tell the administrator that it does (such rows show nothing of the record either way).
    """
    events = AuditEvent.objects.all()
    if Role.PLATFORM_ADMIN in user.roles:
        return events
    authority_ids = list(
        authorities_visible_to(user, Perm.VIEW_AUDIT_LOG).values_list("pk", flat=True)
    )
    staff = Membership.objects.filter(authority_id__in=authority_ids).values("user_id")
    return events.filter(
        Q(authority_id__in=authority_ids)
        | Q(authority_id__isnull=True, actor_id__in=staff)
        | Q(action=Action.ACCESS_REFUSED, detail__reason=OUTSIDE_SCOPE, actor_id__in=staff)
    )


def family_actor_ids(events: Iterable[AuditEvent]) -> set[int]:
    """Of these rows' actors, the parents, carers and young people (ever)."""
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    if not actor_ids:
        return set()
    return set(
        Membership.objects.filter(user_id__in=actor_ids, role__in=FAMILY_ROLES).values_list(
            "user_id", flat=True
        )
    )
