"""Writes: the catalogue, staff costs, groups and places, missed sessions and the budget.

Each runs in one transaction with its audit row and rewrites the cost ledger (PlaceTermCost)
of every group it touches, so the maps never read a stale cost.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child, Enrolment
from vsend.organisations.models import Setting
from vsend.provision.ledger import changed, recompute_group
from vsend.provision.library import library_entry
from vsend.provision.models import (
    MissedSession,
    Place,
    Provision,
    ProvisionGroup,
    SenBudget,
    StaffRole,
)
from vsend.provision.rates import ClosedTerm, change_cost, change_rate, cost_on, rate_of


class NotAtSetting(Exception):
    """A child who is not enrolled at the setting, or a record of another setting."""


__all__ = ["ClosedTerm", "NotAtSetting", "rate_of", "recompute_group"]


def _audit(actor: Actor, action: str, obj: Any, setting: Setting, summary: str, **kw: Any) -> None:
    record(actor, action, obj=obj, authority_id=setting.authority_id, summary=summary, **kw)


def _values(obj: Any, fields: Iterable[str]) -> dict[str, str]:
    return {f: str(getattr(obj, f)) for f in fields}


# Staff roles


def save_staff_role(
    *,
    actor: Actor,
    setting: Setting,
    name: str,
    hourly_cost: Decimal,
    role: StaffRole | None,
    applies_from: date | None = None,
) -> StaffRole:
    """Add a role, or change its name or hourly cost. Once a group is costed with the role, a
    new cost applies from a date (today unless given; not before the current term: ClosedTerm),
    so closed terms keep their costs."""
    with transaction.atomic():
        if role is None:
            role = StaffRole.objects.create(setting=setting, name=name, hourly_cost=hourly_cost)
            _audit(actor, Action.CREATE, role, setting, f"Staff role {name} added")
            return role
        old = _values(role, ("name", "hourly_cost"))
        role.name = name
        since = None
        in_use = ProvisionGroup.objects.filter(provision__staff_role=role).exists()
        if not in_use:  # no group costed with it yet: the new cost simply replaces the old
            role.hourly_cost = hourly_cost
        elif hourly_cost != role.hourly_cost or applies_from is not None:
            since = applies_from or timezone.localdate()
            change_rate(role, hourly_cost, since)
        role.save()
        new = _values(role, ("name", "hourly_cost"))
        if since is not None:
            new.update(hourly_cost=str(hourly_cost), applies_from=str(since))
        _audit(
            actor,
            Action.UPDATE,
            role,
            setting,
            f"Staff role {name} changed",
            detail={"old": old, "new": new},
        )
        if since is not None:
            groups = ProvisionGroup.objects.filter(provision__staff_role=role, ends_on__gte=since)
            for group in groups:
                recompute_group(group, announce=False)
            changed(setting.pk, since)
    return role


# The catalogue

PROVISION_FIELDS = (
    "name",
    "description",
    "areas",
    "kind",
    "staff_role",
    "provider",
    "sessions_per_week",
    "session_minutes",
    "cost_basis",
    "cost",
)


OWN_COST = ("cost_basis", "cost", "staff_role")


def save_provision(
    *,
    actor: Actor,
    setting: Setting,
    data: dict[str, Any],
    provision: Provision | None = None,
    applies_from: date | None = None,
) -> Provision:
    """Add a provision or change it. Once a group runs it, a change of its own cost (how it is
    costed, the amount and the staff role) applies from a date (today unless given; not before
    the current term: ClosedTerm), so closed terms keep their costs. A change of its sessions,
    minutes or areas still applies to every term."""
    role = data.get("staff_role")
    if role is not None and role.setting_id != setting.pk:
        raise NotAtSetting
    with transaction.atomic():
        if provision is None:
            provision = Provision.objects.create(setting=setting, **data)
            _audit(actor, Action.CREATE, provision, setting, f"Provision {provision.name} added")
            return provision
        old = _values(provision, PROVISION_FIELDS)
        groups = list(provision.groups.all())
        data = dict(data)
        basis = data.pop("cost_basis", provision.cost_basis)
        cost = data.pop("cost", provision.cost)
        role = data.pop("staff_role", provision.staff_role)
        for k, v in data.items():
            setattr(provision, k, v)
        since = None
        if not groups:  # nothing costed with it yet: the new cost simply replaces the old
            provision.cost_basis, provision.cost, provision.staff_role = basis, cost, role
        else:
            day = applies_from or timezone.localdate()
            if cost_on(provision, day) != (basis, cost, role.pk if role else None):
                since = day
                change_cost(provision, basis, cost, role, since)
        provision.save()
        new = _values(provision, PROVISION_FIELDS)
        if since is not None:
            new.update(cost_basis=basis, cost=str(cost), staff_role=str(role))
            new["applies_from"] = str(since)
        _audit(
            actor,
            Action.UPDATE,
            provision,
            setting,
            f"Provision {provision.name} changed",
            detail={"old": old, "new": new},
        )
        others = any(old[f] != new[f] for f in PROVISION_FIELDS if f not in OWN_COST)
        if groups and (others or since is None):
            for group in groups:  # every term: the change is not of its own cost only
                recompute_group(group, announce=False)
            changed(setting.pk, min(g.starts_on for g in groups))
        elif since is not None:
            for group in groups:
                if group.ends_on >= since:
                    recompute_group(group, announce=False)
            changed(setting.pk, since)
    return provision


def add_from_library(*, actor: Actor, setting: Setting, keys: list[str]) -> list[Provision]:
    """Copy library entries into the catalogue (entries already there by name are left)."""
    added = []
    with transaction.atomic():
        have = set(Provision.objects.filter(setting=setting).values_list("name", flat=True))
        for key in keys:
            entry = library_entry(key)
            if entry is None or entry["name"] in have:
                continue
            role = None
            if entry.get("staff_role"):
                role, _ = StaffRole.objects.get_or_create(
                    setting=setting,
                    name=entry["staff_role"],
                    defaults={"hourly_cost": Decimal(str(entry.get("hourly_cost", "0")))},
                )
            provision = Provision.objects.create(
                setting=setting,
                name=entry["name"],
                description=entry["description"],
                areas=entry["areas"],
                kind=entry["kind"],
                staff_role=role,
                provider=entry.get("provider", ""),
                sessions_per_week=Decimal(str(entry["sessions_per_week"])),
                session_minutes=entry["session_minutes"],
                cost_basis=entry["cost_basis"],
                cost=Decimal(str(entry.get("cost", "0"))),
                library_key=key,
            )
            added.append(provision)
        if added:
            record(
                actor,
                Action.CREATE,
                object_type="provision",
                authority_id=setting.authority_id,
                summary=f"{len(added)} provisions added from the library",
                detail={"ids": [p.pk for p in added], "keys": keys},
            )
    return added


# Groups, places and delivery


def children_at(setting: Setting, child_ids: Iterable[int], on: date | None = None) -> list[Child]:
    ids = set(child_ids)
    enrolled = set(
        Enrolment.objects.current(on)
        .filter(setting=setting, child_id__in=ids)
        .values_list("child_id", flat=True)
    )
    if enrolled != ids:
        raise NotAtSetting
    return list(Child.objects.filter(pk__in=ids))  # scope-lint: allow enrolled at the setting


def start_group(
    *,
    actor: Actor,
    provision: Provision,
    name: str,
    starts_on: date,
    ends_on: date,
    child_ids: list[int],
    action_id: int | None = None,
    action_child_id: int | None = None,
) -> ProvisionGroup:
    setting = provision.setting
    with transaction.atomic():
        children = children_at(setting, child_ids)
        group = ProvisionGroup.objects.create(
            provision=provision,
            setting=setting,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor.user,
        )
        Place.objects.bulk_create(
            Place(
                group=group,
                child=c,
                starts_on=starts_on,
                ends_on=ends_on,
                action_id=action_id if c.pk == action_child_id else None,
            )
            for c in children
        )
        recompute_group(group)
        _audit(
            actor,
            Action.CREATE,
            group,
            setting,
            f"Provision group {name} started for {len(children)} children",
            detail={"child_ids": sorted(c.pk for c in children), "provision": provision.pk},
        )
    return group


def add_place(
    *,
    actor: Actor,
    group: ProvisionGroup,
    child_id: int,
    starts_on: date,
    ends_on: date,
    action_id: int | None = None,
) -> Place:
    with transaction.atomic():
        (child,) = children_at(group.setting, [child_id])
        place, created = Place.objects.get_or_create(
            group=group,
            child=child,
            defaults={"starts_on": starts_on, "ends_on": ends_on, "action_id": action_id},
        )
        if not created and action_id and place.action_id is None:
            place.action_id = action_id
            place.save(update_fields=["action"])
        recompute_group(group)
        record(
            actor,
            Action.CREATE if created else Action.UPDATE,
            obj=place,
            child_id=child.pk,
            authority_id=child.authority_id,
            summary=f"Place in {group.name}",
            detail={"starts_on": str(starts_on), "ends_on": str(ends_on), "action": action_id},
        )
    return place


def end_place(*, actor: Actor, place: Place, ends_on: date) -> Place:
    with transaction.atomic():
        old = str(place.ends_on)
        place.ends_on = max(ends_on, place.starts_on)
        place.save(update_fields=["ends_on"])
        recompute_group(place.group)
        record(
            actor,
            Action.UPDATE,
            obj=place,
            child_id=place.child_id,
            authority_id=place.group.setting.authority_id,
            summary=f"Place in {place.group.name} ends",
            detail={"old": {"ends_on": old}, "new": {"ends_on": str(place.ends_on)}},
        )
    return place


def record_missed(
    *,
    actor: Actor,
    group: ProvisionGroup,
    dates: list[date],
    reason: str,
    note: str = "",
    child_ids: list[int] | None = None,
) -> int:
    """Missed sessions in bulk: each date for the whole group, or for the children named.
    A session already recorded as missed is left as it was (a second post adds nothing)."""
    member_ids = set(group.places.values_list("child_id", flat=True))
    if child_ids and not set(child_ids) <= member_ids:
        raise NotAtSetting
    made = 0
    with transaction.atomic():
        for day in sorted(set(dates)):
            for child_id in child_ids or [None]:  # type: ignore[list-item]
                _, created = MissedSession.objects.get_or_create(
                    group=group,
                    date=day,
                    child_id=child_id,
                    defaults={"reason": reason, "note": note, "recorded_by": actor.user},
                )
                made += created
        if made:
            recompute_group(group)
        _audit(
            actor,
            Action.CREATE,
            group,
            group.setting,
            f"{made} missed sessions recorded for {group.name}",
            detail={
                "dates": [str(d) for d in sorted(set(dates))],
                "reason": reason,
                "child_ids": sorted(child_ids or []) or sorted(member_ids),
            },
        )
    return made


def set_budget(*, actor: Actor, setting: Setting, year: int, amount: Decimal) -> SenBudget:
    with transaction.atomic():
        budget = SenBudget.objects.filter(setting=setting, year=year).first()
        old = str(budget.amount) if budget else None
        if budget is None:
            budget = SenBudget.objects.create(setting=setting, year=year, amount=amount)
        else:
            budget.amount, budget.updated_at = amount, timezone.now()
            budget.save()
        _audit(
            actor,
            Action.UPDATE if old is not None else Action.CREATE,
            budget,
            setting,
            f"Notional SEN budget {year} to {year + 1} set",
            detail={"old": {"amount": old}, "new": {"amount": str(amount)}},
        )
    return budget
