"""Opening a case (a request for an EHC needs assessment) and recording its steps, decisions and
outcomes; a finished case closes, and a finished review starts the next."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor
from vsend.children.models import Child
from vsend.organisations.models import Setting
from vsend.statutory import stored
from vsend.statutory.models import ASSESSMENT, NOTE_LIMIT, Case, CaseStep, Kind, Received, Requester
from vsend.statutory.services.common import (
    OpenRequestExists,
    StatutoryError,
    _audit,
    _bump,
    _close,
    _date,
    _text,
    workflow_of,
)
from vsend.workflows.definitions import definition

YOUNG_PERSON_AGES = (16, 25)


def request_assessment(
    *,
    actor: Actor,
    child: Child,
    requester: str,
    reasons: str,
    family_views: str = "",
    child_views: str = "",
    setting: Setting | None = None,
    received_on: date | None = None,
    received_how: str = Received.ONLINE,
    received_note: str = "",
) -> Case:
    """A request for an EHC needs assessment, received by the authority today. Nothing about
    the child's ratings is asked or checked: anyone entitled may request."""
    today = timezone.localdate()
    received_on = received_on or today
    if received_how not in Received.values:
        raise StatutoryError("Choose how the request arrived", "received_how")
    if received_on > today:
        raise StatutoryError("The date received must be today or in the past", "received_on")
    if requester not in Requester.values:
        raise StatutoryError("Choose who is making the request", "requester")
    if requester == Requester.YOUNG_PERSON:
        low, high = YOUNG_PERSON_AGES
        if not low <= child.age_on(received_on) <= high:
            raise StatutoryError("A young person may request for themselves from 16 to 25")
    if requester == Requester.SETTING and setting is None:
        raise StatutoryError("A setting's request names the setting")
    reasons = _text(reasons, "reasons")
    if not reasons:
        raise StatutoryError("Say why you are asking for an assessment", "reasons")
    wf = definition(ASSESSMENT)
    existing = Case.objects.filter(child=child, kind=Kind.ASSESSMENT, closed_on__isnull=True)
    if (found := existing.first()) is not None:
        raise OpenRequestExists(found)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                child=child,
                kind=Kind.ASSESSMENT,
                workflow=wf.id,
                workflow_version=wf.version,
                started_on=received_on,
                requester=requester,
                requested_by=actor.user,
                setting=setting,
                reasons=reasons,
                family_views=_text(family_views, "family_views"),
                child_views=_text(child_views, "child_views"),
                received_how=received_how,
                received_note=_text(received_note, "received_note", 300),
            )
            _audit(
                actor,
                Action.CREATE,
                case,
                "EHC needs assessment requested",
                {
                    "requester": requester,
                    "received_on": received_on.isoformat(),
                    "received_how": received_how,
                },
            )
            stored.announce(case)
    except IntegrityError:
        # Two requests at the same moment: the other one won.
        raise OpenRequestExists(existing.get()) from None
    return case


def record_step(
    *,
    actor: Actor,
    case: Case,
    step: str,
    item: str = "",
    asked_on: date | None = None,
    done_on: date | None = None,
    outcome: str = "",
    note: str = "",
) -> CaseStep:
    """Record a step asked for (advice requested, a setting consulted, a meeting planned) or done
    (a decision with its outcome, advice received, a plan sent). Recording it again changes it."""
    today = timezone.localdate()
    if not case.is_open:
        raise StatutoryError("This case is closed")
    wf = workflow_of(case)
    try:
        spec = wf.step(step)
    except KeyError:
        raise StatutoryError("Choose a step of this case", "step") from None
    item = _text(item, "item", 120)
    if spec.repeats and not item:
        raise StatutoryError("Say who it was asked of", "item")
    if spec.items and item not in spec.items:
        raise StatutoryError("Choose who the advice is from", "item")
    if not spec.repeats:
        item = ""
    if spec.outcomes and done_on and outcome not in spec.outcomes:
        raise StatutoryError("Choose the decision", "outcome")
    if not spec.outcomes:
        outcome = ""
    if asked_on is None and done_on is None:
        raise StatutoryError("Enter a date", "done_on")
    _date(asked_on, "asked_on", case=case, today=today, name="The date asked")
    _date(done_on, "done_on", case=case, today=today, name="The date")
    if asked_on and done_on and done_on < asked_on:
        raise StatutoryError("The date done must be on or after the date asked", "done_on")
    note = _text(note, "note", NOTE_LIMIT)
    with transaction.atomic():
        row = CaseStep.objects.select_for_update().filter(case=case, step=step, item=item).first()
        before = (
            {"asked_on": row.asked_on, "done_on": row.done_on, "outcome": row.outcome}
            if row
            else {}
        )
        if row is None:
            row = CaseStep(case=case, step=step, item=item)
        row.asked_on = asked_on or row.asked_on
        row.done_on = done_on
        row.outcome = outcome
        row.note = note or row.note
        row.recorded_by = actor.user
        row.recorded_at = timezone.now()
        row.save()
        _bump(case)
        after = {"asked_on": row.asked_on, "done_on": row.done_on, "outcome": row.outcome}
        _audit(
            actor,
            Action.UPDATE if before else Action.CREATE,
            case,
            f"{spec.name}{': ' + spec.items.get(item, item) if item else ''} recorded",
            {
                "step": step,
                "item": item,
                "old": {k: str(v) if v else "" for k, v in before.items()},
                "new": {k: str(v) if v else "" for k, v in after.items()},
            },
        )
        _close_when_finished(actor, case, step, row)
    return row


def _close_when_finished(actor: Actor, case: Case, step: str, row: CaseStep) -> None:
    from vsend.statutory.services.plans import start_annual_review  # plans records steps too

    if row.done_on is None:
        return
    if case.kind == Kind.ASSESSMENT:
        if (step, row.outcome) == ("decision_to_assess", "not_assess"):
            _close(case, row.done_on, "Decided not to assess")
        elif (step, row.outcome) == ("decision_to_issue", "not_issue"):
            _close(case, row.done_on, "Decided not to issue a plan")
    elif case.kind == Kind.ANNUAL_REVIEW:
        ends = (step == "decision" and row.outcome in ("maintain", "cease")) or (
            step == "amended_plan"
        )
        if ends:
            _close(case, row.done_on, "Review finished")
            meeting = case.steps.filter(step="meeting", done_on__isnull=False).first()
            if (
                row.outcome != "cease"
                and case.plan is not None
                and meeting is not None
                and meeting.done_on is not None
            ):
                start_annual_review(actor=actor, plan=case.plan, from_date=meeting.done_on)
