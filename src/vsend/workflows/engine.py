"""Working out each step's due date and state from a definition and what has happened.

Pure functions over plain values: the app that runs a workflow (statutory, transitions) keeps
its own rows, scoped through its own child, and passes them here as `Done` and `Pause` values.

- A due date counts calendar days, weeks or months from its anchor. Weekends and bank holidays
  do not move it (the regulations count calendar time); months end on the last day of a shorter
  month (29 February plus 12 months is 28 February).
- A recorded exception (`Pause`) moves the due date of each step it applies to by the days it
  lasts that fall on or after the step's anchor and no later than the (moving) due date; an
  exception with no end yet leaves the step "paused", with no due date, until it ends.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from vsend.workflows.definitions import Definition, DueRule, Step
from vsend.workflows.terms import term_end

AT_RISK_DAYS = 7


@dataclass(frozen=True)
class Done:
    """What happened to one step (or one item of a repeating step)."""

    step: str
    item: str = ""
    asked_on: date | None = None  # the day it was asked for, or the day it is planned for
    done_on: date | None = None
    outcome: str = ""
    ref: int | None = None  # the app's own row, to link back to


@dataclass(frozen=True)
class Pause:
    kind: str
    starts_on: date
    ends_on: date | None
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Milestone:
    step: Step
    item: str
    item_name: str
    status: str  # done, due, at_risk, overdue, waiting, paused, not_needed
    due_on: date | None
    done_on: date | None = None
    asked_on: date | None = None
    outcome: str = ""
    moved_days: int = 0  # by exceptions
    ref: int | None = None

    @property
    def key(self) -> str:
        return f"{self.step.key}:{self.item}" if self.item else self.step.key

    @property
    def late(self) -> bool:
        return bool(self.done_on and self.due_on and self.done_on > self.due_on)

    @property
    def outcome_name(self) -> str:
        return self.step.outcomes.get(self.outcome, "")

    @property
    def name(self) -> str:
        return f"{self.step.name}: {self.item_name}" if self.item_name else self.step.name

    def days_left(self, today: date) -> int | None:
        return (self.due_on - today).days if self.due_on else None


def add_months(start: date, months: int) -> date:
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def shift(start: date, rule: DueRule, *, under_5: bool = False, backwards: bool = False) -> date:
    count = rule.under_5_count if under_5 and rule.under_5_count is not None else rule.count
    sign = -1 if backwards else 1
    if rule.unit == "terms":
        return term_end(start, count)  # forward only (checked when the file is read)
    if rule.unit == "months":
        return add_months(start, sign * count)
    days = count * 7 if rule.unit == "weeks" else count
    return start + timedelta(days=sign * days)


def extend(anchor: date, due: date, pauses: Iterable[Pause]) -> tuple[date | None, int]:
    """The due date moved by the exceptions, and by how many days (None: paused now)."""
    moved = 0
    for p in sorted(pauses, key=lambda p: p.starts_on):
        if p.starts_on > due:
            continue
        if p.ends_on is None:
            return None, moved
        first = max(p.starts_on, anchor)
        if p.ends_on < first:
            continue
        days = (p.ends_on - first).days + 1
        due += timedelta(days=days)
        moved += days
    return due, moved


def _applies(step: Step, outcomes: dict[str, str]) -> bool | None:
    """True if the step is needed, False if not, None if it is not known yet."""
    for other, outcome in step.unless.items():
        if outcomes.get(other) == outcome:
            return False
    for other, outcome in step.when.items():
        if other not in outcomes:
            return None
        if outcomes[other] != outcome:
            return False
    return True


def _status(due: date | None, done: Done | None, today: date) -> str:
    if done is not None and done.done_on is not None:
        return "done"
    if due is None:
        return "waiting"
    if due < today:
        return "overdue"
    if (due - today).days <= AT_RISK_DAYS:
        return "at_risk"
    return "due"


def schedule(
    definition: Definition,
    *,
    started_on: date,
    done: Sequence[Done] = (),
    pauses: Sequence[Pause] = (),
    today: date,
    under_5: bool = False,
) -> list[Milestone]:
    """Every step's milestone (one per item asked for, for a repeating step), in order."""
    outcomes = {d.step: d.outcome for d in done if d.done_on is not None and d.outcome}
    by_step: dict[str, list[Done]] = {}
    for d in done:
        by_step.setdefault(d.step, []).append(d)
    due_dates: dict[str, date | None] = {}
    # Steps whose due date counts back from another are placed after it: two passes.
    result: dict[str, list[Milestone]] = {}
    order = [s for s in definition.steps if not s.due.before] + [
        s for s in definition.steps if s.due.before
    ]
    for step in order:
        applies = _applies(step, outcomes)
        records = by_step.get(step.key, [])
        if step.every is not None:
            base = _anchor(step, definition, None, started_on, by_step, due_dates)
            result[step.key] = _recurring(step, applies, base, records, pauses, today, under_5)
            continue
        if step.repeats:
            entries: list[Done | None] = list(records)
        else:
            entries = [records[-1] if records else None]
        milestones = []
        for entry in entries:
            item = entry.item if entry else ""
            base = _anchor(step, definition, entry, started_on, by_step, due_dates)
            if applies is False:
                status, due, moved = "not_needed", None, 0
            elif base is None:
                status, due, moved = "waiting", None, 0
            else:
                target = shift(base, step.due, under_5=under_5, backwards=bool(step.due.before))
                applying = [p for p in pauses if step.key in p.steps]
                due, moved = extend(base if step.due.after else target, target, applying)
                status = _status(due, entry, today)
                if due is None and status != "done":
                    status = "paused"
                elif applies is None and status != "done":
                    status = "waiting"  # the date is known; whether it is needed is not yet
            milestones.append(
                Milestone(
                    step=step,
                    item=item,
                    item_name=step.items.get(item, item),
                    status="done" if entry and entry.done_on else status,
                    due_on=due,
                    done_on=entry.done_on if entry else None,
                    asked_on=entry.asked_on if entry else None,
                    outcome=entry.outcome if entry else "",
                    moved_days=moved,
                    ref=entry.ref if entry else None,
                )
            )
        if not step.repeats:
            due_dates[step.key] = milestones[0].due_on
        result[step.key] = milestones
    return [m for s in definition.steps for m in result[s.key]]


