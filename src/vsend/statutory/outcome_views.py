"""Changing and removing a plan's outcomes by area, for whoever manages the case. Thin: the
form in, statutory.services out; every write is audited there, every opening here."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vsend.accounts.roles import Perm
from vsend.audit.services import actor_from_request
from vsend.config.forms import error_list
from vsend.statutory import selectors, services
from vsend.statutory.forms import PlanOutcomeForm, area_choices
from vsend.statutory.models import EhcPlan, PlanOutcome
from vsend.statutory.plan_views import _plan_shown
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once


def _plan_url(plan: EhcPlan) -> str:
    return reverse("statutory:plan", kwargs={"pk": plan.pk}) + "#outcomes"


def area_names(keys: list[str]) -> list[str]:
    names = dict(area_choices())
    return [names[k] for k in names if k in set(keys)]


def _outcome(plan: EhcPlan, outcome_pk: int) -> PlanOutcome:
    row = plan.outcomes.filter(pk=outcome_pk).first()
    if row is None:
        raise Http404("No outcome found")
    return row


@require_http_methods(["GET", "HEAD", "POST"])
def edit_outcome(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_CASE)
    if request.method == "POST" and (done := earlier_result(request)):
        return redirect(done)  # a second click after the first went through
    if plan.ceased_on is not None:
        return redirect(_plan_url(plan))
    row = _outcome(plan, outcome_pk)
    initial = {
        "areas": row.areas,
        "outcome": row.outcome,
        "provision": row.provision,
        "by_when": row.by_when,
    }
    form = PlanOutcomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def change() -> str:
            services.update_plan_outcome(
                actor=actor,
                plan=plan,
                outcome_id=row.pk,
                areas=data["areas"],
                outcome=data["outcome"],
                provision=data["provision"],
                by_when=data.get("by_when"),
            )
            return _plan_url(plan)

        try:
            return redirect(submit_once(request, change))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.StatutoryError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    _plan_shown(actor, plan, "Change plan outcome form opened")
    return render(
        request,
        "statutory/plan_outcome.html",
        {
            "form": form,
            "errors": error_list(form) if form.is_bound and form.errors else [],
            "plan": plan,
            "child": plan.child,
            "editing": row,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def remove_outcome(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    """A page asking to confirm, then the removal. A second click finds it gone and goes back
    to the plan; coming back to the page afterwards says it has gone."""
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_CASE)
    if request.method == "POST":
        if plan.ceased_on is None:
            services.remove_plan_outcome(actor=actor, plan=plan, outcome_id=outcome_pk)
        return redirect(_plan_url(plan))
    if plan.ceased_on is not None:
        return redirect(_plan_url(plan))
    row = plan.outcomes.filter(pk=outcome_pk).first()  # None: removed already (back button)
    _plan_shown(actor, plan, "Remove plan outcome page opened")
    return render(
        request,
        "statutory/plan_outcome_remove.html",
        {
            "plan": plan,
            "child": plan.child,
            "row": row,
            "area_names": area_names(row.areas if row else []),
        },
    )
