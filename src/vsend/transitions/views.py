"""Pages of transition plans: the list, starting a plan, the plan (staff and family), recording
steps, reviews and the outcome. Thin: forms in, services and selectors out."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown, refuse_role
from vsend.children import selectors as children
from vsend.config.forms import error_list
from vsend.organisations.models import Setting, SettingStatus
from vsend.submissions.services import AlreadySubmitted, submit_once
from vsend.transitions import selectors, services
from vsend.transitions.forms import EndForm, ReceivingForm, ReviewForm, StartForm, StepForm
from vsend.workflows.pages import RecordPages

PAGES = RecordPages(
    key="plan", object_type="transition_plan", form_opened="Transition plan form opened"
)
_shown = PAGES.shown
_form_page = PAGES.form_page


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    actor = actor_from_request(request)
    if not policy.can_anywhere(Perm.MANAGE_TRANSITION):
        refuse_role(actor, Perm.MANAGE_TRANSITION)
    today = timezone.localdate()
    plans = list(
        selectors.plans_for(policy, Perm.MANAGE_TRANSITION)
        .prefetch_related("steps")
        .order_by("ended_on", "-started_on", "pk")[:500]
    )
    rows = [(p, selectors.next_action(p, selectors.milestones(p, today))) for p in plans]
    record_children_shown(
        actor,
        [p.child for p in plans],
        object_type="transition_list",
        summary="Transition plans listed",
    )
    return render(request, "transitions/list.html", {"rows": rows, "today": today})


@require_http_methods(["GET", "HEAD", "POST"])
def start_plan(request: HttpRequest, child_pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = children.get_child_for(actor, child_pk, Perm.MANAGE_TRANSITION)
    policy = AccessPolicy.for_request(request)
    own = {m.setting_id for m in policy.memberships if m.setting_id is not None}
    current = [e.setting for e in children.current_enrolments(child)]
    sending = [s for s in current if s.pk in own] or current
    if not sending:
        record(actor, Action.ACCESS_REFUSED, obj=child, summary="The child is on no setting's roll")
        raise PermissionDenied
    receiving = _others(child.authority_id, [s.pk for s in sending])
    form = StartForm(sending, receiving, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {str(s.pk): s for s in [*sending, *receiving]}

        def make() -> str:
            plan = services.start_plan(
                actor=actor,
                child=child,
                template=data["template"],
                sending_setting=by_pk[data["sending_setting"]],
                receiving_setting=by_pk.get(data["receiving_setting"] or ""),
                started_on=data["started_on"],
                note=data["note"],
            )
            return reverse("transitions:plan", kwargs={"pk": plan.pk})

        try:
            return redirect(submit_once(request, make))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    record(actor, Action.VIEW, obj=child, summary="Start a transition plan page opened")
    return render(
        request,
        "transitions/start.html",
        {"child": child, "form": form, "errors": error_list(form) if form.errors else []},
    )


def _others(authority_id: int, leave_out: list[int]) -> list[Setting]:
    """The authority's open settings a child could move to."""
    return list(
        Setting.objects.filter(authority_id=authority_id, status=SettingStatus.OPEN)
        .exclude(pk__in=leave_out)
        .only("name")
        .order_by("name")
    )


@require_safe
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk)
    policy = AccessPolicy.for_request(request)
    today = timezone.localdate()
    ms = selectors.milestones(plan, today)
    _shown(actor, plan, "Transition plan opened")
    context: dict[str, Any] = {
        "plan": plan,
        "child": plan.child,
        "workflow": services.template_of(plan),
        "milestones": ms,
        "next": selectors.next_action(plan, ms),
        "reviews": list(plan.reviews.all()),
        "today": today,
        "referral": selectors.referral(policy, plan),
    }
    if selectors.is_family_view(policy, plan):
        context["family_steps"] = selectors.family_steps(ms)
        return render(request, "transitions/family_plan.html", context)
    context["can_manage"] = selectors.may_manage(policy, plan)
    context["who_of"] = lambda key: selectors.who_acts(plan, key)
    return render(request, "transitions/plan.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def record_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_TRANSITION)
    try:
        spec = services.template_of(plan).step(step)
    except KeyError:
        raise Http404("No such step") from None
    if spec.every is not None:
        return redirect("transitions:review", pk=plan.pk)
    form = StepForm(spec, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_step(
                actor=actor,
                plan=plan,
                step=step,
                done_on=data["done_on"],
                outcome=data.get("outcome", ""),
                note=data["note"],
            )
        except services.TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, plan, "transitions/record_step.html", form, step=spec)


@require_http_methods(["GET", "HEAD", "POST"])
def record_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_TRANSITION)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_review(
                actor=actor,
                plan=plan,
                held_on=data["held_on"],
                notes=data["notes"],
                decision=data["decision"],
            )
        except services.TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, plan, "transitions/review.html", form)


@require_http_methods(["GET", "HEAD", "POST"])
def end_plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_TRANSITION)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.end_plan(
                actor=actor,
                plan=plan,
                outcome=data["outcome"],
                ended_on=data["ended_on"],
                note=data["note"],
            )
        except services.TransitionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, plan, "transitions/end.html", form)


@require_http_methods(["GET", "HEAD", "POST"])
def change_receiving(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    plan = selectors.get_plan_for(actor, pk, Perm.MANAGE_TRANSITION)
    choices = _others(plan.child.authority_id, [plan.sending_setting_id])
    initial = {"receiving_setting": str(plan.receiving_setting_id or "")}
    form = ReceivingForm(choices, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = next(
            (s for s in choices if str(s.pk) == form.cleaned_data["receiving_setting"]), None
        )
        try:
            services.set_receiving(actor=actor, plan=plan, setting=chosen)
        except services.TransitionError as exc:
            form.add_error("receiving_setting", exc.message)
        else:
            return redirect("transitions:plan", pk=plan.pk)
    return _form_page(request, plan, "transitions/receiving.html", form)
