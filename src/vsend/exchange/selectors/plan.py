"""What loading a register would do to a setting, compared with what vsend holds now.

Each record is matched within the setting's authority on UPN, then (for a record without a
UPN, or whose UPN vsend does not hold) on legal name and date of birth among records without
a UPN. A matched child on roll at this setting is compared field by field; one on roll at
another setting is never claimed: the preview says a transfer is needed. Children on roll
here whom the file does not name are listed as leaving.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vsend.children.census import NeedType, SENProvision
from vsend.children.models import Child, Enrolment
from vsend.exchange.columns import BY_FIELD
from vsend.exchange.models import SENNeedPeriod, SENStatusPeriod
from vsend.organisations.models import Setting

CHUNK = 2000
SHOWN = {"sen_provision": SENProvision, "primary_need": NeedType, "secondary_need": NeedType}
CHILD_FIELDS = (
    "upn",
    "last_name",
    "first_name",
    "preferred_name",
    "sex",
    "sen_provision",
    "primary_need",
    "secondary_need",
)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Plan:
    added: list[dict[str, Any]] = field(default_factory=list)
    joining: list[tuple[Child, dict[str, Any]]] = field(default_factory=list)
    changed: list[tuple[Child, dict[str, Any], list[Change]]] = field(default_factory=list)
    unchanged: int = 0
    leaving: list[Enrolment] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    elsewhere_children: list[Child] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # read but not loaded; nothing is blocked
    current: dict[int, dict[str, Any]] = field(default_factory=dict)
    roll: dict[int, Enrolment] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added) + len(self.joining),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "leaving": len(self.leaving),
            "needs_transfer": len(self.elsewhere),
        }

    def changes_anything(self, end_missing: bool = False) -> bool:
        return bool(self.added or self.joining or self.changed or (end_missing and self.leaving))


def shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "(none)"
    if name in SHOWN:
        return f"{value} ({SHOWN[name](value).label})"
    if name in ("date_of_birth", "sen_start"):
        day = value if isinstance(value, date) else date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if name == "sen_history":
        return "; ".join(f"{p} from {d or 'an unknown date'}" for d, p in value) or "(none)"
    if name == "sen_needs":
        return "; ".join(f"{t} rank {r} from {s or '?'}" for t, r, s, _ in value) or "(none)"
    return str(value)


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _key(last: str, first: str, born: str) -> tuple[str, str, str]:
    return (last.casefold(), first.casefold(), born)


def _roll(setting: Setting) -> dict[int, Enrolment]:
    """The setting's current enrolments, by child, with the child: one query."""
    return {
        e.child_id: e
        for e in Enrolment.objects.current()
        .filter(setting=setting)
        .select_related("child", "year_group", "school_class")
        .order_by("started_on", "id")
    }


def _match(
    setting: Setting, records: list[dict[str, Any]], roll: dict[int, Enrolment]
) -> tuple[dict[int, Child], list[str]]:
    """record index -> the child it is, and problems (a name matching two records).

    The setting's own roll is looked at first (a register loaded again matches there);
    only records not found on it are looked for in the rest of the authority."""
    authority = setting.authority_id
    by_upn: dict[str, Child] = {e.child.upn: e.child for e in roll.values() if e.child.upn}
    by_name: dict[tuple[str, str, str], list[Child]] = {}
    for e in roll.values():
        c = e.child
        if not c.upn:
            by_name.setdefault(
                _key(c.last_name, c.first_name, c.date_of_birth.isoformat()), []
            ).append(c)
    upns = [r["upn"] for r in records if r.get("upn") and r["upn"] not in by_upn]
    for part in _chunks(upns):
        for child in Child.objects.filter(authority_id=authority, upn__in=part):
            by_upn[child.upn] = child
    births = sorted(
        {
            r["date_of_birth"]
            for r in records
            if "date_of_birth" in r
            and not by_upn.get(r.get("upn") or "")
            and _key(r.get("last_name", ""), r.get("first_name", ""), r["date_of_birth"])
            not in by_name
        }
    )
    here = set(roll)
    for part in _chunks(births):
        for child in Child.objects.filter(authority_id=authority, upn="", date_of_birth__in=part):
            if child.pk in here:
                continue
            key = _key(child.last_name, child.first_name, child.date_of_birth.isoformat())
            by_name.setdefault(key, []).append(child)
    matched: dict[int, Child] = {}
    problems: list[str] = []
    for i, r in enumerate(records):
        if r.get("upn") and r["upn"] in by_upn:
            matched[i] = by_upn[r["upn"]]
            continue
        found = by_name.get(
            _key(r.get("last_name", ""), r.get("first_name", ""), r.get("date_of_birth", ""))
        )
        if found and len(found) > 1:
            problems.append(
                f"Row {r['row']}: {r.get('first_name')} {r.get('last_name')} matches more than "
                "one child in vsend with the same name and date of birth: add their UPN"
            )
        elif found:
            matched[i] = found[0]
    return matched, problems


