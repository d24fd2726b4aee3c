"""The page an invitation's link opens: choose a password (or add the role to an existing
account), then, for staff, set up the authenticator app."""

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vsend.accounts import invitations, sessions
from vsend.accounts.models import User
from vsend.accounts.people_forms import AcceptInvitationForm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.config.forms import error_list

REFUSALS = {
    "forged": (404, "This invitation link is not valid"),
    "expired": (410, "This invitation has expired"),
    "accepted": (410, "This invitation has already been used"),
    "cancelled": (410, "This invitation has been cancelled"),
}


def _refused(request: HttpRequest, refusal: invitations.InvitationRefused) -> HttpResponse:
    status, title = REFUSALS.get(refusal.reason, REFUSALS["forged"])
    inv = refusal.invitation
    record(
        actor_from_request(request),
        Action.ACCESS_REFUSED,
        object_type="invitation",
        object_id=inv.pk if inv else "",
        authority_id=inv.authority_id if inv else None,
        summary=f"Invitation link refused: {refusal.reason}",
        detail={"reason": refusal.reason},
    )
    return render(
        request,
        "accounts/invitation_refused.html",
        {"title": title, "reason": refusal.reason},
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        inv = invitations.find(token)
    except invitations.InvitationRefused as refusal:
        return _refused(request, refusal)
    existing = invitations.account_for(inv)
    context = {"invitation": inv, "organisation": inv.setting or inv.authority}
    if existing is not None or request.user.is_authenticated:
        if not request.user.is_authenticated or request.user.pk != getattr(existing, "pk", None):
            # Another account is signed in, or the person must sign in to their own first.
            return render(
                request,
                "accounts/invitation_sign_in.html",
                {**context, "other_account": request.user.is_authenticated},
            )
        if request.method == "POST":
            try:
                invitations.accept_existing(
                    actor=actor_from_request(request), invitation=inv, user=cast(User, request.user)
                )
            except invitations.InvitationRefused as refusal:
                return _refused(request, refusal)
            messages.success(
                request, f"You are now {inv.get_role_display()} at {context['organisation']}."
            )
            return redirect("home")
        return render(request, "accounts/invitation_confirm.html", context)
    form = AcceptInvitationForm(
        request.POST or None, initial={"full_name": inv.full_name}, email=inv.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_new(
                actor=actor_from_request(request),
                invitation=inv,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except invitations.InvitationRefused as refusal:
            return _refused(request, refusal)
        except invitations.WrongAccount:
            return render(
                request, "accounts/invitation_sign_in.html", {**context, "other_account": False}
            )
        login(request, user, backend="vsend.accounts.backends.EmailBackend")
        sessions.start(request)
        record(
            actor_from_request(request),
            Action.SIGN_IN,
            object_type="user",
            object_id=user.pk,
            summary="Signed in after accepting an invitation",
        )
        if user.needs_mfa:
            return redirect("accounts:mfa-setup")
        messages.success(request, f"Your account is ready. Welcome to {context['organisation']}.")
        return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {**context, "form": form, "errors": error_list(form) if form.is_bound else []},
    )
