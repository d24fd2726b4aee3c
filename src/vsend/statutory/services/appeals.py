"""Mediation and tribunal appeals against a case's decisions."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, english
from vsend.statutory.models import Appeal, AppealAbout, AppealKind, Case
from vsend.statutory.services.common import StatutoryError, _audit, _date, _text


def record_appeal(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    about: str,
    started_on: date,
    ended_on: date | None = None,
    outcome: str = "",
) -> Appeal:
    if kind not in AppealKind.values:
        raise StatutoryError("Choose mediation or tribunal", "kind")
    if about not in AppealAbout.values:
        raise StatutoryError("Choose what it is about", "about")
    today = timezone.localdate()
    _date(started_on, "started_on", case=case, today=today, name="The start")
    _date(ended_on, "ended_on", case=None, today=today, name="The end")
    if ended_on and ended_on < started_on:
        raise StatutoryError("The end must be on or after the start", "ended_on")
    with transaction.atomic():
        appeal = Appeal.objects.create(
            case=case,
            kind=kind,
            about=about,
            started_on=started_on,
            ended_on=ended_on,
            outcome=_text(outcome, "outcome", 300),
            recorded_by=actor.user,
        )
        _audit(
            actor,
            Action.CREATE,
            case,
            f"{english(appeal.get_kind_display())} recorded",
            {"kind": kind, "about": about, "started_on": str(started_on)},
        )
    return appeal
