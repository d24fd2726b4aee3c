"""Writes for EHC plans and annual reviews: issuing the final plan (which closes the
assessment and starts the review clock), changing its sections, ending it."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from vsend.audit.models import Action
from vsend.audit.services import Actor, record
from vsend.children.models import Child
from vsend.organisations.models import Setting
from vsend.statutory import stored
from vsend.statutory.models import ANNUAL_REVIEW, PLAN_SECTIONS, Case, CeaseReason, EhcPlan, Kind
from vsend.statutory.services.cases import record_step
from vsend.statutory.services.common import StatutoryError, _audit, _close, _text
from vsend.workflows.definitions import definition


@dataclass(frozen=True)
class PlanDetails:
    issued_on: date
    start_date: date
    named_setting: Setting | None = None
    sen_setting: str = ""
    personal_budget: bool = False
    direct_payments: bool = False
    organised: bool = False


def issue_final_plan(
    *, actor: Actor, case: Case, details: PlanDetails, sections: dict[str, str] | None = None
) -> EhcPlan:
    """The final plan: the last step of the assessment, which closes it and starts the clock of
    the plan's first annual review."""
    if case.kind != Kind.ASSESSMENT:
        raise StatutoryError("Only an assessment issues a plan")
    if hasattr(case, "issued_plan"):
        return case.issued_plan  # issued already (a double submit): the same plan
    if details.named_setting is None and not details.sen_setting:
        raise StatutoryError("Name the setting, or the kind of arrangement", "named_setting")
    if details.start_date < details.issued_on:
        raise StatutoryError("The plan cannot start before it is issued", "start_date")
    texts = {k: _text((sections or {}).get(k, ""), f"section_{k}") for k in PLAN_SECTIONS}
    with transaction.atomic():
        record_step(actor=actor, case=case, step="final_plan", done_on=details.issued_on)
        plan = EhcPlan.objects.create(
            child=case.child,
            assessment=case,
            issued_on=details.issued_on,
            start_date=details.start_date,
            named_setting=details.named_setting,
            sen_setting=details.sen_setting,
            personal_budget=details.personal_budget,
            personal_budget_direct_payments=details.direct_payments,
            personal_budget_organised=details.organised,
            **{f"section_{k}": v for k, v in texts.items()},
        )
        _close(case, details.issued_on, "Final plan issued")
        _audit(actor, Action.CREATE, case, "Final EHC plan issued", {"plan": plan.pk})
        Child.objects.filter(pk=case.child_id).update(sen_provision="E")
        start_annual_review(actor=actor, plan=plan, from_date=details.issued_on)
    return plan


def start_annual_review(*, actor: Actor, plan: EhcPlan, from_date: date) -> Case:
    wf = definition(ANNUAL_REVIEW)
    case = Case.objects.create(
        child=plan.child,
        kind=Kind.ANNUAL_REVIEW,
        workflow=wf.id,
        workflow_version=wf.version,
        started_on=from_date,
        plan=plan,
    )
    _audit(actor, Action.CREATE, case, "Annual review clock started", {"plan": plan.pk})
    stored.announce(case)
    return case


def update_plan(*, actor: Actor, plan: EhcPlan, version: int, sections: dict[str, str]) -> EhcPlan:
    """Change the plan's sections; a save from a stale copy is refused."""
    texts = {k: _text(sections.get(k, ""), f"section_{k}") for k in PLAN_SECTIONS}
    with transaction.atomic():
        changed = {k: v for k, v in texts.items() if getattr(plan, f"section_{k}") != v}
        updated = EhcPlan.objects.filter(pk=plan.pk, version=version).update(
            version=version + 1, **{f"section_{k}": v for k, v in texts.items()}
        )
        if not updated:
            raise StatutoryError(
                "Someone else saved this plan while you were working on it. Your text is shown "
                "below: check the plan, then save again."
            )
        plan.refresh_from_db()
        record(
            actor,
            Action.UPDATE,
            object_type="ehc_plan",
            object_id=plan.pk,
            child_id=plan.child_id,
            authority_id=plan.child.authority_id,
            summary="EHC plan sections changed",
            detail={"sections": sorted(changed)},
        )
    return plan


def cease_plan(*, actor: Actor, plan: EhcPlan, ceased_on: date, reason: int) -> None:
    if reason not in CeaseReason.values:
        raise StatutoryError("Choose why the plan ended", "reason")
    if ceased_on < plan.issued_on:
        raise StatutoryError("A plan cannot end before it was issued", "ceased_on")
    with transaction.atomic():
        EhcPlan.objects.filter(pk=plan.pk).update(ceased_on=ceased_on, cease_reason=reason)
        plan.ceased_on, plan.cease_reason = ceased_on, reason
        for review in plan.reviews.filter(closed_on__isnull=True):
            _close(review, ceased_on, "Plan ceased")
        record(
            actor,
            Action.UPDATE,
            object_type="ehc_plan",
            object_id=plan.pk,
            child_id=plan.child_id,
            authority_id=plan.child.authority_id,
            summary="EHC plan ceased",
            detail={"ceased_on": str(ceased_on), "reason": reason},
        )
