"""Writes on transition plans: each one transaction and one audit row, refused with a message
that says what to change (TransitionError) rather than a 500, and safe to repeat: starting a
plan twice finds the first, a step or review recorded twice is one row (ADR 13)."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.organisations.models import Setting
from vsend.transitions.models import (
    NOTE_LIMIT,
    Decision,
    Outcome,
    Sharing,
    Template,
    TransitionPlan,
    TransitionReview,
    TransitionStep,
)
from vsend.workflows.definitions import Definition, definition

REVIEW_STEP = "review"
DECISION_STEP = "decision"


class TransitionError(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def template_of(plan: TransitionPlan) -> Definition:
    return definition(plan.template)


def _audit(
    actor: Actor, action: str, plan: TransitionPlan, summary: str, detail: dict[str, Any]
) -> None:
    record(
        actor,
        action,
        object_type="transition_plan",
        object_id=plan.pk,
        child_id=plan.child_id,
        authority_id=plan.child.authority_id,
        summary=summary,
        detail=detail,
    )


def _note(value: str, field: str = "note") -> str:
    value = (value or "").strip()
    if len(value) > NOTE_LIMIT:
        raise TransitionError(f"Use {NOTE_LIMIT:,} characters or fewer", field)
    return value


def _when(value: date | None, field: str, plan: TransitionPlan | None, name: str) -> date:
    if value is None:
        raise TransitionError(f"Enter the date {name}", field)
    if value > timezone.localdate():
        raise TransitionError(f"The date {name} must be today or in the past", field)
    if plan is not None and value < plan.started_on:
        raise TransitionError(
            f"The date {name} must be on or after {plan.started_on:%-d %B %Y}, when the plan began",
            field,
        )
    return value


def _open(plan: TransitionPlan) -> None:
    if not plan.is_open:
        raise TransitionError("This plan has ended: nothing more can be recorded on it")


def start_plan(
    *,
    actor: Actor,
    child: Child,
    template: str,
    sending_setting: Setting,
    receiving_setting: Setting | None,
    started_on: date | None,
    note: str = "",
) -> TransitionPlan:
    """Start a plan; if the child already has an open plan of this kind, that plan is returned
    (a double click, or two people starting it at once)."""
    if template not in Template.values:
        raise TransitionError("Choose the kind of transition plan", "template")
    started_on = _when(started_on, "started_on", None, "the child was put forward")
    if receiving_setting is not None:
        if receiving_setting.pk == sending_setting.pk:
            raise TransitionError(
                "The receiving setting must be another setting", "receiving_setting"
            )
        if receiving_setting.authority_id != child.authority_id:
            raise TransitionError("Choose a setting in the authority", "receiving_setting")
    note = _note(note)
    wf = definition(template)
    existing = TransitionPlan.objects.filter(
        child=child, template=template, ended_on__isnull=True
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            plan = TransitionPlan.objects.create(
                child=child,
                template=template,
                template_version=wf.version,
                started_on=started_on,
                sending_setting=sending_setting,
                receiving_setting=receiving_setting,
                started_by=actor.user,
                note=note,
            )
            _audit(
                actor,
                Action.CREATE,
                plan,
                f"{wf.name} plan started",
                {
                    "template": template,
                    "version": wf.version,
                    "sending_setting": sending_setting.pk,
                    "receiving_setting": receiving_setting.pk if receiving_setting else None,
                },
            )
    except IntegrityError:
        return TransitionPlan.objects.get(child=child, template=template, ended_on__isnull=True)
    return plan


def set_receiving(*, actor: Actor, plan: TransitionPlan, setting: Setting | None) -> TransitionPlan:
    """Name (or change) the receiving setting: its SENDCo then sees the plan."""
    _open(plan)
    if setting is not None and (
        setting.pk == plan.sending_setting_id or setting.authority_id != plan.child.authority_id
    ):
        raise TransitionError("Choose another setting in the authority", "receiving_setting")
    new_id = setting.pk if setting is not None else None
    if new_id == plan.receiving_setting_id:
        return plan  # no change (a double submit)
    with transaction.atomic():
        old_id = plan.receiving_setting_id
        TransitionPlan.objects.filter(pk=plan.pk).update(
            receiving_setting_id=new_id, version=plan.version + 1
        )
        plan.refresh_from_db()
        _audit(
            actor,
            Action.UPDATE,
            plan,
            "Transition plan's receiving setting changed",
            {"receiving_setting": {"old": old_id, "new": new_id}},
        )
    return plan


def record_step(
    *,
    actor: Actor,
    plan: TransitionPlan,
    step: str,
    done_on: date | None,
    outcome: str = "",
    note: str = "",
) -> TransitionStep:
    """Mark one step done (again: the same row is changed). The decision step's outcome ends
    the plan with that outcome."""
    _open(plan)
    wf = template_of(plan)
    try:
        spec = wf.step(step)
    except KeyError:
        raise TransitionError("No such step in this plan") from None
    if spec.every is not None:
        raise TransitionError("Record a review with its notes and decision", "step")
    done_on = _when(done_on, "done_on", plan, "it was done")
    if spec.outcomes and outcome not in spec.outcomes:
        raise TransitionError("Choose what was decided", "outcome")
    if not spec.outcomes:
        outcome = ""
    note = _note(note)
    try:
        return _save_step(actor, plan, spec.name, step, done_on, outcome, note)
    except IntegrityError:
        # Two saves at once (a double click): the row the first one made, saved again.
        return _save_step(actor, plan, spec.name, step, done_on, outcome, note)


def _save_step(
    actor: Actor,
    plan: TransitionPlan,
    name: str,
    step: str,
    done_on: date,
    outcome: str,
    note: str,
) -> TransitionStep:
    with transaction.atomic():
        row, created = TransitionStep.objects.update_or_create(
            plan=plan,
            step=step,
            item="",
            defaults={
                "done_on": done_on,
                "outcome": outcome,
                "note": note,
                "recorded_by": actor.user,
                "recorded_at": timezone.now(),
            },
        )
        _audit(
            actor,
            Action.CREATE if created else Action.UPDATE,
            plan,
            f"Transition step recorded: {name}",
            {"step": step, "done_on": str(done_on), "outcome": outcome},
        )
        if step == DECISION_STEP and outcome:
            end_plan(actor=actor, plan=plan, outcome=outcome, ended_on=done_on)
        elif step == "annual_review" and outcome == "not_now":
            end_plan(actor=actor, plan=plan, outcome=Outcome.STAYED, ended_on=done_on)
    return row


def record_review(
    *, actor: Actor, plan: TransitionPlan, held_on: date | None, notes: str, decision: str
) -> TransitionReview:
    """A review meeting; it marks the plan's next review done. The same day twice is one
    review (a double click)."""
    _open(plan)
    held_on = _when(held_on, "held_on", plan, "the review was held")
    notes = _note(notes, "notes")
    if not notes:
        raise TransitionError("Write what was discussed at the review", "notes")
    if decision not in Decision.values:
        raise TransitionError("Choose what the review decided", "decision")
    existing = plan.reviews.filter(held_on=held_on).first()
    if existing is not None:
        return existing
    try:
        return _add_review(actor, plan, held_on, notes, decision)
    except IntegrityError:
        # Two saves at once (a double click): the first one's review.
        existing = plan.reviews.filter(held_on=held_on).first()
        if existing is None:
            raise TransitionError(
                "Someone recorded a review at the same moment: check the plan and try again"
            ) from None
        return existing


def _add_review(
    actor: Actor, plan: TransitionPlan, held_on: date, notes: str, decision: str
) -> TransitionReview:
    with transaction.atomic():
        review = TransitionReview.objects.create(
            plan=plan, held_on=held_on, notes=notes, decision=decision, recorded_by=actor.user
        )
        wf = template_of(plan)
        if any(s.key == REVIEW_STEP for s in wf.steps):
            n = plan.steps.filter(step=REVIEW_STEP).count() + 1
            TransitionStep.objects.create(
                plan=plan,
                step=REVIEW_STEP,
                item=str(n),
                done_on=held_on,
                note=notes[:NOTE_LIMIT],
                recorded_by=actor.user,
            )
        _audit(
            actor,
            Action.CREATE,
            plan,
            "Transition review recorded",
            {"held_on": str(held_on), "decision": decision},
        )
    return review


def end_plan(
    *, actor: Actor, plan: TransitionPlan, outcome: str, ended_on: date | None, note: str = ""
) -> TransitionPlan:
    """End the plan with its outcome (the decision step does this; a plan may also end early)."""
    if outcome not in Outcome.values:
        raise TransitionError("Choose the outcome", "outcome")
    if not plan.is_open:
        return plan  # ended already (a double submit)
    ended_on = _when(ended_on, "ended_on", plan, "the plan ended")
    note = _note(note)
    with transaction.atomic():
        updated = TransitionPlan.objects.filter(pk=plan.pk, ended_on__isnull=True).update(
            ended_on=ended_on, outcome=outcome, note=note or plan.note, version=plan.version + 1
        )
        if updated:
            plan.refresh_from_db()
            _audit(
                actor,
                Action.UPDATE,
                plan,
                "Transition plan ended",
                {"outcome": outcome, "ended_on": str(ended_on)},
            )
    return plan


def record_shared(*, actor: Actor, child: Child, setting: Setting) -> Sharing:
    """The child's profile and plan were sent to the setting they move to next (today); the
    same again keeps the first date."""
    with transaction.atomic():
        row, created = Sharing.objects.get_or_create(
            child=child,
            setting=setting,
            defaults={"shared_on": timezone.localdate(), "recorded_by": actor.user},
        )
        if created:
            record(
                actor,
                Action.CREATE,
                object_type="phase_transfer_sharing",
                object_id=row.pk,
                child_id=child.pk,
                authority_id=child.authority_id,
                summary="Profile and plan recorded as sent to the receiving setting",
                detail={"setting": setting.pk},
            )
    return row
