"""The authority's choice for the family's access log: staff by role only, or with names."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vsend.audit.models import Action
from vsend.audit.services import Actor, actor_from_request, record
from vsend.config.forms import error_list
from vsend.organisations.admin_views import managed_authority
from vsend.organisations.models import LocalAuthority

CHOICE_REQUIRED = "Choose whether families see the names of staff"


class StaffNamesForm(forms.Form):
    show = forms.ChoiceField(
        label="What should families see about the staff who opened their child's record?",
        choices=[
            ("no", "Their role and organisation only, for example “A SENDCo at Oakfield”"),
            ("yes", "Their name too, for example “Jo Bloggs, SENDCo at Oakfield”"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": CHOICE_REQUIRED, "invalid_choice": CHOICE_REQUIRED},
    )


def set_staff_names(*, actor: Actor, authority: LocalAuthority, show: bool) -> None:
    """Sets (not toggles) the choice, so sending the form twice changes nothing more."""
    with transaction.atomic():
        la = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
        if la.family_log_shows_staff_names == show:
            return
        la.family_log_shows_staff_names = show
        la.save(update_fields=["family_log_shows_staff_names"])
        record(
            actor,
            Action.UPDATE,
            obj=la,
            authority_id=la.pk,
            summary="Families' access log: staff names " + ("shown" if show else "hidden"),
            detail={"family_log_shows_staff_names": show},
        )


@require_http_methods(["GET", "HEAD", "POST"])
def staff_names(request: HttpRequest, pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    initial: dict[str, Any] = {"show": "yes" if la.family_log_shows_staff_names else "no"}
    form = StaffNamesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        show = form.cleaned_data["show"] == "yes"
        set_staff_names(actor=actor_from_request(request), authority=la, show=show)
        messages.success(request, "Saved what families see about staff.")
        return redirect("organisations:authority", pk=la.pk)
    return render(
        request,
        "family/staff_names.html",
        {"authority": la, "form": form, "errors": error_list(form) if form.is_bound else []},
    )
