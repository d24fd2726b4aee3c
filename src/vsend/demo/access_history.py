"""Demo access history: the last few weeks of who opened each demo family's child's record.

For every child a demo parent is linked to, the SENDCo of the child's setting, a teacher there,
the child's caseworker and the parent themselves open the record or the profile on earlier
days, so "who opened or changed my child's record" reads as it would in a real term. The rows
go through the audit chain like any other (their time is set before they are appended).
"""

import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.audit import chain
from vsend.audit.models import Action, AuditEvent, Channel
from vsend.children.models import CaseAssignment, Child, FamilyLink
from vsend.profiles.models import Profile

if TYPE_CHECKING:
    from vsend.demo.loader import Builder

DEMO_MARK = "access history"
# (who, what, object) for one visit; who is a role or "parent".
VISITS = [
    (Role.SENDCO, Action.VIEW, "child", "Record viewed"),
    (Role.SENDCO, Action.VIEW, "profile", "Profile viewed"),
    (Role.TEACHER, Action.VIEW, "child", "Record viewed"),
    ("parent", Action.VIEW, "child", "Family home viewed"),
    (Role.CASEWORKER, Action.VIEW, "child", "Record viewed"),
    (Role.SENDCO, Action.UPDATE, "profile", "Profile step saved"),
    (Role.TEACHER, Action.VIEW, "profile", "Profile viewed"),
    ("parent", Action.VIEW, "profile", "Profile viewed"),
]


def _who(child: Child, parent: User) -> dict[str, User | None]:
    enrolment = child.enrolments.filter(ended_on__isnull=True).first()
    at_setting = Membership.objects.filter(setting_id=enrolment.setting_id) if enrolment else None
    sendco = at_setting.filter(role=Role.SENDCO).first() if at_setting is not None else None
    teacher = at_setting.filter(role=Role.TEACHER).first() if at_setting is not None else None
    case = CaseAssignment.objects.filter(child=child, ended_on__isnull=True).first()
    return {
        Role.SENDCO: sendco.user if sendco else None,
        Role.TEACHER: teacher.user if teacher else None,
        Role.CASEWORKER: case.caseworker if case else None,
        "parent": parent,
    }


def _staff_since_term_start(builder: "Builder") -> None:
    """Demo staff have held their roles since before the history starts (the family's log says
    who acted by the role they held at the time)."""
    since = timezone.make_aware(datetime.combine(builder.today - timedelta(days=120), time(8)))
    Membership.objects.filter(
        Q(authority=builder.authority) | Q(setting__authority=builder.authority),
        created_at__gt=since,
    ).update(created_at=since)


def add_access_history(builder: "Builder") -> None:
    rng = random.Random(15)  # noqa: S311 - demo data
    _staff_since_term_start(builder)
    links = FamilyLink.objects.filter(child__authority=builder.authority).select_related(
        "child", "user"
    )
    for link in links.order_by("pk"):
        child, who = link.child, _who(link.child, link.user)
        if AuditEvent.objects.filter(child_id=child.pk, detail__demo=DEMO_MARK).exists():
            continue  # loaded before: the demo is safe to run again
        profile = Profile.objects.filter(child=child).order_by("-number").first()
        start = timezone.make_aware(datetime.combine(builder.today, time(9)))
        for n, (role, action, kind, summary) in enumerate(VISITS):
            user = who.get(role)
            if user is None or (kind == "profile" and profile is None):
                continue
            at = start - timedelta(days=3 * (len(VISITS) - n), minutes=rng.randint(0, 420))
            obj_id = profile.pk if kind == "profile" and profile else child.pk
            chain.append(
                AuditEvent(
                    at=at,
                    actor=user,
                    actor_label=user.email,
                    action=action,
                    object_type=kind,
                    object_id=str(obj_id),
                    child_id=child.pk,
                    authority_id=child.authority_id,
                    summary=summary,
                    detail={"demo": DEMO_MARK},
                    channel=Channel.WEB,
                    path="",
                )
            )