def current_values(
    children: list[Child], enrolments: dict[int, Enrolment], setting: Setting | None = None
) -> dict[int, dict[str, Any]]:
    """What vsend holds for each child, in the register's terms. With `setting`, the
    children are that setting's roll, and their history is read through it (no id lists)."""
    ids = [c.pk for c in children]
    starts: dict[int, str | None] = {}
    history: dict[int, list[tuple[str | None, str]]] = {}
    needs: dict[int, list[tuple[str, int, str | None, str | None]]] = {}
    if setting is not None:
        on_roll = Enrolment.objects.current().filter(setting=setting).values("child_id")
        groups: list[dict[str, Any]] = [{"child_id__in": on_roll}]
    else:
        groups = [{"child_id__in": part} for part in _chunks(ids)]
    for where in groups:
        periods = (
            SENStatusPeriod.objects.filter(**where)
            .order_by("child_id", "id")
            .values_list("child_id", "started_on", "provision")
        )
        for child_id, started, provision in periods:
            day = started.isoformat() if started else None
            starts[child_id] = day
            history.setdefault(child_id, []).append((day, provision))
        need_rows = SENNeedPeriod.objects.filter(**where).values_list(
            "child_id", "need_type", "rank", "started_on", "ended_on"
        )
        for child_id, need_type, rank, began, ended in need_rows:
            needs.setdefault(child_id, []).append(
                (
                    need_type,
                    rank,
                    began.isoformat() if began else None,
                    ended.isoformat() if ended else None,
                )
            )
    out = {}
    for c in children:
        e = enrolments.get(c.pk)
        out[c.pk] = {
            **{name: getattr(c, name) for name in CHILD_FIELDS},
            "date_of_birth": c.date_of_birth.isoformat(),
            "year_group": e.year_group.code if e and e.year_group else "",
            "reg_group": e.school_class.name if e and e.school_class else "",
            "sen_start": starts.get(c.pk),
            "sen_history": history.get(c.pk) or _implied_history(c),
            "sen_needs": sorted(needs.get(c.pk) or _implied_needs(c), key=str),
        }
    return out


def _implied_history(c: Child) -> list[tuple[str | None, str]]:
    """A child whose SEN history vsend has not been given: their provision, from a date unknown."""
    return [(None, c.sen_provision)] if c.sen_provision != SENProvision.NONE else []


def _implied_needs(c: Child) -> list[tuple[str, int, str | None, str | None]]:
    ranked = ((c.primary_need, 1), (c.secondary_need, 2))
    return [(code, rank, None, None) for code, rank in ranked if code]


def differences(now: dict[str, Any], incoming: dict[str, Any]) -> list[Change]:
    out = []
    for name, new in incoming.items():
        if name == "row":
            continue
        old = now.get(name)
        if name in ("sen_history", "sen_needs"):
            new_items = [tuple(x) for x in new]
            if not set(new_items) - set(old or []):
                continue
            label = "SEN history" if name == "sen_history" else "Types of need"
            out.append(
                Change(name, label, shown(name, old or []), shown(name, sorted(new_items, key=str)))
            )
            continue
        if (old or "") != (new or ""):
            label = BY_FIELD[name].header
            out.append(Change(name, label, shown(name, old), shown(name, new)))
    return out


def plan_records(setting: Setting, records: list[dict[str, Any]], *, whole_register: bool) -> Plan:
    plan = Plan()
    roll = plan.roll = _roll(setting)
    matched, plan.problems = _match(setting, records, roll)
    others = [c.pk for c in matched.values() if c.pk not in roll]
    elsewhere: dict[int, Enrolment] = {}
    for part in _chunks(others):
        for e in (
            Enrolment.objects.current()
            .filter(child_id__in=part)
            .select_related("setting")
            .order_by("started_on", "id")
        ):
            elsewhere[e.child_id] = e
    plan.current = current_values([e.child for e in roll.values()], roll, setting)
    claimed: set[int] = set()
    for i, r in enumerate(records):
        child = matched.get(i)
        if child is None:
            plan.added.append(r)
            continue
        if child.pk in claimed:
            plan.problems.append(f"Row {r['row']}: this child is on another row of the file too")
            continue
        claimed.add(child.pk)
        if child.pk in roll:
            changes = differences(plan.current[child.pk], r)
            if changes:
                plan.changed.append((child, r, changes))
            else:
                plan.unchanged += 1
        elif child.pk in elsewhere:
            plan.elsewhere_children.append(child)
            name = f"{r.get('first_name', child.first_name)} {r.get('last_name', child.last_name)}"
            plan.elsewhere.append(
                f"Row {r['row']}: {name} is on roll at {elsewhere[child.pk].setting.name}: "
                "needs a transfer"
            )
        else:
            plan.joining.append((child, r))
    if whole_register:
        plan.leaving = sorted(
            (e for child_id, e in roll.items() if child_id not in claimed),
            key=lambda e: (e.child.last_name, e.child.first_name, e.child_id),
        )
    return plan
