"""The daily reminders: what is due within a week or overdue, emailed once to each person who
must act and may see the case. The email names no child: it says a deadline needs attention
and links to the case, where the reader signs in and the case is read under their scope."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from vsend.accounts.models import Membership, User
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm, Role
from vsend.audit.services import record_children_shown, system_actor
from vsend.children.models import CaseAssignment, Enrolment, FamilyLink
from vsend.mail.services import absolute, compose, send_later, written_for
from vsend.statutory.models import Case, Reminder
from vsend.statutory.selectors import clock
from vsend.workflows.engine import next_steps

WHO_ACTS = {
    "caseworker": "caseworker",
    "adviser": "caseworker",
    "family": "family",
    "setting": "setting",
}


def _people(case: Case, who: str) -> list[User]:
    child_id = case.child_id
    if who == "family":
        ids = set(FamilyLink.objects.filter(child_id=child_id).values_list("user_id", flat=True))
        ids |= set(
            Membership.objects.filter(role=Role.YOUNG_PERSON, child_id=child_id).values_list(
                "user_id", flat=True
            )
        )
    elif who == "setting":
        settings = Enrolment.objects.current().filter(child_id=child_id).values("setting_id")
        ids = set(
            Membership.objects.filter(role=Role.SENDCO, setting_id__in=settings).values_list(
                "user_id", flat=True
            )
        )
    else:
        ids = set(
            CaseAssignment.objects.filter(child_id=child_id, ended_on__isnull=True).values_list(
                "caseworker_id", flat=True
            )
        )
    users = User.objects.filter(pk__in=sorted(ids), is_active=True)
    # Only someone who may see the case now: a lapsed membership or link sends nothing.
    return [u for u in users if AccessPolicy(u).can(Perm.VIEW_CASE, child_id)]


def daily_reminders(today: str | None = None) -> int:
    """The `statutory.daily_reminders` job. Run twice on one day, it sends nothing new."""
    on = date.fromisoformat(today) if today else timezone.localdate()
    actor = system_actor("statutory.daily_reminders")
    made = 0
    cases = list(
        Case.objects.filter(closed_on__isnull=True)
        .select_related("child")
        .prefetch_related("steps", "exceptions")
    )
    reminded = []
    for case in cases:
        for m in next_steps(clock(case, on)):
            if m.status not in ("at_risk", "overdue") or m.due_on is None:
                continue
            kind = "overdue" if m.status == "overdue" else "due_soon"
            for user in _people(case, WHO_ACTS.get(m.step.who, "caseworker")):
                try:
                    with transaction.atomic():
                        reminder = Reminder.objects.create(
                            user=user, case=case, milestone=m.key, kind=kind, due_on=m.due_on
                        )
                except IntegrityError:
                    continue  # sent already
                send_later("statutory_reminder", reminder.pk)
                made += 1
                reminded.append(case.child)
    if reminded:
        record_children_shown(
            actor, reminded, object_type="statutory_reminders", summary=f"{made} reminders queued"
        )
    return made


def reminder_email(pk: int) -> Any:
    reminder = Reminder.objects.select_related("case", "user").filter(pk=pk).first()
    if reminder is None or not reminder.case.is_open:
        return None
    if not AccessPolicy(reminder.user).can(Perm.VIEW_CASE, reminder.case.child_id):
        return None
    from vsend.workflows.definitions import definition

    step = definition(reminder.case.workflow).step(reminder.milestone.split(":")[0])
    # Family: a parent, carer or the young person of this child (not staff who are also a
    # parent elsewhere).
    child_id = reminder.case.child_id
    family = (
        FamilyLink.objects.filter(user=reminder.user, child_id=child_id).exists()
        or reminder.user.memberships.filter(role=Role.YOUNG_PERSON, child_id=child_id).exists()
    )
    # A family's reminder is in the language they chose, with the step in their words.
    with written_for(reminder.user, family=family):
        return compose(
            to=reminder.user.email,
            subject=gettext("A deadline needs attention")
            if reminder.kind == "due_soon"
            else gettext("A deadline has passed"),
            template="statutory_reminder",
            context={
                "name": reminder.user.full_name,
                "what": gettext(step.family_name) if family and step.family_name else step.name,
                "due_on": reminder.due_on,
                "overdue": reminder.kind == "overdue",
                "link": absolute(f"/statutory/cases/{reminder.case_id}/"),
            },
        )


def reminder_sent(pk: int) -> None:
    Reminder.objects.filter(pk=pk).update(sent_at=timezone.now())
