"""The family's own home-confidence answers: one question a page, then check and send.

Each answer is saved in the database as the parent goes (profiles/family.py), so nothing is lost
if they stop, come back another day or are signed out after a quiet spell.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.roles import Perm
from vsend.audit.services import actor_from_request
from vsend.config.forms import error_list
from vsend.profiles import family, selectors, services
from vsend.profiles.forms import FamilyAnswerForm
from vsend.profiles.models import Profile
from vsend.profiles.views import expected_version, locked
from vsend.voice.questions import family_level_words


def _family_profile(request: HttpRequest, pk: int) -> tuple[Any, Profile]:
    actor = actor_from_request(request)
    profile = selectors.get_profile_for(actor, pk, Perm.RECORD_HOME_CONFIDENCE)
    return actor, profile


def _saved(profile: Profile) -> dict[str, dict[str, Any]]:
    answers = family.answers_for(profile)
    return dict(answers.answers) if answers and not answers.sent_at else {}


@require_safe
def family_start(request: HttpRequest, pk: int) -> HttpResponse:
    actor, profile = _family_profile(request, pk)
    if not profile.is_draft:
        return locked(request, profile)
    selectors.open_profile(actor, pk, "Family questions opened")
    view = selectors.profile_view(profile)
    saved = _saved(profile)
    keys = [d.domain.key for d in view.domains]
    next_key = next((k for k in keys if k not in saved), None)
    return render(
        request,
        "profiles/family_start.html",
        {"profile": profile, "view": view, "saved": saved, "next_key": next_key},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def family_question(request: HttpRequest, pk: int, domain: str) -> HttpResponse:
    actor, profile = _family_profile(request, pk)
    if not profile.is_draft:
        return locked(request, profile)
    view = selectors.profile_view(profile)
    keys = [d.domain.key for d in view.domains]
    if domain not in keys:
        raise Http404
    d = view.framework.domain(domain)
    saved = _saved(profile).get(domain) or {}
    rating = next(x.rating for x in view.domains if x.domain.key == domain)
    # This draft's own answer only: a review starts with no home confidence (nothing carried).
    initial = {
        "level": saved.get("level", rating.confidence_level),
        "note": saved.get("note", rating.confidence_note),
        "need": "" if saved.get("need") is None else str(saved["need"]),
    }
    form = FamilyAnswerForm(
        request.POST or None, initial=initial, framework=view.framework, domain=d
    )
    index = keys.index(domain)
    if request.method == "POST" and form.is_valid():
        try:
            family.save_answer(
                actor=actor,
                profile=profile,
                domain=domain,
                level=form.cleaned_data["level"],
                note=form.cleaned_data["note"],
                need=form.cleaned_data["need"],
            )
        except services.ProfileLocked:
            return locked(request, profile)
        if "check" in request.GET or index == len(keys) - 1:
            return redirect("profiles:family-check", pk=pk)
        return redirect("profiles:family-question", pk=pk, domain=keys[index + 1])
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
        return locked(request, profile)
    view = selectors.profile_view(profile)
    answers = _saved(profile)
    missing = [d.domain for d in view.domains if d.domain.key not in answers]
    errors: list[dict[str, str]] = []
    if request.method == "GET":
        selectors.open_profile(actor, pk, "Family answers checked")
    elif missing:
        errors = [
            {
                "text": _("Answer the question about %(area)s") % {"area": _(d.name).lower()},
                "href": reverse("profiles:family-question", kwargs={"pk": pk, "domain": d.key}),
            }
            for d in missing
        ]
    else:
        try:
            family.send_answers(actor=actor, profile=profile, expected=expected_version(request))
        except services.ProfileLocked:
            return locked(request, profile)
        except services.StaleProfile:
            profile.refresh_from_db()
            errors = [
                {
                    "text": _(
                        "Someone updated this profile while you were answering. Your "
                        "answers are still here: check them and send them again."
                    )
                }
            ]
        else:
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
            "need_words": family_level_words(len(view.framework.scale)),
        },
    )
