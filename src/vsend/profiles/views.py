"""Pages for profiles: start, the five steps, the summary, finalise, review, chart and PDF."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.children import selectors as children
from vsend.config.forms import error_list
from vsend.exports.access import request_profile_pdf
from vsend.exports.views import progress_or_redirect
from vsend.frameworks.registry import AgeOutOfRange, age_band_for
from vsend.profiles import selectors, services
from vsend.profiles.chart import profile_chart
from vsend.profiles.forms import (
    AboutForm,
    FamilyAnswerForm,
    HomeForm,
    NeedsForm,
    PlanForm,
    ReadinessForm,
    StartProfileForm,
)
from vsend.profiles.models import STEP_NAMES, STEPS, Profile
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once

STALE_MESSAGE = (
    "Someone else saved this profile while you were working on it, so your changes have not "
    "been saved. Your answers are shown below. Check the summary to see what they saved, then "
    "save again if yours should replace it."
)


def _locked(request: HttpRequest, profile: Profile) -> HttpResponse:
    """The page that says a profile is finalised: it names the child, so it is audited."""
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="profile",
        object_id=profile.pk,
        child_id=profile.child_id,
        authority_id=profile.child.authority_id,
        summary="Finalised profile shown as locked",
    )
    return render(request, "profiles/locked.html", {"profile": profile}, status=409)


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, child_pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = children.get_child_for(actor, child_pk, Perm.EDIT_PROFILE)
    existing = child.profiles.filter(status="draft").first()
    if existing:
        return redirect("profiles:summary", pk=existing.pk)
    form = StartProfileForm(request.POST or None, initial={"assessment_date": timezone.localdate()})
    recommended = None
    profile: Profile | None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommended = age_band_for(child.date_of_birth, data["assessment_date"])
        except AgeOutOfRange as exc:
            form.add_error("assessment_date", str(exc))
        else:
            band = data["age_band"] or recommended
            if band != recommended and not data["reason"].strip():
                form.add_error("reason", "Give a reason for using the version for a different age")
            else:
                try:
                    profile = services.start_profile(
                        actor=actor,
                        child=child,
                        assessment_date=data["assessment_date"],
                        age_band=band,
                        reason=data["reason"],
                    )
                except services.DraftExists as exc:
                    profile = exc.draft
                except services.OutOfOrder as exc:
                    form.add_error("assessment_date", str(exc))
                    profile = None
                if profile is not None:
                    return redirect("profiles:step", pk=profile.pk, step="about")
    record(actor, Action.VIEW, obj=child, summary="New profile page opened")
    try:
        recommended = recommended or age_band_for(child.date_of_birth, timezone.localdate())
    except AgeOutOfRange:
        recommended = None
    return render(
        request,
        "profiles/start.html",
        {
            "child": child,
            "form": form,
            "recommended": recommended,
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


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
        return _locked(request, profile)
    view = selectors.profile_view(profile)
    form = _step_form(step, profile, view, request.POST or None)
    stale = False
    if request.method == "POST":
        if form.is_valid() and step == "about":
            _check_assessment_date(form, profile)
        if form.is_valid():
            try:
                _save_step(step, form, actor, profile, _expected(request))
            except services.ProfileLocked:
                return _locked(request, profile)
            except services.StaleProfile:
                stale = True
                form.add_error(None, STALE_MESSAGE)
                profile.refresh_from_db()
            else:
                index = STEPS.index(step)
                if "save_and_exit" in request.POST or index == len(STEPS) - 1:
                    return redirect("profiles:summary", pk=profile.pk)
                return redirect("profiles:step", pk=profile.pk, step=STEPS[index + 1])
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
        },
    )


@require_safe
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.open_profile(actor, pk)
    view = selectors.profile_view(profile)
    policy = AccessPolicy.for_request(request)  # already asked about this child: no query
    can_edit = policy.can(Perm.EDIT_PROFILE, profile.child_id)
    can_family = policy.can(Perm.RECORD_HOME_CONFIDENCE, profile.child_id)
    is_latest = selectors.is_latest(profile)
    return render(
        request,
        "profiles/summary.html",
        {
            "profile": profile,
            "view": view,
            "chart": profile_chart(view),
            "steps": STEPS,
            "step_names": STEP_NAMES,
            "can_edit": can_edit and profile.is_draft,
            "can_review": can_edit and not profile.is_draft and is_latest,
            "can_family": can_family and profile.is_draft,
            "history": selectors.history(profile),
        },
    )


@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    earlier = earlier_result(request)
    if earlier:
        return redirect(earlier)  # a second click: the first finalised it
    if not profile.is_draft:
        return _locked(request, profile)
    summary_url = reverse("profiles:summary", kwargs={"pk": profile.pk})

    def finish() -> str:
        services.finalise(actor=actor, profile=profile, expected=_expected(request))
        return summary_url

    try:
        submit_once(request, finish)
    except AlreadySubmitted as done:
        return redirect(done.url)
    except services.ProfileNotReady:
        return render(
            request,
            "profiles/not_ready.html",
            {"profile": profile, "steps": STEPS, "step_names": STEP_NAMES},
            status=409,
        )
    except services.ProfileLocked:
        return _locked(request, profile)
    except services.StaleProfile:
        return render(request, "profiles/stale.html", {"profile": profile}, status=409)
    except services.OutOfOrder as exc:
        return render(
            request,
            "profiles/cannot_review.html",
            {"profile": profile, "reason": str(exc), "heading": "The profile cannot be finalised"},
            status=409,
        )
    return redirect("profiles:summary", pk=profile.pk)


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    if profile.is_draft or not selectors.is_latest(profile):
        return redirect("profiles:summary", pk=profile.pk)
    try:
        new = services.start_profile(
            actor=actor, child=profile.child, assessment_date=timezone.localdate(), age_band=None
        )
    except services.DraftExists as exc:
        new = exc.draft
    except (AgeOutOfRange, services.OutOfOrder) as exc:
        return render(
            request,
            "profiles/cannot_review.html",
            {"profile": profile, "reason": str(exc)},
            status=409,
        )
    return redirect("profiles:step", pk=new.pk, step="about")


@require_safe
def chart_svg(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.open_profile(actor_from_request(request), pk, "Chart viewed")
    return HttpResponse(
        profile_chart(selectors.profile_view(profile)), content_type="image/svg+xml"
    )


@require_safe
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF is made by a background job; pressing again reuses the same one."""
    export = request_profile_pdf(actor_from_request(request), pk)
    return progress_or_redirect(request, export)


