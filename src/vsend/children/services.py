"""Writes to children's records: one transaction and one audit row each."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from vsend.aggregates import events
from vsend.audit.changes import diff
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child, Enrolment, Registration, Transfer
from vsend.organisations.models import SchoolClass, Setting

DETAIL_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "upn",
    "uln",
    "sen_provision",
    "primary_need",
    "secondary_need",
    "home_language",
)


# The same words whoever holds the UPN: a save that loses a race learns nothing more.
UPN_TAKEN = (
    "This UPN cannot be saved. Check it has been copied correctly. If it is right, contact "
    "the local authority: they can check it and help"
)


class DuplicateUPN(Exception):
    """Another record in the authority has this UPN (two saves racing, say)."""


def _upn_taken(authority_id: int, upn: str, exclude_pk: int | None = None) -> bool:
    others = Child.objects.filter(authority_id=authority_id, upn=upn)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return bool(upn) and others.exists()


class StaleEdit(Exception):
    """The record changed since the editor loaded it; their save was refused."""


def _details(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data.get(name) or ("" if name != "date_of_birth" else None) for name in DETAIL_FIELDS
    }


@dataclass(frozen=True)
class Placement:
    setting: Setting
    year: str
    school_class: SchoolClass | None
    started_on: date


@transaction.atomic
def create_child(*, actor: Actor, details: dict[str, Any], placement: Placement) -> Child:
    fields = _details(details)
    authority_id = placement.setting.authority_id
    try:
        with transaction.atomic():
            child = Child.objects.create(authority_id=authority_id, **fields)
    except IntegrityError:
        if _upn_taken(authority_id, fields["upn"]):
            raise DuplicateUPN from None
        raise
    Enrolment.objects.create(
        child=child,
        setting=placement.setting,
        year_group=placement.setting.year_groups.get(code=placement.year),
        school_class=placement.school_class,
        started_on=placement.started_on,
    )
    record(actor, Action.CREATE, obj=child, summary=f"Record created at {placement.setting}")
    events.announce(
        "child.created",
        authority_id=authority_id,
        child_id=child.pk,
        since=placement.started_on,
    )
    return child


@transaction.atomic
def update_child(
    *, actor: Actor, child: Child, details: dict[str, Any], expected_version: int
) -> Child:
    """Change a child's details, refusing the save if someone else saved first."""
    new = _details(details)
    changes = diff({name: getattr(child, name) for name in new}, new)
    changed = sorted(changes)
    try:
        with transaction.atomic():
            updated = Child.objects.filter(pk=child.pk, version=expected_version).update(
                **new, version=F("version") + 1, updated_at=timezone.now()
            )
    except IntegrityError:
        if _upn_taken(child.authority_id, new["upn"], exclude_pk=child.pk):
            raise DuplicateUPN from None
        raise
    if not updated:
        raise StaleEdit
    child.refresh_from_db()
    if changed:  # sex, SEN provision or needs: every figure the child is in, every date
        events.announce("child.updated", authority_id=child.authority_id, child_id=child.pk)
    record(
        actor,
        Action.UPDATE,
        obj=child,
        summary="Details changed" if changed else "Saved with no changes",
        detail={"fields": changed, "changes": changes},
    )
    return child


def report_upn_held_elsewhere(*, actor: Actor, holder: Child) -> None:
    """A user tried to save a UPN already recorded for a child they may not see. They are told
    only to contact the authority; the authority sees this in its audit trail and follows up
    (the same child may now be at the user's setting)."""
    record(
        actor,
        Action.ACCESS_REFUSED,
        object_type="child",
        object_id=holder.pk,
        authority_id=holder.authority_id,
        summary="UPN already recorded for a child the user may not see: authority to follow up",
        detail={"reason": "upn_in_use"},
    )


# Moving between settings (ADR 20). Each step is one transaction with its audit row.

# The same words whatever did not match (no such UPN, another date of birth, still on roll
# elsewhere, going somewhere else): trying details is no way to learn about a child.
CANNOT_JOIN = (
    "No child can join {setting} with these details. Check the UPN and date of birth. If they "
    "are right, the setting they are leaving may not have recorded their leaving date yet: ask "
    "them, or ask {authority} to transfer the child"
)


class CannotJoin(Exception):
    """Refused; the caller records it with refuse_join once any transaction around the
    attempt has ended (so the refusal is kept even though the attempt is rolled back)."""

    def __init__(self, child: Child | None, reason: str) -> None:
        self.child, self.reason = child, reason


class AlreadyOnRoll(Exception):
    def __init__(self, child: Child) -> None:
        self.child = child


def _ends_after(e: Enrolment, day: date) -> bool:
    return e.ended_on is None or e.ended_on >= day


@transaction.atomic
def record_leaving(
    *,
    actor: Actor,
    enrolment: Enrolment,
    left_on: date,
    destination_setting: Setting | None,
    destination: str,
) -> Enrolment:
    """The leaving setting records the last day and where the child is going. From the next
    day the child is no longer on its roll, and its staff no longer reach the child."""
    Enrolment.objects.filter(pk=enrolment.pk).update(
        ended_on=left_on,
        destination_setting=destination_setting,
        destination=destination[:200],
    )
    enrolment.refresh_from_db()
    child = enrolment.child
    record(
        actor,
        Action.UPDATE,
        obj=child,
        summary=f"Leaving {enrolment.setting} on {left_on.isoformat()} recorded",
        detail={
            "setting_id": enrolment.setting_id,
            "left_on": left_on.isoformat(),
            "destination_setting_id": destination_setting.pk if destination_setting else None,
            "destination": destination[:200],
        },
    )
    events.announce(
        "child.left",
        authority_id=child.authority_id,
        child_id=child.pk,
        setting_ids=[enrolment.setting_id],
        since=left_on,
    )
    return enrolment


