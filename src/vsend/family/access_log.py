"""Who opened or changed a child's record, in plain words for the family (ADR 30).

The rows are the child's audit trail exactly (audit.selectors.child_history): nothing added,
nothing left out. Who acted is said by role and organisation, read from the actor's membership
at the time of the row (the trail keeps the account, not the role). Staff names are shown only
when the child's authority has chosen to show them; families' own actions read "You".
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from vsend.accounts.models import Membership
from vsend.accounts.roles import Role
from vsend.audit.models import Action, AuditEvent, Channel
from vsend.audit.selectors import child_history
from vsend.children.models import Child
from vsend.config.jinja2 import format_date, format_datetime

PAGE_SIZE = 25

# Who, in words a family reads: "A SENDCo at Oakfield Primary".
ROLE_WORDS: dict[str, str] = {
    Role.SENDCO: N_("A SENDCo"),
    Role.TEACHER: N_("A teacher"),
    Role.GOVERNOR: N_("A governor"),
    Role.CASEWORKER: N_("A caseworker"),
    Role.LA_OFFICER: N_("An officer"),
    Role.LA_ADMIN: N_("An administrator"),
    Role.PLATFORM_ADMIN: N_("A service administrator"),
}
NAMED_ROLE_WORDS: dict[str, str] = {
    Role.SENDCO: N_("SENDCo"),
    Role.TEACHER: N_("teacher"),
    Role.GOVERNOR: N_("governor"),
    Role.CASEWORKER: N_("caseworker"),
    Role.LA_OFFICER: N_("officer"),
    Role.LA_ADMIN: N_("administrator"),
    Role.PLATFORM_ADMIN: N_("service administrator"),
}
FAMILY_ROLES = (Role.PARENT, Role.YOUNG_PERSON)

LOOKED = {
    "child": N_("looked at the record"),
    "profile": N_("looked at the profile"),
    "ehc_plan": N_("looked at the EHC plan"),
    "statutory_case": N_("looked at the EHC needs assessment or review"),
    "provision_map": N_("looked at the plan of support"),
    "export": N_("made a copy of the record to download"),
}
ADDED = {
    "profile": N_("started a new profile"),
    "child": N_("added the record"),
    "transfer": N_("noted a move to a new school"),
    "ehc_plan": N_("added the EHC plan"),
    "statutory_case": N_("started an EHC needs assessment or review"),
    "family_answers": N_("sent answers about home"),
}
CHANGED = {
    "profile": N_("changed the profile"),
    "child": N_("changed the record"),
    "ehc_plan": N_("changed the EHC plan"),
    "statutory_case": N_("added a step to the EHC needs assessment or review"),
    "family_answers": N_("saved an answer about home"),
}


def what_was_done(event: AuditEvent) -> str:
    kind = event.object_type
    if event.action == Action.VIEW:
        return _(LOOKED.get(kind, N_("looked at the record")))
    if event.action == Action.CREATE:
        return _(ADDED.get(kind, N_("added to the record")))
    if event.action == Action.UPDATE:
        return _(CHANGED.get(kind, N_("changed the record")))
    if event.action == Action.DELETE:
        return _("took something out of the record")
    if event.action == Action.ACCESS_REFUSED:
        return _("tried to open the record but was stopped")
    return _("used the record")


@dataclass(frozen=True)
class LogLine:
    event_id: int
    at: datetime
    who: str
    did: str

    @property
    def sentence(self) -> str:
        return _("%(who)s %(did)s.") % {"who": self.who, "did": self.did}

    @property
    def day(self) -> str:
        return format_date(self.at)

    @property
    def time(self) -> str:
        """4:05pm (UK time): the day is the heading the line sits under."""
        return format_datetime(self.at).rsplit(" at ", 1)[-1]


def by_day(lines: list[LogLine]) -> list[tuple[str, list[LogLine]]]:
    """The lines under their day, in the order given (newest first)."""
    days: list[tuple[str, list[LogLine]]] = []
    for line in lines:
        if not days or days[-1][0] != line.day:
            days.append((line.day, []))
        days[-1][1].append(line)
    return days


class Who:
    """Says who acted on each row, from memberships read once for the page."""

    def __init__(self, child: Child, viewer: Any, events: list[AuditEvent]) -> None:
        self.child = child
        self.viewer_id = viewer.pk
        self.names = bool(child.authority.family_log_shows_staff_names)
        actor_ids = {e.actor_id for e in events if e.actor_id is not None}
        self.memberships: dict[int, list[Membership]] = {}
        for m in Membership.objects.filter(user_id__in=actor_ids).select_related(
            "user", "setting", "authority"
        ):
            self.memberships.setdefault(m.user_id, []).append(m)
        self.setting_ids = set(child.enrolments.values_list("setting_id", flat=True))

    def _membership(self, actor_id: int, at: datetime) -> Membership | None:
        held = [m for m in self.memberships.get(actor_id, []) if m.created_at <= at]
        authority_id = self.child.authority_id

        def rank(m: Membership) -> int:
            if m.setting_id in self.setting_ids:
                return 0
            if m.setting_id is None and m.authority_id == authority_id:
                return 1
            if m.setting is not None and m.setting.authority_id == authority_id:
                return 2
            if m.role == Role.PLATFORM_ADMIN:
                return 3
            return 9

        ranked = sorted(held, key=rank)
        return ranked[0] if ranked and rank(ranked[0]) < 9 else None

    def _in_authority(self, m: Membership) -> bool:
        authority_id = self.child.authority_id
        return m.authority_id == authority_id or (
            m.setting is not None and m.setting.authority_id == authority_id
        )

    def __call__(self, event: AuditEvent) -> str:
        if event.actor_id is None:
            if event.channel == Channel.SYSTEM:
                return _("The service itself")
            return _("Someone who was not signed in")
        if event.actor_id == self.viewer_id:
            return _("You")
        m = self._membership(event.actor_id, event.at)
        if m is None:
            if any(x.role in FAMILY_ROLES for x in self.memberships.get(event.actor_id, [])):
                return _("Someone in the family")
            if any(self._in_authority(x) for x in self.memberships.get(event.actor_id, [])):
                # Their role then is not known (it began later): the organisation is.
                return _("Someone at %(authority)s") % {"authority": self.child.authority.name}
            return _("Someone outside %(authority)s") % {"authority": self.child.authority.name}
        if m.role == Role.YOUNG_PERSON:
            return _("The young person")
        if m.role == Role.PARENT:
            return _("Another parent or carer")
        where = m.setting or m.authority
        if self.names and m.user.full_name:
            return _("%(name)s, %(role)s at %(organisation)s") % {
                "name": m.user.full_name,
                "role": _(NAMED_ROLE_WORDS.get(m.role, N_("member of staff"))),
                "organisation": where,
            }
        if where is None:
            return _(ROLE_WORDS.get(m.role, N_("A member of staff")))
        return _("%(role)s at %(organisation)s") % {
            "role": _(ROLE_WORDS.get(m.role, N_("A member of staff"))),
            "organisation": where,
        }


def events_for(child: Child) -> QuerySet[AuditEvent]:
    """Exactly the child's audit trail, newest first."""
    return child_history(child)


def log_page(child: Child, viewer: Any, page_number: Any) -> tuple[Page, list[LogLine]]:
    page = Paginator(events_for(child), PAGE_SIZE).get_page(page_number)
    events = list(page.object_list)
    who = Who(child, viewer, events)
    return page, [LogLine(e.pk, e.at, who(e), what_was_done(e)) for e in events]
