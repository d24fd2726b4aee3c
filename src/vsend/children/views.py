"""Pages for children's records. Thin: parse, authorise through selectors, call services."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.selectors import child_history, redactions
from vsend.audit.services import actor_from_request, record, record_children_shown
from vsend.children import selectors
from vsend.children.forms import ChildDetailsForm, ChildFilterForm, NewChildForm
from vsend.children.services import (
    UPN_TAKEN,
    DuplicateUPN,
    Placement,
    StaleEdit,
    create_child,
    report_upn_held_elsewhere,
    update_child,
)
from vsend.config.forms import error_list
from vsend.organisations.selectors import classes_visible_to, settings_visible_to
from vsend.profiles.chart import profile_chart
from vsend.profiles.models import Profile
from vsend.profiles.selectors import history as profile_history
from vsend.profiles.selectors import latest_finalised_of, profile_view
from vsend.statutory.selectors import cases_of_child
from vsend.submissions.services import AlreadySubmitted, submit_once


def _require(request: HttpRequest, perm: str) -> AccessPolicy:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(perm):
        record(
            actor_from_request(request),
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": perm},
        )
        raise PermissionDenied
    return policy


@require_safe
def child_list(request: HttpRequest) -> HttpResponse:
    policy = _require(request, Perm.VIEW_CHILD)
    form = ChildFilterForm(request.GET or None, classes=classes_visible_to(request.user))
    filters = selectors.ChildFilters()
    if form.is_valid():
        filters = selectors.ChildFilters(
            **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        )
    qs = selectors.filter_children(policy.children(Perm.VIEW_CHILD), filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    children = list(selectors.with_current_enrolment(page.object_list))  # type: ignore[arg-type]
    record_children_shown(
        actor_from_request(request),
        children,
        summary="Children listed",
        detail={"page": page.number, "filters": filters.as_audit()},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "children/list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, selectors.current_enrolment(c)) for c in children],
            "query": query.urlencode(),
            "can_add": policy.can_anywhere(Perm.CHANGE_CHILD),
            "filtered": any(v for v in filters.__dict__.values()),
        },
    )


@require_safe
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    child = selectors.open_child_record(actor_from_request(request), pk)

    def may(perm: str) -> bool:
        return policy.can(perm, child)  # answered by the check that opened the record

    can_view_profiles = may(Perm.VIEW_PROFILE)
    history = list(selectors.enrolment_history(child))
    current = selectors.on_roll(history)
    profiles = profile_history(child) if can_view_profiles else []
    statutory_cases = cases_of_child(policy, child.pk)
    return render(
        request,
        "children/detail.html",
        {
            "child": child,
            "enrolment": current[0] if current else None,
            "history": history,
            "family": child.family_links.select_related("user"),
            "caseworkers": child.case_assignments.filter(ended_on__isnull=True).select_related(
                "caseworker"
            ),
            "can_change": may(Perm.CHANGE_CHILD),
            "can_see_access": may(Perm.VIEW_CHILD_ACCESS),
            "can_view_profiles": can_view_profiles,
            "can_edit_profiles": may(Perm.EDIT_PROFILE),
            "can_give_views": may(Perm.GIVE_OWN_VIEWS),
            "profiles": profiles,
            "current": current,
            "transfers": selectors.transfers_of(child),
            "can_record_leaving": may(Perm.CHANGE_CHILD)
            and bool(selectors.leaving_enrolments(policy, child, history)),
            "can_transfer": policy.may_transfer(child),
            "can_export": policy.may_export_record(child),
            "statutory_cases": statutory_cases,
            "can_request": may(Perm.REQUEST_ASSESSMENT),
            "can_enter_request": may(Perm.MANAGE_CASE),
            "open_request": any(c.kind == "assessment" and c.is_open for c in statutory_cases),
            "transition_plans": child.transition_plans.all() if may(Perm.VIEW_TRANSITION) else [],
            "can_start_transition": may(Perm.MANAGE_TRANSITION),
            **_latest_profile(profiles),
        },
    )


def _latest_profile(profiles: list[Profile]) -> dict[str, object]:
    """The latest finalised profile's chart and ratings, with the change since the one before."""
    latest = latest_finalised_of(profiles)
    if latest is None:
        return {}
    view = profile_view(latest)
    return {"latest": latest, "view": view, "chart": profile_chart(view)}


@require_http_methods(["GET", "HEAD", "POST"])
def child_create(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.CHANGE_CHILD)
    settings_qs = settings_visible_to(request.user, Perm.CHANGE_CHILD)
    form = NewChildForm(
        request.POST or None,
        authority_id=None,
        settings_qs=settings_qs,
        visible_children=selectors.children_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> str:
            child = create_child(
                actor=actor_from_request(request),
                details=data,
                placement=Placement(
                    data["setting"], data["year"], data["school_class"], data["started_on"]
                ),
            )
            return reverse("children:detail", kwargs={"pk": child.pk})

        try:
            return redirect(submit_once(request, add))
        except AlreadySubmitted as done:
            return redirect(done.url)
        except DuplicateUPN:
            form.add_error("upn", UPN_TAKEN)
    _report_upn_held_elsewhere(request, form)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "child": None,
            "upn_holder": form.upn_holder,
        },
    )


def _report_upn_held_elsewhere(request: HttpRequest, form: ChildDetailsForm) -> None:
    if form.upn_held_elsewhere is not None:
        report_upn_held_elsewhere(actor=actor_from_request(request), holder=form.upn_held_elsewhere)


@require_http_methods(["GET", "HEAD", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = selectors.get_child_for(actor, pk, Perm.CHANGE_CHILD)
    initial = {name: getattr(child, name) for name in ChildDetailsForm.base_fields}
    form = ChildDetailsForm(
        request.POST or None,
        initial=initial,
        authority_id=child.authority_id,
        child=child,
        visible_children=selectors.children_visible_to(request.user),
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            update_child(
                actor=actor, child=child, details=form.cleaned_data, expected_version=expected
            )
        except DuplicateUPN:
            form.add_error("upn", UPN_TAKEN)
        except StaleEdit:
            stale = True
            form.add_error(
                None,
                "Someone else changed this record while you were editing it, so your "
                "changes have not been saved. Your changes are shown below: check the "
                "record's current details, then save again",
            )
            child.refresh_from_db()
        else:
            return redirect("children:detail", pk=child.pk)
    record(actor, Action.VIEW, obj=child, summary="Record opened for editing")
    _report_upn_held_elsewhere(request, form)
    return render(
        request,
        "children/form.html",
        {
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "child": child,
            "stale": stale,
            "upn_holder": form.upn_holder,
            "version": child.version
            if stale or not form.is_bound
            else request.POST.get("version", child.version),
        },
    )


@require_safe
def child_access(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = selectors.get_child_for(actor, pk, Perm.VIEW_CHILD_ACCESS)
    record(actor, Action.VIEW, obj=child, summary="Access history viewed")
    page = Paginator(child_history(child), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "children/access.html",
        {
            "child": child,
            "page": page,
            "hide": redactions(page.object_list, [child.authority_id]),
        },
    )
