from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from vsend.accounts import sessions
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record

Handler = Callable[[HttpRequest], HttpResponse]


SIGN_OUT_SUMMARIES = {
    "idle": "Session expired after inactivity",
    "authenticator_reset": "Signed out: the authenticator app was reset by an administrator",
}


class SessionLimitsMiddleware:
    """Ends sessions idle too long or open too long; pages then ask the user to sign in."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and SESSION_KEY in request.session:
            ended = self._end_if_suspended(request)
            if ended is not None:
                return ended
        if request.user.is_authenticated:
            if sessions.SIGNED_IN_AT not in request.session:
                sessions.start(request)
            reason = sessions.expiry_reason(request)
            if reason:
                record(
                    actor_from_request(request),
                    Action.SIGN_OUT,
                    object_type="user",
                    object_id=request.user.pk,
                    summary=SIGN_OUT_SUMMARIES.get(reason, "Session expired"),
                )
                logout(request)
                if not request.path.startswith("/api/"):
                    query = urlencode({"expired": reason, "next": request.get_full_path()})
                    return HttpResponseRedirect(f"{reverse('accounts:sign-in')}?{query}")
            else:
                sessions.touch(request)
        return self.get_response(request)

    @staticmethod
    def _end_if_suspended(request: HttpRequest) -> HttpResponse | None:
        """A session whose account has been suspended since it began: Django no longer treats
        it as signed in; end it now and say why, rather than leave it to lapse."""
        from vsend.accounts.models import User

        user_id = str(request.session.get(SESSION_KEY))
        suspended = (
            User.objects.filter(pk=int(user_id), suspended_at__isnull=False).first()
            if user_id.isdigit()
            else None
        )
        if suspended is None:
            return None
        record(
            actor_from_request(request),
            Action.SIGN_OUT,
            object_type="user",
            object_id=suspended.pk,
            summary="Signed out: the account has been suspended",
            label=suspended.email,
        )
        request.session.flush()
        if request.path.startswith("/api/"):
            return None  # the API answers 401 for the anonymous request
        return HttpResponseRedirect(f"{reverse('accounts:sign-in')}?expired=suspended")


def mfa_required(user: object) -> bool:
    """Staff where a second factor is required, and anyone whose authenticator app an
    administrator has reset."""
    if getattr(user, "must_set_up_authenticator", False):
        return True
    return bool(settings.VSEND_REQUIRE_MFA and getattr(user, "needs_mfa", False))


def has_mfa_device(user: object) -> bool:
    """An authenticator app set up (recovery codes alone are not a second factor to keep)."""
    from vsend.accounts.recovery import has_authenticator

    return has_authenticator(user)


# [user id, LAST_SEEN] when the user was last found to have no authenticator app: the answer
# holds until the session's last-seen time next moves on (at most every 15 seconds of use, see
# sessions.touch), so a signed-in request does not ask the database each time, and an app set up
# in another session is asked for here within seconds.
NO_AUTHENTICATOR = "vsend_no_authenticator"


def has_mfa_device_for(request: HttpRequest) -> bool:
    """has_mfa_device() for the request's user, a "no" remembered in the session a while."""
    user, session = request.user, request.session
    mark = [user.pk, session.get(sessions.LAST_SEEN)]
    if mark[1] is not None and session.get(NO_AUTHENTICATOR) == mark:
        return False
    if has_mfa_device(user):
        session.pop(NO_AUTHENTICATOR, None)
        return True
    if mark[1] is not None:
        session[NO_AUTHENTICATOR] = mark
    return False


class RequireMFAMiddleware:
    """Until the second factor is given, a signed-in user can only complete it or sign out.

    Anyone who has set up a second factor must use it; staff must set one up where it is
    required (always in production). The API's session authentication checks the same.
    """

    ALLOWED = (
        "accounts:mfa-verify",
        "accounts:mfa-recovery",
        "accounts:mfa-setup",
        "accounts:sign-out",
    )

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(("/api/", settings.STATIC_URL))
            and request.path not in {reverse(name) for name in self.ALLOWED}
        ):
            if has_mfa_device_for(request):
                return HttpResponseRedirect(reverse("accounts:mfa-verify"))
            if mfa_required(user):
                return HttpResponseRedirect(reverse("accounts:mfa-setup"))
        return self.get_response(request)


def mfa_satisfied(user: object) -> bool:
    """True when the user has given every factor they must give."""
    if getattr(user, "is_verified", lambda: False)():
        return True
    return not has_mfa_device(user) and not mfa_required(user)


class PreferredLanguageMiddleware:
    """Serves a signed-in person's pages in the language they chose on their account page.

    LocaleMiddleware (before this) has already chosen from the browser among the authority's
    languages; a stored choice still offered wins. Nothing changes when only one is offered."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = {code for code, _name in settings.LANGUAGES}
        if len(offered) > 1 and request.user.is_authenticated and request.user.language in offered:
            chosen = request.user.language
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
