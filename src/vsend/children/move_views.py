"""Pages for moving a child between settings (ADR 20). Thin: the policy decides who may, the
services make each move in one transaction with its audit row."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.children import selectors, services
from vsend.children.move_forms import JoinForm, LeavingForm, TransferForm
from vsend.children.services import Placement
from vsend.children.views import _require
from vsend.config.forms import error_list
from vsend.organisations.models import Setting
from vsend.organisations.selectors import settings_visible_to
from vsend.submissions.services import AlreadySubmitted, submit_once


def _placement(data: dict) -> Placement:
    return Placement(data["setting"], data["year"], data["school_class"], data["started_on"])


@require_http_methods(["GET", "HEAD", "POST"])
def record_leaving(request: HttpRequest, pk: int) -> HttpResponse:
    """The leaving setting records the child's last day and where they are going."""
    actor = actor_from_request(request)
    policy = AccessPolicy.for_request(request)
    child = selectors.get_child_for(actor, pk, Perm.CHANGE_CHILD)
    enrolments = selectors.leaving_enrolments(policy, child)
    if not enrolments:
        record(
            actor,
            Action.ACCESS_REFUSED,
            obj=child,
            summary="Not on the roll of a setting the user runs",
            detail={"permission": Perm.CHANGE_CHILD, "reason": "not_on_roll"},
        )
        raise PermissionDenied
    destinations = Setting.objects.filter(authority_id=child.authority_id).order_by("name")
    form = LeavingForm(request.POST or None, enrolments=enrolments, destinations=destinations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_leaving(
            actor=actor,
            enrolment=data["enrolment"],
            left_on=data["left_on"],
            destination_setting=data["destination_setting"],
            destination=data["destination"],
        )
        if policy.find_child(child.pk) is None:  # left already: no longer theirs to open
            return redirect(reverse("children:list"))
        return redirect("children:detail", pk=child.pk)
    record(actor, Action.VIEW, obj=child, summary="Leaving form opened")
    return render(
        request,
        "children/leaving.html",
        {"child": child, "form": form, "errors": error_list(form) if form.is_bound else []},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """A child joining the user's setting, found by exactly their UPN and date of birth."""
    _require(request, Perm.CHANGE_CHILD)
    policy = AccessPolicy.for_request(request)
    settings_qs = settings_visible_to(request.user, Perm.CHANGE_CHILD)
    form = JoinForm(request.POST or None, settings_qs=settings_qs)
    joined = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = actor_from_request(request)
        if not policy.may_change_roll(data["setting"]):  # the form's list allows only these
            raise PermissionDenied

        def add() -> str:
            transfer = services.join_child(
                actor=actor, upn=data["upn"], born=data["date_of_birth"], placement=_placement(data)
            )
            return reverse("children:joined", kwargs={"pk": transfer.pk})

        try:
            return redirect(submit_once(request, add))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except services.AlreadyOnRoll as already:
            joined = already.child if policy.find_child(already.child.pk) else None
            form.add_error(None, f"This child is already joining or on roll at {data['setting']}")
        except services.CannotJoin as refused:
            services.refuse_join(actor, data["setting"], refused)
            form.add_error(
                None,
                services.CANNOT_JOIN.format(
                    setting=data["setting"], authority=data["setting"].authority
                ),
            )
    return render(
        request,
        "children/join.html",
        {"form": form, "errors": error_list(form) if form.is_bound else [], "joined": joined},
    )


@require_http_methods(["GET", "HEAD"])
def joined(request: HttpRequest, pk: int) -> HttpResponse:
    """After a child is found: when they join (the record opens from that day)."""
    _require(request, Perm.CHANGE_CHILD)
    transfer = selectors.transfer_made_by(request.user, pk)
    return render(
        request,
        "children/joined.html",
        {"transfer": transfer, "open_now": transfer.starts_on <= selectors.today()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """The authority moves a child to another of its settings (or registers them at two)."""
    actor = actor_from_request(request)
    child = selectors.get_child_for(actor, pk, Perm.TRANSFER_CHILD)
    settings_qs = Setting.objects.filter(authority_id=child.authority_id).order_by("name")
    form = TransferForm(request.POST or None, settings_qs=settings_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.transfer_child(
                actor=actor, child=child, placement=_placement(data), dual=data["dual"]
            )
        except services.AlreadyOnRoll:
            form.add_error("setting", f"{child.full_name} is already on roll at {data['setting']}")
        else:
            return redirect("children:detail", pk=child.pk)
    record(actor, Action.VIEW, obj=child, summary="Transfer form opened")
    return render(
        request,
        "children/transfer.html",
        {
            "child": child,
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "enrolments": selectors.current_enrolments(child),
        },
    )
