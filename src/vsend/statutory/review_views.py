"""Pages for a plan's outcomes by area, a review's preparing-for-adulthood part, a request that
arrived by letter or email, and withdrawing a request. Thin: forms in, services out."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.children import selectors as children
from vsend.config.forms import error_list
from vsend.statutory import selectors, services
from vsend.statutory.forms import (
    AdulthoodForm,
    PlanOutcomeForm,
    ReceivedRequestForm,
    WithdrawForm,
)
from vsend.statutory.models import PFA_PARTS, Requester, WithdrawnBy
from vsend.statutory.plan_views import _plan_shown
from vsend.statutory.views import _record_page
from vsend.submissions.services import AlreadySubmitted, submit_once


def _page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    errors = error_list(form) if form.is_bound and form.errors else []
    return render(request, template, {"form": form, "errors": errors, **context})


def _form_error(form: Any, exc: services.StatutoryError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_CASE)
    form = PlanOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def make() -> str:
            services.add_plan_outcome(
                actor=actor,
                plan=plan,
                areas=data["areas"],
                outcome=data["outcome"],
                provision=data["provision"],
                by_when=data.get("by_when"),
            )
            return reverse("statutory:plan", kwargs={"pk": plan.pk}) + "#by-area"

        try:
            return redirect(submit_once(request, make))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.StatutoryError as exc:
            _form_error(form, exc)
    _plan_shown(actor, plan, "Plan outcome form opened")
    return _page(request, "statutory/plan_outcome.html", form, plan=plan, child=plan.child)


@require_http_methods(["GET", "HEAD", "POST"])
def adulthood(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.PREPARE_REVIEW)
    if case.kind != "annual_review":
        raise Http404("Only an annual review has this part")
    existing = getattr(case, "adulthood", None)
    initial = {k: getattr(existing, k) for k in PFA_PARTS} if existing else None
    form = AdulthoodForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_adulthood(actor=actor, review=case, parts=form.cleaned_data)
        except services.StatutoryError as exc:
            _form_error(form, exc)
        else:
            return redirect(reverse("statutory:case", kwargs={"pk": case.pk}) + "#adulthood")
    return _record_page(request, case, "statutory/adulthood.html", form)


@require_http_methods(["GET", "HEAD", "POST"])
def received_request(request: HttpRequest, child_pk: int) -> HttpResponse:
    """A caseworker enters a request that came by letter or email, with the day it arrived."""
    actor = actor_from_request(request)
    child = children.get_child_for(actor, child_pk, Perm.MANAGE_CASE)
    open_case = child.statutory_cases.filter(kind="assessment", closed_on__isnull=True).first()
    if open_case is not None:
        return redirect("statutory:case", pk=open_case.pk)  # a second request goes to the first
    form = ReceivedRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        setting = None
        if data["requester"] == Requester.SETTING:
            enrolment = children.current_enrolment(child)
            setting = enrolment.setting if enrolment else None

        def make() -> str:
            case = services.request_assessment(
                actor=actor,
                child=child,
                requester=data["requester"],
                reasons=data["reasons"],
                family_views=data["family_views"],
                child_views=data["child_views"],
                setting=setting,
                received_on=data["received_on"],
                received_how=data["received_how"],
                received_note=data["received_note"],
            )
            return reverse("statutory:case", kwargs={"pk": case.pk})

        try:
            return redirect(submit_once(request, make))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.OpenRequestExists as exc:
            return redirect("statutory:case", pk=exc.case.pk)
        except services.StatutoryError as exc:
            _form_error(form, exc)
    record(actor, Action.VIEW, obj=child, summary="Request received by letter page opened")
    return _page(request, "statutory/received_request.html", form, child=child)


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The family or the setting that asked withdraws the request (or a caseworker records that
    they did): the case closes and nothing more is due."""
    actor = actor_from_request(request)
    case = selectors.get_case_for(actor, pk, Perm.VIEW_CASE)
    policy = AccessPolicy.for_request(request)
    manages = policy.can(Perm.MANAGE_CASE, case.child_id)
    if not manages:
        selectors.require_on_case(actor, case, Perm.REQUEST_ASSESSMENT)
    if case.kind != "assessment":
        raise Http404("Only a request can be withdrawn")
    if not case.is_open:
        return redirect("statutory:case", pk=case.pk)
    as_family = selectors.is_family_view(policy, case.child_id)
    fixed_by = "" if manages else (WithdrawnBy.FAMILY if as_family else WithdrawnBy.SETTING)
    if fixed_by == WithdrawnBy.SETTING and case.requester != Requester.SETTING:
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="statutory_case",
            object_id=case.pk,
            child_id=case.child_id,
            summary="Only the family can withdraw a request the setting did not make",
        )
        raise PermissionDenied
    form = WithdrawForm(request.POST or None, fixed_by=fixed_by)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.withdraw(
                actor=actor,
                case=case,
                on=data["on"],
                by=fixed_by or data["by"],
                reason=data["reason"],
                as_family=as_family,
            )
        except services.StatutoryError as exc:
            _form_error(form, exc)
        else:
            return redirect("statutory:case", pk=case.pk)
    return _record_page(request, case, "statutory/withdraw.html", form, as_family=as_family)