# The family's own home-confidence answers: one question a page, then check your answers.


def _family_profile(request: HttpRequest, pk: int) -> tuple[Any, Profile]:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.RECORD_HOME_CONFIDENCE)
    return actor, profile


def _answers(request: HttpRequest, profile: Profile) -> dict[str, dict[str, Any]]:
    return request.session.setdefault(f"family-answers-{profile.pk}", {})


@require_safe
def family_start(request: HttpRequest, pk: int) -> HttpResponse:
    actor, profile = _family_profile(request, pk)
    if not profile.is_draft:
        return _locked(request, profile)
    selectors.open_profile(actor, pk, "Family questions opened")
    view = selectors.profile_view(profile)
    return render(request, "profiles/family_start.html", {"profile": profile, "view": view})


@require_http_methods(["GET", "HEAD", "POST"])
def family_question(request: HttpRequest, pk: int, domain: str) -> HttpResponse:
    actor, profile = _family_profile(request, pk)
    if not profile.is_draft:
        return _locked(request, profile)
    view = selectors.profile_view(profile)
    keys = [d.domain.key for d in view.domains]
    if domain not in keys:
        raise Http404
    d = view.framework.domain(domain)
    answers = _answers(request, profile)
    saved = answers.get(domain) or {}
    rating = next(x.rating for x in view.domains if x.domain.key == domain)
    initial = {
        "level": saved.get("level", rating.confidence_level),
        "note": saved.get("note", rating.confidence_note),
    }
    form = FamilyAnswerForm(
        request.POST or None, initial=initial, framework=view.framework, domain=d
    )
    if request.method == "POST" and form.is_valid():
        answers[domain] = {"level": form.cleaned_data["level"], "note": form.cleaned_data["note"]}
        request.session.modified = True
        index = keys.index(domain)
        if "check" in request.GET or index == len(keys) - 1:
            return redirect("profiles:family-check", pk=pk)
        return redirect("profiles:family-question", pk=pk, domain=keys[index + 1])
    index = keys.index(domain)
    if request.method == "GET":
        selectors.open_profile(actor, pk, f"Family question opened: {d.name}")
    back = (
        ("profiles:family-question", keys[index - 1]) if index else ("profiles:family-start", None)
    )
    return render(
        request,
        "profiles/family_question.html",
        {
            "profile": profile,
            "domain": d,
            "form": form,
            "number": index + 1,
            "total": len(keys),
            "back": back,
            "errors": error_list(form) if form.is_bound and form.errors else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def family_check(request: HttpRequest, pk: int) -> HttpResponse:
    actor, profile = _family_profile(request, pk)
    if not profile.is_draft:
        return _locked(request, profile)
    view = selectors.profile_view(profile)
    answers = _answers(request, profile)
    missing = [d.domain for d in view.domains if d.domain.key not in answers]
    errors: list[dict[str, str]] = []
    if request.method == "GET":
        selectors.open_profile(actor, pk, "Family answers checked")
    elif missing:
        errors = [
            {
                "text": f"Answer the question about {d.name.lower()}",
                "href": reverse("profiles:family-question", kwargs={"pk": pk, "domain": d.key}),
            }
            for d in missing
        ]
    else:
        try:
            services.save_home(
                actor=actor,
                profile=profile,
                expected=_expected(request),
                by_family=True,
                ratings={k: {"level": v["level"], "note": v["note"]} for k, v in answers.items()},
            )
        except services.ProfileLocked:
            return _locked(request, profile)
        except services.StaleProfile:
            profile.refresh_from_db()
            errors = [
                {
                    "text": "Someone updated this profile while you were answering. Your "
                    "answers are still here: check them and send them again."
                }
            ]
        else:
            request.session.pop(f"family-answers-{profile.pk}", None)
            return render(request, "profiles/family_done.html", {"profile": profile})
    return render(
        request,
        "profiles/family_check.html",
        {
            "profile": profile,
            "view": view,
            "answers": answers,
            "missing": missing,
            "errors": errors,
        },
    )
