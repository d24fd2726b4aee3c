"""Pages for profiles: start, the task list, the summary, finalise, review, chart and PDF.

The steps' pages are in step_views.py and the family's own questions in family_views.py.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm, Role
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.children import selectors as children
from vsend.config.forms import error_list
from vsend.exports.access import request_profile_pdf
from vsend.exports.views import progress_or_redirect
from vsend.frameworks.registry import AgeOutOfRange, age_band_for
from vsend.profiles import family, selectors, services, tasks
from vsend.profiles.chart import profile_chart, profile_chart_svg
from vsend.profiles.forms import StartProfileForm
from vsend.profiles.models import STEP_NAMES, STEPS, Profile
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once
from vsend.voice.selectors import three_views


def locked(request: HttpRequest, profile: Profile) -> HttpResponse:
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


def family_only(policy: AccessPolicy) -> bool:
    """A parent, carer or young person with no staff role: pages speak to them plainly."""
    roles = {m.role for m in policy.memberships}
    return bool(roles) and roles <= {Role.PARENT, Role.YOUNG_PERSON}


def own_record(policy: AccessPolicy) -> bool:
    """A young person reading about themselves: pages speak to them as "you"."""
    return {m.role for m in policy.memberships} == {Role.YOUNG_PERSON}


def expected_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return -1


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
                    return redirect("profiles:tasks", pk=profile.pk)
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


def _task_context(profile: Profile, view: selectors.ProfileView) -> dict[str, Any]:
    answers = family.answers_for(profile)
    all_sections = tasks.sections(profile, view, answers)
    done, total = tasks.progress(all_sections)
    return {
        "sections": all_sections,
        "continue_url": tasks.continue_url(all_sections),
        "done": done,
        "total": total,
        "family_answers": answers,
    }


@require_safe
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    if not profile.is_draft:
        return redirect("profiles:summary", pk=pk)
    selectors.open_profile(actor, pk, "Profile task list opened")
    view = selectors.profile_view(profile)
    context = {"profile": profile, "view": view, "asked": "asked" in request.GET}
    return render(request, "profiles/tasks.html", context | _task_context(profile, view))


@require_safe
def introduction(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    selectors.open_profile(actor, pk, "Framework introduction read")
    view = selectors.profile_view(profile)
    return render(request, "profiles/introduction.html", {"profile": profile, "view": view})


@require_POST
def ask_family(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    if not profile.is_draft:
        return locked(request, profile)
    family.ask_family(actor=actor, profile=profile)
    return redirect(reverse("profiles:tasks", kwargs={"pk": pk}) + "?asked=1")


@require_safe
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.open_profile(actor, pk)
    view = selectors.profile_view(profile)
    policy = AccessPolicy.for_request(request)  # already asked about this child: no query
    can_edit = policy.can(Perm.EDIT_PROFILE, profile.child_id)
    can_family = policy.can(Perm.RECORD_HOME_CONFIDENCE, profile.child_id)
    history = selectors.history(profile)
    # No review has been started from this profile (read from the history: no extra query).
    is_latest = not any(h.previous_id == profile.pk for h in history)
    views = three_views(view)  # the setting's, the family's and the child's own (ADR 28)
    context: dict[str, Any] = {
        "profile": profile,
        "view": view,
        "chart": profile_chart(view, views.child_levels),
        "three": views,
        "can_give_views": policy.can(Perm.GIVE_OWN_VIEWS, profile.child_id),
        "steps": STEPS,
        "step_names": STEP_NAMES,
        "can_edit": can_edit and profile.is_draft,
        "can_review": can_edit and not profile.is_draft and is_latest,
        "can_family": can_family and profile.is_draft,
        "history": history,
        "placement": children.current_placement(profile.child),
        "family_view": family_only(policy),
        "own_record": own_record(policy),
        "just_finalised": "finalised" in request.GET and not profile.is_draft,
    }
    if profile.is_draft and can_edit:
        context |= _task_context(profile, view)
    elif profile.is_draft:
        context["family_answers"] = view.family_answers
    return render(request, "profiles/summary.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.EDIT_PROFILE)
    summary_url = reverse("profiles:summary", kwargs={"pk": profile.pk}) + "?finalised=1"
    if request.method != "POST":
        if not profile.is_draft:
            return redirect(summary_url)
        selectors.open_profile(actor, pk, "Asked to confirm finalising the profile")
        view = selectors.profile_view(profile)
        context = {"profile": profile, "view": view} | _task_context(profile, view)
        return render(request, "profiles/finalise.html", context)
    earlier = earlier_result(request)
    if earlier:
        return redirect(earlier)  # a second click: the first finalised it
    if not profile.is_draft:
        return locked(request, profile)

    def finish() -> str:
        services.finalise(actor=actor, profile=profile, expected=expected_version(request))
        return summary_url

    try:
        submit_once(request, finish)
    except AlreadySubmitted as done:
        return redirect(done.url)
    except services.ProfileNotReady:
        view = selectors.profile_view(profile)
        context = {"profile": profile, "view": view} | _task_context(profile, view)
        return render(request, "profiles/not_ready.html", context, status=409)
    except services.ProfileLocked:
        return locked(request, profile)
    except services.StaleProfile:
        return render(request, "profiles/stale.html", {"profile": profile}, status=409)
    except services.OutOfOrder as exc:
        return render(
            request,
            "profiles/cannot_review.html",
            {"profile": profile, "reason": str(exc), "heading": "The profile cannot be finalised"},
            status=409,
        )
    return redirect(summary_url)


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
    return redirect("profiles:tasks", pk=new.pk)


@require_safe
def chart_svg(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.open_profile(actor_from_request(request), pk, "Chart viewed")
    view = selectors.profile_view(profile)
    return HttpResponse(
        profile_chart_svg(view, three_views(view).child_levels), content_type="image/svg+xml"
    )


@require_safe
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF is made by a background job; pressing again reuses the same one."""
    export = request_profile_pdf(actor_from_request(request), pk)
    return progress_or_redirect(request, export)
