"""The password reset pages: Django's own views, rendered as GOV.UK pages."""

from typing import Any, cast

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from vsend.accounts.models import User
from vsend.accounts.password_reset import (
    NewPasswordForm,
    ResetRequestForm,
    record_link_refused,
    record_reset_done,
)
from vsend.audit.services import actor_from_request

PAGE_METHODS = ["get", "head", "post"]


class ResetLimits:
    """How long a link works and how often one may be asked for, for the pages to say."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["minutes"] = settings.PASSWORD_RESET_TIMEOUT // 60
        context["per_hour"] = settings.VSEND_PASSWORD_RESETS_PER_HOUR
        return context


@method_decorator(login_not_required, name="dispatch")
class ResetRequest(auth.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-sent")
    http_method_names = PAGE_METHODS


@method_decorator(login_not_required, name="dispatch")
class ResetSent(ResetLimits, auth.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"
    http_method_names = ["get", "head"]


@method_decorator(login_not_required, name="dispatch")
class ResetConfirm(ResetLimits, auth.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")
    http_method_names = PAGE_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Django's checks the link before the method, so a PUT would get the page.
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not context.get("validlink"):
            record_link_refused(actor_from_request(self.request), self.user)
        return context

    def form_valid(self, form: "SetPasswordForm[User]") -> HttpResponse:
        response = super().form_valid(form)
        user = cast(User, self.user)  # a valid link names its user
        record_reset_done(actor_from_request(self.request), user)
        # A locked-out person who has just proved they hold the address may sign in at once.
        reset_lockout(username=user.email)
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetDone(auth.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
    http_method_names = ["get", "head"]