def enrol(child: Child, placement: Placement, registration: str) -> Enrolment:
    """Put the child on a setting's roll (inside a move's transaction, which audits it)."""
    return Enrolment.objects.create(
        child=child,
        setting=placement.setting,
        year_group=placement.setting.year_groups.filter(code=placement.year).first(),
        school_class=placement.school_class,
        started_on=placement.started_on,
        registration=registration,
    )


def record_transfer(
    # The move's entry in the child's history, and its audit row.
    actor: Actor,
    child: Child,
    placement: Placement,
    route: str,
    came_from: Enrolment | None,
    *,
    dual: bool = False,
) -> Transfer:
    transfer = Transfer.objects.create(
        child=child,
        from_setting=came_from.setting if came_from else None,
        left_on=None if dual or came_from is None else came_from.ended_on,
        to_setting=placement.setting,
        starts_on=placement.started_on,
        route=route,
        dual=dual,
        made_by=actor.user,
    )
    record(
        actor,
        Action.CREATE,
        object_type="transfer",
        object_id=transfer.pk,
        child_id=child.pk,
        authority_id=child.authority_id,
        summary=f"Joins {placement.setting} on {placement.started_on.isoformat()}"
        + (" (dual registration)" if dual else ""),
        detail={
            "route": route,
            "from_setting_id": transfer.from_setting_id,
            "to_setting_id": placement.setting.pk,
            "starts_on": placement.started_on.isoformat(),
            "dual": dual,
        },
    )
    events.announce(
        "child.moved",
        authority_id=child.authority_id,
        child_id=child.pk,
        setting_ids=[s for s in (transfer.from_setting_id, placement.setting.pk) if s],
        since=placement.started_on,
    )
    return transfer


def join_child(*, actor: Actor, upn: str, born: date, placement: Placement) -> Transfer:
    """The receiving setting's SENDCo takes a child onto its roll from the start date, found
    by exactly their UPN and date of birth, once every other setting has recorded the child
    leaving before that date (and not for somewhere else). Anything else is refused with the
    same words, and the authority sees each refusal in its trail (refuse_join)."""
    with transaction.atomic():
        outcome = _try_join(actor, upn, born, placement)
    if isinstance(outcome, Transfer):
        return outcome
    raise CannotJoin(*outcome)


def _try_join(
    actor: Actor, upn: str, born: date, placement: Placement
) -> Transfer | tuple[Child | None, str]:
    setting, starts = placement.setting, placement.started_on
    child = (
        Child.objects.select_for_update()
        .filter(authority_id=setting.authority_id, upn=upn, date_of_birth=born)
        .first()
    )
    if child is None or not upn:
        return None, "no_match"
    enrolments = list(child.enrolments.select_for_update().select_related("setting"))
    if any(e.setting_id == setting.pk and _ends_after(e, starts) for e in enrolments):
        raise AlreadyOnRoll(child)
    if any(_ends_after(e, starts) for e in enrolments):
        return child, "still_on_roll_elsewhere"
    came_from = max(enrolments, key=lambda e: e.ended_on or date.max, default=None)
    if came_from is not None and came_from.destination_setting_id not in (None, setting.pk):
        return child, "going_elsewhere"
    enrol(child, placement, Registration.SINGLE)
    return record_transfer(actor, child, placement, Transfer.Route.CLAIM, came_from)


def refuse_join(actor: Actor, setting: Setting, refused: CannotJoin) -> None:
    """The authority's record of a refused attempt, to follow up (the child may really be
    joining). Not in the child's own history, which their current setting can read."""
    child, reason = refused.child, refused.reason
    record(
        actor,
        Action.ACCESS_REFUSED,
        object_type="child" if child else "",
        object_id=child.pk if child else "",
        authority_id=setting.authority_id,
        summary=f"A child could not join {setting}: authority to follow up",
        detail={"reason": reason, "setting_id": setting.pk},
    )


@transaction.atomic
def transfer_child(*, actor: Actor, child: Child, placement: Placement, dual: bool) -> Transfer:
    """The authority moves a child to another of its settings from the start date. The child
    leaves every other setting the day before, or, for dual registration, stays on roll there
    as the main registration with the new setting subsidiary."""
    starts = placement.started_on
    open_ones = [
        e
        for e in Enrolment.objects.select_for_update()
        .filter(child=child)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=starts))
        .select_related("setting")
    ]
    if any(e.setting_id == placement.setting.pk for e in open_ones):
        raise AlreadyOnRoll(child)
    came_from = open_ones[0] if open_ones else None
    if dual:
        for e in open_ones:
            if e.registration == Registration.SINGLE:
                Enrolment.objects.filter(pk=e.pk).update(registration=Registration.MAIN)
    else:
        last_day = starts - timedelta(days=1)
        for e in open_ones:
            Enrolment.objects.filter(pk=e.pk).update(
                ended_on=max(last_day, e.started_on), destination_setting=placement.setting
            )
        if came_from is not None:
            came_from.refresh_from_db()
    enrol(child, placement, Registration.SUBSIDIARY if dual and open_ones else Registration.SINGLE)
    return record_transfer(actor, child, placement, Transfer.Route.AUTHORITY, came_from, dual=dual)
