"""One page per area for setting readiness and for the plan, and the plan's review date.

Each page keeps what was typed when it has errors, carries a one-time token so a double click
saves once and goes where the first click went, and "Save and continue" moves to the next area
not done yet (the task list shows each area's status: profiles/tasks.py).
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vsend.accounts.roles import Perm
from vsend.audit.services import Actor, actor_from_request
from vsend.config.forms import error_list
from vsend.profiles import area_services, selectors, services
from vsend.profiles.forms import PlanForm, ReadinessForm, ReviewDateForm, one_area
from vsend.profiles.models import Profile
from vsend.profiles.step_views import STALE_MESSAGE
from vsend.profiles.views import expected_version, locked
from vsend.submissions.services import AlreadySubmitted, submit_once

NO_OUTCOME = (
    "Add an outcome to at least one area of the plan before setting its review date: "
    "a plan with no outcome has nothing to review"
)


def _draft(request: HttpRequest, pk: int) -> tuple[Actor, Profile]:
    actor = actor_from_request(request)
    return actor, selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)


def _readiness_form(view: selectors.ProfileView, dv: Any, data: Any) -> ReadinessForm:
    k, r = dv.domain.key, dv.rating
    initial = {
        f"prompts__{k}": r.readiness_prompts,
        f"readiness__{k}": r.readiness_level,
        f"rnote__{k}": r.readiness_note,
    }
    return ReadinessForm(data, initial=initial, framework=one_area(view.framework, k))


def _plan_form(view: selectors.ProfileView, dv: Any, data: Any) -> PlanForm:
    k = dv.domain.key
    initial: dict[str, Any] = {}
    for o in view.outcomes:
        if o.domain == k:
            initial |= {f"what__{k}": o.what, f"know__{k}": o.how_we_will_know}
            initial[f"when__{k}"] = o.by_when
    for n, a in enumerate(a for a in view.actions if a.domain == k):
        initial |= {
            f"a{n}what__{k}": a.what,
            f"a{n}who__{k}": a.who,
            f"a{n}often__{k}": a.how_often,
            f"a{n}from__{k}": a.starts_on,
            f"a{n}until__{k}": a.ends_on,
        }
    for r in view.reviews:
        initial |= {f"review__{r.outcome_id}": r.result, f"reviewnote__{r.outcome_id}": r.note}
    return PlanForm(
        data,
        initial=initial,
        framework=one_area(view.framework, k),
        previous_outcomes=[o for o in view.previous_outcomes if o.domain == k],
        whole=False,
    )


def _area_page(
    request: HttpRequest,
    pk: int,
    domain: str,
    *,
    kind: str,
    make_form: Callable[[selectors.ProfileView, Any, Any], Any],
    save: Callable[[Actor, Profile, int, Any], None],
    done: Callable[[Profile, str], bool],
    after_last: Callable[[Profile], str | None],
) -> HttpResponse:
    actor, profile = _draft(request, pk)
    if not profile.is_draft:
        return locked(request, profile)
    view = selectors.profile_view(profile)
    keys = [d.domain.key for d in view.domains]
    if domain not in keys:
        raise Http404
    dv = view.domains[keys.index(domain)]
    form = make_form(view, dv, request.POST or None)
    stale = False
    if request.method == "POST" and form.is_valid():

        def work() -> str:
            save(actor, profile, expected_version(request), form)
            later = [k for k in keys[keys.index(domain) + 1 :] if not done(profile, k)]
            if "save_and_exit" in request.POST:
                return reverse("profiles:tasks", args=[pk])
            if later:
                return reverse(f"profiles:{kind}", args=[pk, later[0]])
            return after_last(profile) or reverse("profiles:tasks", args=[pk])

        try:
            return redirect(submit_once(request, work))
        except AlreadySubmitted as first:
            return redirect(first.url)
        except services.ProfileLocked:
            return locked(request, profile)
        except services.StaleProfile:
            stale = True
            form.add_error(None, STALE_MESSAGE)
            profile.refresh_from_db()
    selectors.open_profile(actor, pk, f"{kind.title()} opened for editing: {dv.domain.name}")
    return render(
        request,
        f"profiles/{kind}_area.html",
        {
            "profile": profile,
            "view": view,
            "dv": dv,
            "d": dv.domain,
            "form": form,
            "number": keys.index(domain) + 1,
            "total": len(keys),
            "lock_version": profile.lock_version
            if (stale or not form.is_bound)
            else request.POST.get("lock_version"),
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def readiness(request: HttpRequest, pk: int, domain: str) -> HttpResponse:
    """How ready the setting is in one area: what is in place, the level, a note."""

    def save(actor: Actor, profile: Profile, expected: int, form: Any) -> None:
        area_services.save_readiness_area(
            actor=actor,
            profile=profile,
            expected=expected,
            domain=domain,
            rating=form.ratings()[domain],
        )

    def after_last(profile: Profile) -> str | None:
        return None

    return _area_page(
        request,
        pk,
        domain,
        kind="readiness",
        make_form=_readiness_form,
        save=save,
        done=area_services.readiness_done,
        after_last=after_last,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan(request: HttpRequest, pk: int, domain: str) -> HttpResponse:
    """One area of the plan: how last time's outcomes went, the outcome, up to two actions."""

    def save(actor: Actor, profile: Profile, expected: int, form: Any) -> None:
        area_services.save_plan_area(
            actor=actor,
            profile=profile,
            expected=expected,
            domain=domain,
            outcomes=form.outcomes(),
            actions=form.actions(),
            reviews=form.reviews(),
        )

    def after_last(profile: Profile) -> str | None:
        if area_services.plan_review_done(profile):
            return None
        return reverse("profiles:review-date", args=[profile.pk])

    return _area_page(
        request,
        pk,
        domain,
        kind="plan",
        make_form=_plan_form,
        save=save,
        done=area_services.plan_area_done,
        after_last=after_last,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def review_date(request: HttpRequest, pk: int) -> HttpResponse:
    """When the plan will be reviewed: the plan's last part."""
    actor, profile = _draft(request, pk)
    if not profile.is_draft:
        return locked(request, profile)
    form = ReviewDateForm(request.POST or None, initial={"review_date": profile.review_date})
    stale = False
    if request.method == "POST" and form.is_valid():

        def work() -> str:
            area_services.save_review_date(
                actor=actor,
                profile=profile,
                expected=expected_version(request),
                review_date=form.cleaned_data["review_date"],
            )
            return reverse("profiles:tasks", args=[pk])

        try:
            return redirect(submit_once(request, work))
        except AlreadySubmitted as first:
            return redirect(first.url)
        except services.ProfileLocked:
            return locked(request, profile)
        except area_services.PlanHasNoOutcome:
            form.add_error(None, NO_OUTCOME)
        except services.StaleProfile:
            stale = True
            form.add_error(None, STALE_MESSAGE)
            profile.refresh_from_db()
    selectors.open_profile(actor, pk, "Plan review date opened for editing")
    return render(
        request,
        "profiles/review_date.html",
        {
            "profile": profile,
            "form": form,
            "lock_version": profile.lock_version
            if (stale or not form.is_bound)
            else request.POST.get("lock_version"),
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )
