"""Signing in and out, the second factor, and the user's own account page."""

from datetime import timedelta
from typing import cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vsend.accounts import sessions, throttle
from vsend.accounts.forms import ApiTokenForm, CodeForm, LanguageForm, SignInForm
from vsend.accounts.middleware import has_mfa_device, mfa_required
from vsend.accounts.models import ApiToken, User, hash_token
from vsend.accounts.recovery import codes_left, issue_recovery_codes, match_authenticator
from vsend.accounts.roles import CHILD_LINKED_ROLES
from vsend.accounts.services import create_api_token, revoke_api_token, set_language
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record
from vsend.config.forms import error_list
from vsend.submissions.services import AlreadySubmitted, submit_once


def duration_words(length: timedelta) -> str:
    """A session limit in words: "30 minutes", "1 hour", "1 hour and 30 minutes"."""
    minutes = int(length.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((hours, "hour"), (minutes, "minute"))
        if n
    ]
    return " and ".join(parts) or "less than a minute"


def expired_message(reason: str) -> str | None:
    """Why the user was signed out, with the limits this service is configured with."""
    if reason == "idle":
        return (
            "You were signed out because you had not done anything for "
            f"{duration_words(settings.VSEND_SESSION_IDLE)}."
        )
    if reason == "absolute":
        return (
            "You were signed out because you had been signed in for "
            f"{duration_words(settings.VSEND_SESSION_ABSOLUTE)}."
        )
    return EXPIRED_MESSAGES.get(reason)


EXPIRED_MESSAGES = {
    "suspended": "You were signed out because your account has been suspended. Ask your "
    "administrator if you think this is wrong.",
    "authenticator_reset": "You were signed out because your administrator reset your "
    "authenticator app. Sign in again to set up a new one.",
}


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        actor = actor_from_request(request)
        if throttle.address_paused(request, actor.ip_address):
            record(
                actor,
                Action.LOCKED_OUT,
                object_type="user",
                summary="Sign-in paused: failed sign-ins for many accounts from this address",
                label=(request.POST.get("username") or "")[:254],
            )
            return render(
                request,
                "accounts/address_paused.html",
                {"minutes": throttle.window_minutes()},
                status=429,
            )
        if form.is_valid():
            user = form.get_user()
            login(request, user)  # a new session id, so a planted one is useless
            sessions.start(request)
            record(
                actor_from_request(request),
                Action.SIGN_IN,
                object_type="user",
                object_id=user.pk,
                summary="Signed in with password",
            )
            if has_mfa_device(user):
                query = urlencode({"next": _next_url(request)})
                return redirect(f"{reverse('accounts:mfa-verify')}?{query}")
            if mfa_required(user):
                return redirect("accounts:mfa-setup")
            return HttpResponseRedirect(_next_url(request))
        record(
            actor_from_request(request),
            Action.SIGN_IN_FAILED,
            object_type="user",
            summary="Sign-in refused",
            label=(request.POST.get("username") or "")[:254],
        )
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "expired": expired_message(request.GET.get("expired", "")),
        },
    )


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    record(
        actor_from_request(request),
        Action.LOCKED_OUT,
        object_type="user",
        summary="Too many failed sign-ins from this address",
        label=(request.POST.get("username") or "")[:254],
    )
    return render(
        request,
        "accounts/locked_out.html",
        {"wait": duration_words(settings.AXES_COOLOFF_TIME)},
        status=429,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    record(
        actor_from_request(request),
        Action.SIGN_OUT,
        object_type="user",
        object_id=request.user.pk,
        summary="Signed out",
    )
    logout(request)
    return render(request, "accounts/signed_out.html")


@require_http_methods(["GET", "HEAD", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_authenticator(cast(User, request.user), form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            record(
                actor_from_request(request),
                Action.MFA_VERIFIED,
                object_type="user",
                object_id=request.user.pk,
                summary="Security code accepted",
            )
            return HttpResponseRedirect(_next_url(request))
        record(
            actor_from_request(request),
            Action.MFA_FAILED,
            object_type="user",
            object_id=request.user.pk,
            summary="Security code refused",
        )
        form.add_error(
            "code",
            "The security code is not correct or has expired. Enter the "
            "code your authenticator app shows now",
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "HEAD", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, then prove it works by entering a code."""
    user = cast(User, request.user)
    if has_mfa_device(user):
        return redirect("accounts:account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            actor = actor_from_request(request)
            record(
                actor,
                Action.CREATE,
                obj=device,
                object_type="mfa_device",
                summary="Authenticator app set up",
            )
            if user.authenticator_reset_at is not None:
                user.authenticator_reset_at = None
                user.save(update_fields=["authenticator_reset_at"])
            # Shown once, now: the way back in if the phone is lost.
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": issue_recovery_codes(actor=actor, user=user), "first": True},
            )
        form.add_error(
            "code",
            "The security code is not correct. Check the app shows "
            "vsend and enter the code it shows now",
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_data_uri(scale=5, dark="#0b0c0c"),
            "secret": _base32_secret(device),
            "required": mfa_required(user),
        },
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


def _account_page(request: HttpRequest, language_form: LanguageForm | None = None) -> HttpResponse:
    user = cast(User, request.user)
    memberships = user.active_memberships()
    # Families choose their language when the authority offers more than one.
    offers_languages = len(settings.LANGUAGES) > 1 and any(
        m.role in CHILD_LINKED_ROLES for m in memberships
    )
    if offers_languages and language_form is None:
        language_form = LanguageForm(initial={"language": user.language or settings.LANGUAGE_CODE})
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "tokens": ApiToken.objects.filter(user=user),
            "form": ApiTokenForm(),
            "language_form": language_form if offers_languages else None,
            "has_mfa": has_mfa_device(user),
            "codes_left": codes_left(user),
            "token_days": settings.VSEND_API_TOKEN_DAYS,
            "errors": error_list(language_form) if language_form and language_form.errors else [],
        },
    )


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = LanguageForm(request.POST)
    if len(settings.LANGUAGES) < 2 or not form.is_valid():
        return _account_page(request, language_form=form)
    set_language(
        actor=actor_from_request(request), user=user, language=form.cleaned_data["language"]
    )
    translation.activate(user.language)
    messages.success(
        request,
        _("Your pages will now be in %(language)s.")
        % {"language": dict(settings.LANGUAGES)[user.language]},
    )
    return redirect("accounts:account")


@require_http_methods(["GET", "HEAD", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[str] = []

        def create() -> str:
            made.append(
                create_api_token(
                    actor=actor_from_request(request),
                    user=cast(User, request.user),
                    name=form.cleaned_data["name"],
                )
            )
            return reverse("accounts:account")

        try:
            submit_once(request, create)
        except AlreadySubmitted as done:
            # A second click: the token was made by the first and shown only to it.
            messages.success(
                request,
                f"The token '{form.cleaned_data['name']}' was created by your first click and "
                "is listed below. Its value is shown only once: if you did not copy it, "
                "revoke it and create another.",
            )
            return redirect(done.url)
        return render(
            request,
            "accounts/token_created.html",
            {
                "raw": made[0],
                "name": form.cleaned_data["name"],
                "expires_at": ApiToken.objects.get(key_hash=hash_token(made[0])).expires_at,
            },
        )
    return render(request, "accounts/token_new.html", {"form": form})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=cast(User, request.user))
    revoke_api_token(actor=actor_from_request(request), token=token)
    messages.success(
        request, f"The token '{token.name}' has been revoked. It can no longer be used."
    )
    return redirect("accounts:account")
