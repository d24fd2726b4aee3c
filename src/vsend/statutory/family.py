"""Where a case is, in plain English for the family: what has happened, what happens next, by
when and who acts. No statutory jargon, and never a word on whether a child "qualifies"."""

from dataclasses import dataclass
from datetime import date

from vsend.statutory.models import Case, Kind
from vsend.workflows.engine import Milestone, next_steps

WHO = {
    "caseworker": "The local authority",
    "family": "You",
    "setting": "The school or college",
    "adviser": "The people giving advice",
}


def when(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def time_left(today: date, due: date) -> str:
    days = (due - today).days
    if days < 0:
        late = -days
        return f"{late} day{'s' if late != 1 else ''} late"
    if days == 0:
        return "due today"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} left"
    weeks = days // 7
    return f"{weeks} weeks left"


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class FamilyLine:
    heading: str
    text: str
    due_on: date | None = None
    state: str = ""  # done, next, late, paused


def happened(case: Case, milestones: list[Milestone]) -> list[FamilyLine]:
    lines = []
    if case.kind == Kind.ASSESSMENT:
        lines.append(
            FamilyLine(
                "Request received",
                f"We received the request on {when(case.started_on)}.",
                case.started_on,
                "done",
            )
        )
    else:
        lines.append(
            FamilyLine(
                "Review clock started",
                f"The plan was issued or last reviewed on {when(case.started_on)}.",
                case.started_on,
                "done",
            )
        )
    for m in sorted((m for m in milestones if m.done_on), key=lambda m: m.done_on or date.min):
        assert m.done_on is not None
        text = f"Done on {when(m.done_on)}"
        if m.outcome_name:
            text += f": the decision was to {m.outcome_name[:1].lower()}{m.outcome_name[1:]}"
        if m.item_name:
            text = f"{m.item_name}. {text}"
        lines.append(FamilyLine(_first_up(m.step.family_name), text + ".", m.done_on, "done"))
    return lines


def coming(case: Case, milestones: list[Milestone], today: date) -> list[FamilyLine]:
    if not case.is_open:
        return []
    lines = []
    for m in next_steps(milestones):
        who = WHO.get(m.step.who, "Someone")
        subject = m.step.family_name + (f" ({m.item_name})" if m.item_name else "")
        if m.status == "paused" or m.due_on is None:
            lines.append(
                FamilyLine(
                    _first_up(subject),
                    "The time limit is on hold while an exception applies. "
                    "We will tell you when it starts again.",
                    None,
                    "paused",
                )
            )
            continue
        if m.status == "overdue":
            text = (
                f"This was due by {when(m.due_on)} and is {time_left(today, m.due_on)}. "
                f"{who} should have done this: you can ask your caseworker why."
            )
            state = "late"
        else:
            text = f"{who}: by {when(m.due_on)} ({time_left(today, m.due_on)})."
            state = "next"
        lines.append(FamilyLine(_first_up(subject), text, m.due_on, state))
    return lines


def headline(case: Case, milestones: list[Milestone], today: date) -> str:
    if not case.is_open:
        return (
            f"This finished on {when(case.closed_on)}: {case.closed_reason.lower()}."
            if case.closed_on
            else ""
        )
    upcoming = next_steps(milestones)
    if not upcoming:
        return "We are waiting for the next step to begin."
    m = upcoming[0]
    if m.due_on is None:
        return f"The time limit for {m.step.family_name} is on hold."
    if m.status == "overdue":
        return f"We are late with {m.step.family_name}: it was due by {when(m.due_on)}."
    return f"Next: {m.step.family_name}, by {when(m.due_on)} ({time_left(today, m.due_on)})."
