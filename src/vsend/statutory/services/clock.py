"""Exceptions to the statutory clock: the reasons the regulations allow for a step to take
longer, recorded with their start and, when known, their end."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor
from vsend.statutory.models import NOTE_LIMIT, Case, ClockException
from vsend.statutory.services.common import StatutoryError, _audit, _bump, _text, workflow_of


def record_exception(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    note: str = "",
) -> ClockException:
    today = timezone.localdate()
    wf = workflow_of(case)
    try:
        spec = wf.exception(kind)
    except KeyError:
        raise StatutoryError("Choose the reason the regulations allow", "kind") from None
    if starts_on > today:
        raise StatutoryError("The start must be today or in the past", "starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise StatutoryError("The end must be on or after the start", "ends_on")
    if ends_on is not None and (ends_on - starts_on).days + 1 < spec.min_days:
        raise StatutoryError(
            f"This exception applies only for {spec.min_days // 7} weeks or more", "ends_on"
        )
    note = _text(note, "note", NOTE_LIMIT)
    if not note:
        raise StatutoryError("Say what happened", "note")
    with transaction.atomic():
        row = ClockException.objects.create(
            case=case,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            recorded_by=actor.user,
        )
        _bump(case)
        _audit(
            actor,
            Action.CREATE,
            case,
            f"Exception recorded: {spec.name}",
            {"kind": kind, "starts_on": str(starts_on), "ends_on": str(ends_on or "")},
        )
    return row


def end_exception(*, actor: Actor, exception: ClockException, ends_on: date) -> None:
    case = exception.case
    spec = workflow_of(case).exception(exception.kind)
    if ends_on < exception.starts_on:
        raise StatutoryError("The end must be on or after the start", "ends_on")
    if (ends_on - exception.starts_on).days + 1 < spec.min_days:
        raise StatutoryError(
            f"This exception applies only for {spec.min_days // 7} weeks or more", "ends_on"
        )
    with transaction.atomic():
        old = exception.ends_on
        ClockException.objects.filter(pk=exception.pk).update(ends_on=ends_on)
        exception.ends_on = ends_on
        _bump(case)
        _audit(
            actor,
            Action.UPDATE,
            case,
            "Exception end recorded",
            {"old": {"ends_on": str(old or "")}, "new": {"ends_on": str(ends_on)}},
        )
