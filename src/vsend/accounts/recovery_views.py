"""Lost authenticator: signing in with a recovery code, making new codes, and an
administrator's reset of a person's authenticator app."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from vsend.accounts.forms import RecoveryCodeForm
from vsend.accounts.middleware import has_mfa_device
from vsend.accounts.models import User
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.recovery import (
    codes_left,
    issue_recovery_codes,
    reset_authenticator,
    use_recovery_code,
)
from vsend.accounts.roles import Perm
from vsend.accounts.views import _next_url
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.submissions.services import AlreadySubmitted, submit_once

FEW_CODES_LEFT = 3


@require_http_methods(["GET", "HEAD", "POST"])
def mfa_recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code instead of the authenticator app's code."""
    user = cast(User, request.user)
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_next_url(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = use_recovery_code(user, form.cleaned_data["code"])
        actor = actor_from_request(request)
        if device is not None:
            otp_login(request, device)
            left = codes_left(user)
            record(
                actor,
                Action.MFA_VERIFIED,
                object_type="user",
                object_id=user.pk,
                summary=f"Recovery code accepted ({left} left)",
            )
            if left <= FEW_CODES_LEFT:
                messages.success(
                    request,
                    f"You have {left} recovery code{'s' if left != 1 else ''} left. "
                    "Make new ones on Your account.",
                )
            return HttpResponseRedirect(_next_url(request))
        record(
            actor,
            Action.MFA_FAILED,
            object_type="user",
            object_id=user.pk,
            summary="Recovery code refused",
        )
        form.add_error(
            "code",
            "The recovery code is not correct or has been used. Enter a code you have not used",
        )
    return render(request, "accounts/mfa_recovery.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make a new set of recovery codes (the old ones stop working); shown once."""
    user = cast(User, request.user)
    has_app = has_mfa_device(user)
    if request.method == "POST":
        if not has_app:
            return redirect("accounts:mfa-setup")
        made: list[list[str]] = []

        def issue() -> str:
            made.append(issue_recovery_codes(actor=actor_from_request(request), user=user))
            return reverse("accounts:account")

        try:
            submit_once(request, issue)
        except AlreadySubmitted as done:
            messages.success(
                request,
                "Your new recovery codes were made by your first click. They are shown only "
                "once: if you did not keep them, make new ones again.",
            )
            return redirect(done.url)
        return render(request, "accounts/recovery_codes.html", {"codes": made[0], "first": False})
    return render(
        request,
        "accounts/recovery_codes_new.html",
        {"has_app": has_app, "codes_left": codes_left(user)},
    )


def _person_for_reset(request: HttpRequest, pk: int) -> tuple[User, int | None]:
    """The person, if within the administrator's reach; outside it they do not exist (404)."""
    policy = AccessPolicy.for_request(request)
    actor = actor_from_request(request)
    person = (
        User.objects.filter(policy.people_reach(Perm.RESET_AUTHENTICATOR), pk=pk).distinct().first()
    )
    if person is None:
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="user",
            object_id=pk,
            summary="Person not in the user's scope",
            detail={"permission": Perm.RESET_AUTHENTICATOR, "reason": "outside_scope"},
        )
        raise Http404("No person found")
    if person.pk == request.user.pk or not policy.outranks(person):
        record(
            actor,
            Action.ACCESS_REFUSED,
            object_type="user",
            object_id=pk,
            summary="Refused: one's own authenticator, or an account above one's own",
            detail={"permission": Perm.RESET_AUTHENTICATOR},
        )
        raise PermissionDenied
    reached = policy.authority_ids(Perm.RESET_AUTHENTICATOR)
    theirs = {m.authority_id for m in person.active_memberships() if m.authority_id}
    shared = sorted(theirs if reached is None else theirs & reached)
    return person, shared[0] if len(shared) == 1 else None


def _people_page() -> str:
    """The people pages, where they are installed; otherwise home."""
    try:
        return reverse("people:index")
    except NoReverseMatch:
        return reverse("home")


@require_http_methods(["GET", "HEAD", "POST"])
def reset_person_authenticator(request: HttpRequest, pk: int) -> HttpResponse:
    person, authority_id = _person_for_reset(request, pk)
    if request.method == "POST":
        reset_authenticator(
            actor=actor_from_request(request), person=person, authority_id=authority_id
        )
        messages.success(
            request,
            f"{person.full_name or person.email}'s authenticator app has been reset. They have "
            "been signed out and will set up a new app when they next sign in.",
        )
        return redirect(_people_page())
    return render(
        request,
        "accounts/reset_authenticator.html",
        {"person": person, "has_app": has_mfa_device(person), "back": _people_page()},
    )