def _recurring(
    step: Step,
    applies: bool | None,
    base: date | None,
    records: list[Done],
    pauses: Sequence[Pause],
    today: date,
    under_5: bool,
) -> list[Milestone]:
    """A recurring step: each occurrence done, then the next one (unless all `times` are done),
    due `every` after the last, or by the step's own rule for the first."""
    assert step.every is not None
    held = sorted((d for d in records if d.done_on), key=lambda d: d.done_on or date.min)
    out = []
    previous = None
    for n, d in enumerate(held, start=1):
        if previous is not None:
            was_due: date | None = shift(previous, step.every)
        else:
            was_due = shift(base, step.due, under_5=under_5) if base is not None else None
        out.append(
            Milestone(
                step=step,
                item=str(n),
                item_name=f"{n}",
                status="done",
                due_on=was_due,
                done_on=d.done_on,
                outcome=d.outcome,
                ref=d.ref,
            )
        )
        previous = d.done_on
    if step.times and len(held) >= step.times:
        return out
    n = len(held) + 1
    if applies is False:
        status, due, moved = "not_needed", None, 0
    elif held:
        last = held[-1].done_on
        assert last is not None
        target = shift(last, step.every)
        due, moved = extend(last, target, [p for p in pauses if step.key in p.steps])
        status = "paused" if due is None else _status(due, None, today)
    elif base is None:
        status, due, moved = "waiting", None, 0
    else:
        target = shift(base, step.due, under_5=under_5)
        due, moved = extend(base, target, [p for p in pauses if step.key in p.steps])
        status = "paused" if due is None else _status(due, None, today)
    if applies is None and status not in ("not_needed", "paused"):
        status = "waiting"
    out.append(
        Milestone(
            step=step, item=str(n), item_name=f"{n}", status=status, due_on=due, moved_days=moved
        )
    )
    return out


def _anchor(
    step: Step,
    definition: Definition,
    entry: Done | None,
    started_on: date,
    by_step: dict[str, list[Done]],
    due_dates: dict[str, date | None],
) -> date | None:
    rule = step.due
    if rule.after == "start":
        return started_on
    if rule.after == "asked":
        return entry.asked_on if entry else None
    if rule.after:
        done = [d.done_on for d in by_step.get(rule.after, []) if d.done_on]
        return max(done) if done else None
    planned = [d.asked_on for d in by_step.get(rule.before, []) if d.asked_on and not d.done_on]
    held = [d.done_on for d in by_step.get(rule.before, []) if d.done_on]
    if held:
        return max(held)
    return planned[-1] if planned else due_dates.get(rule.before)


def next_steps(milestones: Iterable[Milestone]) -> list[Milestone]:
    """The steps still to do that have a due date or are paused, soonest first."""
    open_ = [m for m in milestones if m.status in ("due", "at_risk", "overdue", "paused")]
    return sorted(open_, key=lambda m: (m.due_on is None, m.due_on or date.max))


def with_today(milestones: Iterable[Milestone], today: date) -> list[Milestone]:
    """The same milestones with their state worked out for another day."""
    out = []
    for m in milestones:
        if m.status in ("done", "not_needed", "waiting", "paused"):
            out.append(m)
        else:
            out.append(replace(m, status=_status(m.due_on, None, today)))
    return out
