"""Groups and places: starting a group (from the catalogue or from a plan action), a group's page
with its children and sessions, recording missed sessions, adding a child."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vsend.accounts.policy import AccessPolicy
from vsend.audit.services import actor_from_request, record_children_shown
from vsend.config.forms import error_list
from vsend.insights.terms import term_containing
from vsend.provision import selectors, services
from vsend.provision.costs import terms_between
from vsend.provision.forms import AddChildForm, GroupForm, JoinGroupForm, MissedForm
from vsend.provision.maps import child_map, domain_names
from vsend.provision.models import MissedReason, ProvisionGroup
from vsend.provision.selectors import setting_children
from vsend.provision.views_catalogue import once


def _group_page(
    request: HttpRequest, setting: Any, form: GroupForm, template: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "setting": setting,
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            **extra,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    choices = setting_children(setting)
    form = GroupForm(request.POST or None, setting=setting, children=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> str:
            group = services.start_group(
                actor=actor_from_request(request),
                provision=data["provision"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                child_ids=[int(c) for c in data["children"]],
            )
            return reverse("provision:group", kwargs={"pk": group.pk})

        return once(request, add)
    record_children_shown(
        actor_from_request(request), _children(choices), summary="Children to choose for a group"
    )
    return _group_page(request, setting, form, "provision/group_form.html")


def _children(choices: list[tuple[str, str]]) -> list[Any]:
    return selectors.children_listed([int(c) for c, _ in choices])


@require_http_methods(["GET", "HEAD", "POST"])
def from_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Provision for a plan action: a new group for the child (and others), or a place in a
    group already running."""
    action, setting = selectors.action_for(request, pk)
    child_id = action.profile.child_id
    choices = setting_children(setting, exclude={child_id})
    posted = request.POST if request.method == "POST" else None
    join = posted is not None and posted.get("choice") == "join"
    form = GroupForm(
        posted if posted is not None and not join else None,
        setting=setting,
        children=choices,
        fixed_child=child_id,
        initial={
            "name": action.what[:120],
            "starts_on": action.starts_on,
            "ends_on": action.ends_on,
        },
    )
    join_form = JoinGroupForm(posted if join else None, setting=setting)
    actor = actor_from_request(request)
    summary = reverse("profiles:summary", kwargs={"pk": action.profile_id})
    if posted is not None and not join and form.is_valid():
        data = form.cleaned_data

        def start() -> str:
            services.start_group(
                actor=actor,
                provision=data["provision"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                child_ids=[child_id, *(int(c) for c in data["children"] if int(c) != child_id)],
                action_id=action.pk,
                action_child_id=child_id,
            )
            return summary

        return once(request, start)
    if join and join_form.is_valid():
        group = join_form.cleaned_data["group"]

        def add() -> str:
            today = timezone.localdate()
            services.add_place(
                actor=actor,
                group=group,
                child_id=child_id,
                starts_on=max(group.starts_on, action.starts_on, min(today, group.ends_on)),
                ends_on=group.ends_on,
                action_id=action.pk,
            )
            return summary

        return once(request, add)
    record_children_shown(
        actor, _children([(str(child_id), ""), *choices]), summary="Provision for a plan action"
    )
    errors = error_list(join_form) if join else (error_list(form) if form.is_bound else [])
    return render(
        request,
        "provision/from_action.html",
        {
            "setting": setting,
            "action": action,
            "child": action.profile.child,
            "form": form,
            "join_form": join_form,
            "join": join,
            "errors": errors,
            "summary_url": summary,
        },
    )


def _group_context(request: HttpRequest, group: ProvisionGroup) -> dict[str, Any]:
    places = selectors.places_shown(request, group)
    terms = terms_between(group.starts_on, group.ends_on)
    rows = []
    for place in places:
        cmap = child_map(place.child_id, terms)
        cells = next((r.cells for r in cmap.rows if r.place_id == place.pk), None)
        rows.append({"place": place, "cells": cells})
    shown = {p.child_id for p in places}
    missed = [
        m for m in group.missed.select_related("child") if m.child_id is None or m.child_id in shown
    ]
    return {"group": group, "places": places, "rows": rows, "terms": terms, "missed": missed}


@require_http_methods(["GET", "HEAD", "POST"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's children with sessions planned, missed and received per term; those who run
    the setting's provision record missed sessions here, for the whole group or some children."""
    group = selectors.group_for(request, pk)
    manages = AccessPolicy.for_request(request).may_manage_provision(group.setting)
    ctx = _group_context(request, group)
    choices = [(str(p.child_id), p.child.full_name) for p in ctx["places"]]
    form = MissedForm(request.POST or None, group=group, children=choices)
    others = setting_children(group.setting, {p.child_id for p in ctx["places"]}) if manages else []
    add_form = AddChildForm(None, group=group, children=others)
    if request.method == "POST":
        group = selectors.group_for(request, pk, manage=True)
        if form.is_valid():
            data = form.cleaned_data

            def miss() -> str:
                services.record_missed(
                    actor=actor_from_request(request),
                    group=group,
                    dates=[data["date"]],
                    reason=data["reason"],
                    note=data["note"],
                    child_ids=[int(c) for c in data["children"]],
                )
                return reverse("provision:group", kwargs={"pk": group.pk}) + "?missed=1"

            return once(request, miss)
    record_children_shown(
        actor_from_request(request),
        [p.child for p in ctx["places"]] + _children(others),
        summary=f"Provision group {group.name}",
    )
    return render(
        request,
        "provision/group.html",
        {
            **ctx,
            "manages": manages,
            "form": form,
            "add_form": add_form,
            "names": domain_names(),
            "reasons": dict(MissedReason.choices),
            "current_term": term_containing(timezone.localdate()),
            "saved": request.GET.get("missed") == "1",
            "errors": error_list(form) if form.is_bound else [],
        },
    )


@require_http_methods(["POST"])
def group_add_child(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.group_for(request, pk)  # a group the user cannot see is not found, first
    group = selectors.group_for(request, pk, manage=True)
    ctx = _group_context(request, group)
    others = setting_children(group.setting, {p.child_id for p in ctx["places"]})
    form = AddChildForm(request.POST, group=group, children=others)
    if form.is_valid():

        def add() -> str:
            services.add_place(
                actor=actor_from_request(request),
                group=group,
                child_id=int(form.cleaned_data["child"]),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=group.ends_on,
            )
            return reverse("provision:group", kwargs={"pk": group.pk})

        return once(request, add)
    record_children_shown(
        actor_from_request(request),
        [p.child for p in ctx["places"]] + _children(others),
        summary=f"Provision group {group.name}",
    )
    choices = [(str(p.child_id), p.child.full_name) for p in ctx["places"]]
    return render(
        request,
        "provision/group.html",
        {
            **ctx,
            "manages": True,
            "form": MissedForm(None, group=group, children=choices),
            "add_form": form,
            "names": domain_names(),
            "reasons": dict(MissedReason.choices),
            "current_term": term_containing(timezone.localdate()),
            "errors": error_list(form),
        },
    )
