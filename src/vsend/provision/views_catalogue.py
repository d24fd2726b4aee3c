"""Pages for a setting's provision: its home, the catalogue, the library, staff costs and the
notional SEN budget."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.config.forms import error_list
from vsend.provision import selectors, services
from vsend.provision.forms import BudgetForm, LibraryForm, ProvisionForm, StaffRoleForm
from vsend.provision.library import library
from vsend.provision.maps import domain_names
from vsend.provision.models import Provision, SenBudget, StaffRole
from vsend.provision.rates import BEGINNING
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once


def once(request: HttpRequest, work: Callable[[], str]) -> HttpResponse:
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    try:
        return redirect(submit_once(request, work))
    except AlreadySubmitted as done:
        return redirect(done.url)


@require_safe
def setting_home(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.viewed_setting(request, pk)
    manages = AccessPolicy.for_request(request).may_manage_provision(setting)
    groups = list(selectors.groups_at(request, setting).order_by("-ends_on", "name"))
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="provision_groups",
        object_id=setting.pk,
        authority_id=setting.authority_id,
        summary=f"Provision at {setting.name}",
    )
    return render(
        request,
        "provision/setting.html",
        {
            "setting": setting,
            "manages": manages,
            "groups": groups,
            "provisions": Provision.objects.filter(setting=setting).select_related("staff_role")
            if manages
            else [],
            "roles": StaffRole.objects.filter(setting=setting) if manages else [],
            "names": domain_names(),
        },
    )


def _provision_page(
    request: HttpRequest, setting: Any, form: ProvisionForm, provision: Provision | None = None
) -> HttpResponse:
    return render(
        request,
        "provision/provision_form.html",
        {
            "setting": setting,
            "form": form,
            "provision": provision,
            "history": list(provision.cost_changes.select_related("staff_role"))
            if provision
            else [],
            "beginning": BEGINNING,
            "errors": error_list(form) if form.is_bound else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def provision_add(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    form = ProvisionForm(request.POST or None, setting=setting)
    if request.method != "POST" or not form.is_valid():
        return _provision_page(request, setting, form)

    def add() -> str:
        services.save_provision(
            actor=actor_from_request(request), setting=setting, data=form.cleaned_data
        )
        return reverse("provision:setting", kwargs={"pk": setting.pk})

    return once(request, add)


@require_http_methods(["GET", "HEAD", "POST"])
def provision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provision = selectors.provision_for(request, pk)
    setting = provision.setting
    initial = {f: getattr(provision, f) for f in services.PROVISION_FIELDS}
    form = ProvisionForm(
        request.POST or None, setting=setting, provision=provision, initial=initial
    )
    if request.method != "POST" or not form.is_valid():
        return _provision_page(request, setting, form, provision)
    data = dict(form.cleaned_data)
    applies_from = data.pop("applies_from", None)
    try:
        services.save_provision(
            actor=actor_from_request(request),
            setting=setting,
            data=data,
            provision=provision,
            applies_from=applies_from,
        )
    except services.ClosedTerm:  # the term ended between showing the form and saving it
        form.add_error("applies_from", "Cost applies from must be in this term or later")
        return _provision_page(request, setting, form, provision)
    return redirect("provision:setting", pk=setting.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def library_add(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    form = LibraryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            services.add_from_library(
                actor=actor_from_request(request), setting=setting, keys=form.cleaned_data["keys"]
            )
            return reverse("provision:setting", kwargs={"pk": setting.pk})

        return once(request, add)
    have = set(Provision.objects.filter(setting=setting).values_list("name", flat=True))
    return render(
        request,
        "provision/library.html",
        {
            "setting": setting,
            "form": form,
            "entries": library(),
            "have": have,
            "names": domain_names(),
            "errors": error_list(form) if form.is_bound else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def staff_roles(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    form = StaffRoleForm(request.POST or None, setting=setting)
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            services.save_staff_role(
                actor=actor_from_request(request),
                setting=setting,
                name=form.cleaned_data["name"],
                hourly_cost=form.cleaned_data["hourly_cost"],
                role=None,
            )
            return reverse("provision:staff", kwargs={"pk": setting.pk})

        return once(request, add)
    return render(
        request,
        "provision/staff.html",
        {
            "setting": setting,
            "form": form,
            "roles": StaffRole.objects.filter(setting=setting),
            "errors": error_list(form) if form.is_bound else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def staff_role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = selectors.staff_role_for(request, pk)
    setting = role.setting
    form = StaffRoleForm(
        request.POST or None,
        setting=setting,
        role=role,
        initial={"name": role.name, "hourly_cost": role.hourly_cost},
    )
    if request.method == "POST" and form.is_valid():
        services.save_staff_role(
            actor=actor_from_request(request),
            setting=setting,
            name=form.cleaned_data["name"],
            hourly_cost=form.cleaned_data["hourly_cost"],
            role=role,
            applies_from=form.cleaned_data.get("applies_from"),
        )
        return redirect("provision:staff", pk=setting.pk)
    return render(
        request,
        "provision/staff_edit.html",
        {
            "setting": setting,
            "role": role,
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_budget(
            actor=actor_from_request(request),
            setting=setting,
            year=int(form.cleaned_data["year"]),
            amount=Decimal(form.cleaned_data["amount"]),
        )
        return redirect("provision:setting-map", pk=setting.pk)
    return render(
        request,
        "provision/budget.html",
        {
            "setting": setting,
            "form": form,
            "budgets": SenBudget.objects.filter(setting=setting).order_by("-year"),
            "errors": error_list(form) if form.is_bound else [],
        },
    )
