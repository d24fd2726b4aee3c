"""The profile's steps: about the child, one page per area of need, readiness, home, plan."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vsend.accounts.roles import Perm
from vsend.audit.services import actor_from_request
from vsend.config.forms import error_list
from vsend.frameworks.registry import AgeOutOfRange, age_band_for
from vsend.profiles import area_services, family, selectors, services
from vsend.profiles.forms import (
    AboutForm,
    HomeForm,
    NeedAreaForm,
    NeedsForm,
    PlanForm,
    ReadinessForm,
)
from vsend.profiles.models import STEP_NAMES, STEPS, Profile
from vsend.profiles.tasks import area_done
from vsend.profiles.views import expected_version, locked
from vsend.submissions.services import AlreadySubmitted, submit_once

STALE_MESSAGE = (
    "Someone else saved this profile while you were working on it, so your changes have not "
    "been saved. Your answers are shown below. Check the summary to see what they saved, then "
    "save again if yours should replace it."
)


AREA_PAGES = {
    "needs": ("profiles:need", area_done),
    "readiness": ("profiles:readiness", area_services.readiness_done),
    "plan": ("profiles:plan", area_services.plan_area_done),
}

STEP_FORMS = {"needs": NeedsForm, "readiness": ReadinessForm, "home": HomeForm}


def _step_form(step: str, profile: Profile, view: selectors.ProfileView, data: Any) -> Any:
    if step == "about":
        about = {
            f: getattr(profile, f)
            for f in ("assessment_date", "strengths", "child_views", "aspirations", "family_views")
        }
        return AboutForm(data, initial=about)
    if step == "plan":
        initial: dict[str, Any] = {"review_date": profile.review_date}
        for o in view.outcomes:
            initial |= {
                f"what__{o.domain}": o.what,
                f"know__{o.domain}": o.how_we_will_know,
                f"when__{o.domain}": o.by_when,
            }
        counters: dict[str, int] = {}
        for a in view.actions:
            n = counters.get(a.domain, 0)
            counters[a.domain] = n + 1
            initial |= {
                f"a{n}what__{a.domain}": a.what,
                f"a{n}who__{a.domain}": a.who,
                f"a{n}often__{a.domain}": a.how_often,
                f"a{n}from__{a.domain}": a.starts_on,
                f"a{n}until__{a.domain}": a.ends_on,
            }
        for r in view.reviews:
            initial |= {f"review__{r.outcome_id}": r.result, f"reviewnote__{r.outcome_id}": r.note}
        return PlanForm(
            data,
            initial=initial,
            framework=view.framework,
            previous_outcomes=view.previous_outcomes,
        )
    ratings: dict[str, Any] = {}
    for d in view.domains:
        r = d.rating
        ratings |= {
            f"need__{d.domain.key}": r.need_level,
            f"evidence__{d.domain.key}": r.need_evidence,
            f"prompts__{d.domain.key}": r.readiness_prompts,
            f"readiness__{d.domain.key}": r.readiness_level,
            f"rnote__{d.domain.key}": r.readiness_note,
            f"confidence__{d.domain.key}": r.confidence_level,
            f"cnote__{d.domain.key}": r.confidence_note,
        }
    return STEP_FORMS[step](data, initial=ratings, framework=view.framework)


def _check_assessment_date(form: Any, profile: Profile) -> None:
    """A changed assessment date must still fit the child's age and the version in use, and
    come after the profile it replaces."""
    try:
        services.check_in_order(profile.previous, form.cleaned_data["assessment_date"])
    except services.OutOfOrder as exc:
        form.add_error("assessment_date", str(exc))
        return
    try:
        band = age_band_for(profile.child.date_of_birth, form.cleaned_data["assessment_date"])
    except AgeOutOfRange as exc:
        form.add_error("assessment_date", str(exc))
        return
    if band != profile.age_band and not profile.age_band_reason:
        form.add_error(
            "assessment_date",
            "On this date the child would need the other version of the framework: keep the "
            "date, or start a new profile for the new date",
        )


def _save_step(step: str, form: Any, actor: Any, profile: Profile, expected: int) -> None:
    if step == "about":
        services.save_about(actor=actor, profile=profile, expected=expected, data=form.cleaned_data)
    elif step == "needs":
        services.save_needs(actor=actor, profile=profile, expected=expected, ratings=form.ratings())
    elif step == "readiness":
        services.save_readiness(
            actor=actor, profile=profile, expected=expected, ratings=form.ratings()
        )
    elif step == "home":
        services.save_home(
            actor=actor, profile=profile, expected=expected, ratings=form.ratings(), by_family=False
        )
    else:
        services.save_plan(
            actor=actor,
            profile=profile,
            expected=expected,
            outcomes=form.outcomes(),
            actions=form.actions(),
            review_date=form.cleaned_data["review_date"],
            reviews=form.reviews(),
        )


def _expected(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return -1


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    if not profile.is_draft:
        return locked(request, profile)
    view = selectors.profile_view(profile)
    if step in AREA_PAGES and request.method != "POST":
        # One page per area: start at the first area not done yet. (A post of the whole step
        # is still saved, for older pages and scripts.)
        name, done = AREA_PAGES[step]
        keys = [d.domain.key for d in view.domains]
        first = next((k for k in keys if not done(profile, k)), keys[0])
        return redirect(name, pk=pk, domain=first)
    form = _step_form(step, profile, view, request.POST or None)
    stale = False
    if request.method == "POST":
        if form.is_valid() and step == "about":
            _check_assessment_date(form, profile)
        if form.is_valid():
            try:
                _save_step(step, form, actor, profile, expected_version(request))
            except services.ProfileLocked:
                return locked(request, profile)
            except services.StaleProfile:
                stale = True
                form.add_error(None, STALE_MESSAGE)
                profile.refresh_from_db()
            else:
                return redirect("profiles:tasks", pk=profile.pk)
    selectors.open_profile(actor, pk, f"{STEP_NAMES[step]} opened for editing")
    return render(
        request,
        f"profiles/step_{step}.html",
        {
            "profile": profile,
            "view": view,
            "form": form,
            "step": step,
            "steps": STEPS,
            "step_names": STEP_NAMES,
            "step_number": STEPS.index(step) + 1,
            "stale": stale,
            "lock_version": profile.lock_version
            if (stale or not form.is_bound)
            else request.POST.get("lock_version"),
            "errors": error_list(form) if form.is_bound and form.errors else [],
            "family_answers": family.answers_for(profile) if step == "home" else None,
            "parents": family.parents_to_ask(profile).count() if step == "home" else 0,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def need(request: HttpRequest, pk: int, domain: str) -> HttpResponse:
    """One area of need: its sub-areas, the descriptors for each level, the evidence."""
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    if not profile.is_draft:
        return locked(request, profile)
    view = selectors.profile_view(profile)
    keys = [d.domain.key for d in view.domains]
    if domain not in keys:
        raise Http404
    dv = view.domains[keys.index(domain)]
    form = NeedAreaForm(
        request.POST or None,
        initial={"level": dv.rating.need_level, "evidence": dv.rating.need_evidence},
        framework=view.framework,
        domain=dv.domain,
    )
    stale = False
    if request.method == "POST" and form.is_valid():

        def work() -> str:
            services.save_need_area(
                actor=actor,
                profile=profile,
                expected=expected_version(request),
                domain=domain,
                level=form.cleaned_data["level"],
                evidence=form.cleaned_data["evidence"],
            )
            later = [k for k in keys[keys.index(domain) + 1 :] if not area_done(profile, k)]
            if later and "save_and_exit" not in request.POST:
                return reverse("profiles:need", args=[pk, later[0]])
            return reverse("profiles:tasks", args=[pk])

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
    selectors.open_profile(actor, pk, f"Need opened for editing: {dv.domain.name}")
    return render(
        request,
        "profiles/need.html",
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
