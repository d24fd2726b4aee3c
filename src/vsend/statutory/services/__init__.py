"""Writes on the statutory pathway: each one transaction and one audit row, refused with a
message that says what to change (StatutoryError) rather than a 500."""

import hashlib
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vsend.audit.models import Action
from vsend.audit.services import Actor, english, record
from vsend.children.models import Child
from vsend.organisations.models import Setting
from vsend.statutory import stored
from vsend.statutory.models import (
    ASSESSMENT,
    NOTE_LIMIT,
    TEXT_LIMIT,
    Appeal,
    AppealAbout,
    AppealKind,
    Case,
    CaseDocument,
    CaseStep,
    ClockException,
    Kind,
    LetterKind,
    Received,
    Requester,
)
from vsend.workflows.definitions import Definition, definition

YOUNG_PERSON_AGES = (16, 25)
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# What a decision letter or plan may be: checked by the file's first bytes, not its name.
DOCUMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class StatutoryError(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class OpenRequestExists(Exception):
    """The child already has a request being considered: a second goes to it."""

    def __init__(self, case: Case) -> None:
        super().__init__(case.pk)
        self.case = case


def workflow_of(case: Case) -> Definition:
    return definition(case.workflow)


def _audit(
    actor: Actor, action: str, case: Case, summary: str, detail: dict[str, Any] | None = None
) -> None:
    record(
        actor,
        action,
        object_type="statutory_case",
        object_id=case.pk,
        child_id=case.child_id,
        authority_id=case.child.authority_id,
        summary=summary,
        detail=detail or {},
    )


def _text(value: str, field: str, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise StatutoryError(f"Use {limit:,} characters or fewer", field)
    return value


def _date(value: date | None, field: str, *, case: Case | None, today: date, name: str) -> None:
    if value is None:
        return
    if value > today:
        raise StatutoryError(f"{name} must be today or in the past", field)
    if case is not None and value < case.started_on:
        raise StatutoryError(
            f"{name} must be on or after {case.started_on:%-d %B %Y}, when the case began", field
        )


def _bump(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    case.version += 1
    stored.announce(case)  # the stored timeliness figures follow (ADR 25)


# Requests


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


# Steps, decisions and outcomes


def _close(case: Case, on: date, reason: str) -> None:
    case.closed_on, case.closed_reason = on, reason[:200]
    Case.objects.filter(pk=case.pk).update(closed_on=on, closed_reason=case.closed_reason)


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


# Exceptions


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


# Letters and plans as files


def add_document(
    *, actor: Actor, case: Case, kind: str, filename: str, data: bytes
) -> CaseDocument:
    if kind not in LetterKind.values:
        raise StatutoryError("Choose what the letter is", "kind")
    if not data:
        raise StatutoryError("The file is empty", "file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise StatutoryError(
            f"The file must be smaller than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", "file"
        )
    content_type = next((t for magic, t in DOCUMENT_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise StatutoryError("The file must be a PDF or a Word document (.docx)", "file")
    safe = "".join(c for c in filename if c.isalnum() or c in " ._-")[-100:].strip() or "letter"
    digest = hashlib.sha256(data).hexdigest()
    existing = case.documents.filter(sha256=digest).first()
    if existing is not None:
        return existing  # the same file again (a double submit, a retry): kept once
    with transaction.atomic():
        doc = CaseDocument.objects.create(
            case=case,
            kind=kind,
            filename=safe,
            content_type=content_type,
            content=data,
            size=len(data),
            sha256=digest,
            uploaded_by=actor.user,
        )
        _audit(
            actor,
            Action.CREATE,
            case,
            f"Letter added: {english(doc.get_kind_display())}",
            {"document": doc.pk, "size": doc.size, "sha256": digest},
        )
    return doc


# Mediation and tribunal


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


# Plans and annual reviews live in services/plans.py (re-exported here).
from vsend.statutory.services.outcomes import (  # noqa: E402
    add_plan_outcome,
    adulthood_applies,
    record_adulthood,
    remove_plan_outcome,
    update_plan_outcome,
)
from vsend.statutory.services.plans import (  # noqa: E402
    PlanDetails,
    cease_plan,
    issue_final_plan,
    start_annual_review,
    update_plan,
)
from vsend.statutory.services.withdrawal import withdraw  # noqa: E402

__all__ = [
    "OpenRequestExists",
    "PlanDetails",
    "StatutoryError",
    "add_document",
    "add_plan_outcome",
    "adulthood_applies",
    "record_adulthood",
    "remove_plan_outcome",
    "cease_plan",
    "end_exception",
    "issue_final_plan",
    "record_appeal",
    "record_exception",
    "record_step",
    "request_assessment",
    "start_annual_review",
    "update_plan",
    "update_plan_outcome",
    "withdraw",
]
