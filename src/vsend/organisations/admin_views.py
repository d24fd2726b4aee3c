"""Pages for an authority's administrators: its settings, localities and trusts, and loading
settings from the public register. Thin: authorise through the access policy, call services."""

from typing import Any, NoReturn

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, refuse_role
from vsend.config.forms import error_list
from vsend.config.uploads import too_large
from vsend.organisations import gias, imports, services
from vsend.organisations.forms import (
    AuthorityForm,
    ImportForm,
    LocalityForm,
    SettingForm,
    TrustForm,
)
from vsend.organisations.models import LocalAuthority, Setting
from vsend.submissions.services import AlreadySubmitted, earlier_result, submit_once


def refuse(request: HttpRequest, perm: str) -> NoReturn:
    refuse_role(actor_from_request(request), perm)


def managed_authority(request: HttpRequest, pk: int) -> LocalAuthority:
    """The authority, if the user may run it: 403 without the permission, else 404."""
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MANAGE_SETTINGS):
        refuse(request, Perm.MANAGE_SETTINGS)
    authority = LocalAuthority.objects.filter(pk=pk).first()
    if authority is None or not policy.may_manage_authority(authority):
        raise Http404
    return authority


@require_safe
def authority(request: HttpRequest, pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    return render(
        request,
        "organisations/authority.html",
        {
            "authority": la,
            "localities": la.localities.all(),
            "settings": Setting.objects.filter(authority=la).select_related("locality", "trust"),
        },
    )


def too_large_message() -> str:
    limit = min(settings.FILE_UPLOAD_LIMIT_BYTES, gias.MAX_BYTES)
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return (
        f"The selected file must be smaller than {size}: download your authority's "
        "establishments from GIAS rather than all of England's"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES or None, localities=la.localities.all()
    )
    if posted and too_large(request):
        form.is_valid()
        form.errors.pop("extract", None)
        form.add_error("extract", too_large_message())  # the file was stopped as it arrived
    elif posted and form.is_valid():
        upload = form.cleaned_data["extract"]
        if upload.size > min(settings.FILE_UPLOAD_LIMIT_BYTES, gias.MAX_BYTES):
            form.add_error("extract", too_large_message())
        else:
            try:
                imp = imports.start_import(
                    user=request.user,
                    authority=la,
                    locality=form.cleaned_data["locality"],
                    file_name=upload.name or "",
                    data=upload.read(),
                )
            except gias.UnreadableFile as exc:
                form.add_error("extract", str(exc))
            else:
                return redirect("organisations:import-preview", pk=la.pk, import_pk=imp.pk)
    return render(
        request,
        "organisations/import_upload.html",
        {"authority": la, "form": form, "errors": error_list(form) if form.is_bound else []},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    imp = imports.pending_import(request.user, la, import_pk)
    if imp is None:
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            done = imports.apply_import(
                actor=actor_from_request(request), user=request.user, authority=la, pk=imp.pk
            )
        except imports.ImportRefused as exc:
            errors = [{"text": str(exc), "href": "#problems"}]
        else:
            return render(
                request, "organisations/import_done.html", {"authority": la, "plan": done}
            )
    return render(
        request,
        "organisations/import_preview.html",
        {"authority": la, "imp": imp, "plan": imports.plan_import(imp), "errors": errors},
    )


def _form_page(
    request: HttpRequest, template: str, form: forms.BaseForm, **context: Any
) -> HttpResponse:
    errors = error_list(form) if form.is_bound else []
    return render(request, template, {"form": form, "errors": errors, **context})


@require_http_methods(["GET", "HEAD", "POST"])
def authority_create(request: HttpRequest) -> HttpResponse:
    if not AccessPolicy.for_request(request).may_create_authority():
        refuse(request, Perm.CREATE_AUTHORITY)
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    form = AuthorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            la = services.add_authority(
                actor=actor_from_request(request),
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
            )
            return reverse("organisations:authority", kwargs={"pk": la.pk})

        try:
            return redirect(submit_once(request, add))
        except AlreadySubmitted as done:
            return redirect(done.url)
    return _form_page(request, "organisations/authority_form.html", form)


@require_http_methods(["GET", "HEAD", "POST"])
def locality_create(request: HttpRequest, pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    form = LocalityForm(request.POST or None, instance=None)
    form.instance.authority = la
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            locality = form.save()
            record(
                actor_from_request(request),
                Action.CREATE,
                obj=locality,
                authority_id=la.pk,
                summary=f"Locality {locality.name} added",
            )
            return reverse("organisations:authority", kwargs={"pk": la.pk})

        try:
            return redirect(submit_once(request, add))
        except AlreadySubmitted as done:
            return redirect(done.url)
    return _form_page(
        request, "organisations/simple_form.html", form, authority=la, title="Add a locality"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def trust_create(request: HttpRequest, pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    form = TrustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            trust = form.save()
            record(
                actor_from_request(request),
                Action.CREATE,
                obj=trust,
                authority_id=la.pk,
                summary=f"Trust {trust.name} added",
            )
            return reverse("organisations:authority", kwargs={"pk": la.pk})

        try:
            return redirect(submit_once(request, add))
        except AlreadySubmitted as done:
            return redirect(done.url)
    return _form_page(
        request, "organisations/simple_form.html", form, authority=la, title="Add a trust"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def setting_create(request: HttpRequest, pk: int) -> HttpResponse:
    la = managed_authority(request, pk)
    if (earlier := earlier_result(request)) is not None:
        return redirect(earlier)  # the same form posted again
    form = SettingForm(request.POST or None, authority_id=la.pk)
    if request.method == "POST" and form.is_valid():

        def add() -> str:
            setting = form.save()
            record(
                actor_from_request(request),
                Action.CREATE,
                obj=setting,
                authority_id=la.pk,
                summary=f"Setting {setting.name} added by hand",
            )
            return reverse("organisations:authority", kwargs={"pk": la.pk})

        try:
            return redirect(submit_once(request, add))
        except AlreadySubmitted as done:
            return redirect(done.url)
    return _form_page(request, "organisations/setting_form.html", form, authority=la, setting=None)


@require_http_methods(["GET", "HEAD", "POST"])
def setting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MANAGE_SETTINGS):
        refuse(request, Perm.MANAGE_SETTINGS)
    setting = Setting.objects.filter(pk=pk).select_related("authority").first()
    if setting is None or not policy.may_manage_authority(setting.authority):
        raise Http404
    form = SettingForm(request.POST or None, instance=setting, authority_id=setting.authority_id)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        record(
            actor_from_request(request),
            Action.UPDATE,
            obj=setting,
            authority_id=setting.authority_id,
            summary=f"Setting {setting.name} changed by hand",
            detail={"fields": changed},
        )
        return redirect("organisations:authority", pk=setting.authority_id)
    return _form_page(
        request,
        "organisations/setting_form.html",
        form,
        authority=setting.authority,
        setting=setting,
    )
