"""Writes to children's records: one transaction and one audit row each."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from vsend.aggregates import events
from vsend.audit.changes import diff
from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child, Enrolment
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
