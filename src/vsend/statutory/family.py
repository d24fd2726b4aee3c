"""Where a case is, in plain English for the family: what has happened, what happens next, by
when and who acts. No statutory jargon, and never a word on whether a child "qualifies"."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from vsend.config.jinja2 import format_date
from vsend.statutory.models import Case, Kind
from vsend.workflows.engine import Milestone, next_steps

WHO = {
    "caseworker": N_("The local authority"),
    "family": N_("You"),
    "setting": N_("The school or college"),
    "adviser": N_("The people giving advice"),
}


def when(d: date) -> str:
    return format_date(d)


def time_left(today: date, due: date) -> str:
    days = (due - today).days
    if days < 0:
        late = -days
        return ngettext("%(n)d day late", "%(n)d days late", late) % {"n": late}
    if days == 0:
        return _("due today")
    if days < 14:
        return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    weeks = days // 7
    return _("%(n)d weeks left") % {"n": weeks}


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def step_words(m: Milestone) -> str:
    """The step's family name (workflow data, in the catalogue) in the reader's language."""
    return _(m.step.family_name)


def _data(text: str) -> str:
    """A workflow's own words (an item, an outcome: data texts in the catalogue), translated."""
    return _(text) if text else text


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
                _("Request received"),
                _("We received the request on %(date)s.") % {"date": when(case.started_on)},
                case.started_on,
                "done",
            )
        )
    else:
        lines.append(
            FamilyLine(
                _("Review clock started"),
                _("The plan was issued or last reviewed on %(date)s.")
                % {"date": when(case.started_on)},
                case.started_on,
                "done",
            )
        )
    for m in sorted((m for m in milestones if m.done_on), key=lambda m: m.done_on or date.min):
        assert m.done_on is not None
        text = _("Done on %(date)s") % {"date": when(m.done_on)}
        if m.outcome_name:
            outcome = _data(m.outcome_name)
            decision = f"{outcome[:1].lower()}{outcome[1:]}"
            text = _("Done on %(date)s: the decision was to %(decision)s") % {
                "date": when(m.done_on),
                "decision": decision,
            }
        if m.item_name:
            text = f"{_data(m.item_name)}. {text}"
        lines.append(FamilyLine(_first_up(step_words(m)), text + ".", m.done_on, "done"))
    return lines


def coming(case: Case, milestones: list[Milestone], today: date) -> list[FamilyLine]:
    if not case.is_open:
        return []
    lines = []
    for m in next_steps(milestones):
        who = _(WHO.get(m.step.who, N_("Someone")))
        subject = step_words(m) + (f" ({_data(m.item_name)})" if m.item_name else "")
        if m.status == "paused" or m.due_on is None:
            lines.append(
                FamilyLine(
                    _first_up(subject),
                    _(
                        "The time limit is on hold while an exception applies. "
                        "We will tell you when it starts again."
                    ),
                    None,
                    "paused",
                )
            )
            continue
        if m.status == "overdue":
            text = _(
                "This was due by %(date)s and is %(late)s. "
                "%(who)s should have done this: you can ask your caseworker why."
            ) % {"date": when(m.due_on), "late": time_left(today, m.due_on), "who": who}
            state = "late"
        else:
            text = _("%(who)s: by %(date)s (%(left)s).") % {
                "who": who,
                "date": when(m.due_on),
                "left": time_left(today, m.due_on),
            }
            state = "next"
        lines.append(FamilyLine(_first_up(subject), text, m.due_on, state))
    return lines


def headline(case: Case, milestones: list[Milestone], today: date) -> str:
    if not case.is_open:
        if not case.closed_on:
            return ""
        return _("This finished on %(date)s: %(reason)s.") % {
            "date": when(case.closed_on),
            "reason": case.closed_reason.lower(),
        }
    upcoming = next_steps(milestones)
    if not upcoming:
        return _("We are waiting for the next step to begin.")
    m = upcoming[0]
    if m.due_on is None:
        return _("The time limit for %(step)s is on hold.") % {"step": step_words(m)}
    if m.status == "overdue":
        return _("We are late with %(step)s: it was due by %(date)s.") % {
            "step": step_words(m),
            "date": when(m.due_on),
        }
    return _("Next: %(step)s, by %(date)s (%(left)s).") % {
        "step": step_words(m),
        "date": when(m.due_on),
        "left": time_left(today, m.due_on),
    }
