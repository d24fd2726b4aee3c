"""Pages for a setting's register coming in and going out: upload, columns, preview, confirm,
progress, and downloads (register CSV or Excel, a CTF for children leaving)."""

from django.conf import settings as django_settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.audit.services import actor_from_request, record_children_shown
from vsend.config.forms import error_list
from vsend.config.uploads import too_large
from vsend.exchange import ctf, exports, reading, services
from vsend.exchange.access import exchange_settings, managed_setting
from vsend.exchange.columns import COLUMNS
from vsend.exchange.forms import ConfirmForm, CtfExportForm, MappingForm, UploadForm
from vsend.exchange.models import ImportStatus, RegisterImport, Source
from vsend.exchange.services.apply import ImportRefused, apply_import
from vsend.jobs.queue import enqueue
from vsend.organisations.admin_views import refuse

SHOWN_ROWS = 200


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MANAGE_CLASSES) or not policy.can_anywhere(Perm.CHANGE_CHILD):
        refuse(request, Perm.MANAGE_CLASSES)
    choices = list(exchange_settings(policy)[:501])
    if len(choices) == 1:
        return redirect("exchange:setting", pk=choices[0].pk)
    return render(request, "exchange/index.html", {"settings": choices[:500]})


def _too_large_message() -> str:
    limit = min(django_settings.FILE_UPLOAD_LIMIT_BYTES, reading.MAX_BYTES)
    return f"The selected file must be smaller than {limit // (1024 * 1024)} MB"


@require_http_methods(["GET", "HEAD", "POST"])
def setting_page(request: HttpRequest, pk: int) -> HttpResponse:
    setting = managed_setting(request, pk)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES or None)
    if posted and too_large(request):
        form.is_valid()
        form.errors.pop("register", None)
        form.add_error("register", _too_large_message())
    elif posted and form.is_valid():
        upload = form.cleaned_data["register"]
        if upload.size > min(django_settings.FILE_UPLOAD_LIMIT_BYTES, reading.MAX_BYTES):
            form.add_error("register", _too_large_message())
        else:
            try:
                imp = services.start_import(
                    user=request.user,
                    setting=setting,
                    file_name=upload.name or "",
                    data=upload.read(),
                )
            except reading.UnreadableFile as exc:
                form.add_error("register", str(exc))
            else:
                target = (
                    "exchange:mapping" if imp.status == ImportStatus.MAPPING else "exchange:preview"
                )
                return redirect(target, pk=setting.pk, import_pk=imp.pk)
    past = RegisterImport.objects.filter(setting=setting, applied_at__isnull=False).order_by(
        "-applied_at"
    )[:10]
    return render(
        request,
        "exchange/setting.html",
        {
            "setting": setting,
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "past": past,
            "mapping": services.remembered(setting),
            "columns": COLUMNS,
        },
    )


def _pending(request: HttpRequest, pk: int, import_pk: int) -> RegisterImport:
    setting = managed_setting(request, pk)
    imp = services.pending_import(request.user, setting, import_pk)
    if imp is None:
        raise Http404
    return imp


@require_http_methods(["GET", "HEAD", "POST"])
def mapping(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    imp = _pending(request, pk, import_pk)
    if imp.applied_at or imp.source == Source.CTF:
        return redirect("exchange:preview", pk=pk, import_pk=imp.pk)
    posted = request.method == "POST"
    form = MappingForm(
        request.POST if posted else None, headers=imp.headers, initial_mapping=imp.mapping
    )
    if posted and form.is_valid():
        services.confirm_mapping(actor=actor_from_request(request), imp=imp, mapping=form.mapping())
        return redirect("exchange:preview", pk=pk, import_pk=imp.pk)
    return render(
        request,
        "exchange/mapping.html",
        {
            "setting": imp.setting,
            "imp": imp,
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def preview(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    imp = _pending(request, pk, import_pk)
    if imp.status == ImportStatus.MAPPING:
        return redirect("exchange:mapping", pk=pk, import_pk=imp.pk)
    if imp.applied_at or imp.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return redirect("exchange:progress", pk=pk, import_pk=imp.pk)
    errors = []
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        imp.end_missing = form.cleaned_data["end_missing"]
        imp.save(update_fields=["end_missing"])
        if imp.row_count > services.IN_REQUEST_ROWS:
            RegisterImport.objects.filter(pk=imp.pk, status=ImportStatus.READY).update(
                status=ImportStatus.QUEUED
            )
            enqueue("exchange.apply", imp.pk)
            return redirect("exchange:progress", pk=pk, import_pk=imp.pk)
        try:
            apply_import(actor=actor_from_request(request), pk=imp.pk, user=request.user)
        except ImportRefused as exc:
            errors = [{"text": str(exc), "href": "#problems"}]
        else:
            return redirect("exchange:progress", pk=pk, import_pk=imp.pk)
    plan = services.plan_import(imp)
    shown = (  # as the page shows them: at most SHOWN_ROWS of each list
        [c for c, _ in plan.joining[:SHOWN_ROWS]]
        + [c for c, _, _ in plan.changed[:SHOWN_ROWS]]
        + plan.elsewhere_children[:SHOWN_ROWS]
        + [e.child for e in plan.leaving[:SHOWN_ROWS]]
    )
    record_children_shown(
        actor_from_request(request),
        shown,
        object_type="register_preview",
        summary=f"Register preview for {imp.setting.name} ({imp.file_name})",
        detail={"import_id": imp.pk, "counts": plan.counts},
    )
    return render(
        request,
        "exchange/preview.html",
        {
            "setting": imp.setting,
            "imp": imp,
            "plan": plan,
            "form": form,
            "errors": errors,
            "shown_rows": SHOWN_ROWS,
            "large": imp.row_count > services.IN_REQUEST_ROWS,
        },
    )


@require_safe
def progress(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    imp = _pending(request, pk, import_pk)
    if imp.status in (ImportStatus.MAPPING, ImportStatus.READY):
        return redirect("exchange:preview", pk=pk, import_pk=imp.pk)
    return render(
        request,
        "exchange/progress.html",
        {"setting": imp.setting, "imp": imp, "done": imp.applied_at is not None},
    )


@require_safe
def export_register(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    setting = managed_setting(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content, name = exports.export_register(
        actor=actor_from_request(request), setting=setting, fmt=fmt
    )
    kind = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def export_ctf(request: HttpRequest, pk: int) -> HttpResponse:
    setting = managed_setting(request, pk)
    if not setting.establishment_number:
        policy = AccessPolicy.for_request(request)
        may_edit = policy.can_anywhere(Perm.MANAGE_SETTINGS) and policy.may_manage_authority(
            setting.authority
        )
        return render(
            request,
            "exchange/ctf_export.html",
            {
                "setting": setting,
                "refused": str(ctf.NoEstablishmentNumber(setting)),
                "edit": reverse("organisations:setting-edit", kwargs={"pk": setting.pk})
                if may_edit
                else None,
                "back": reverse("exchange:setting", kwargs={"pk": setting.pk}),
            },
        )
    children = exports.leavers(setting)
    choices = [(str(c.pk), f"{c.full_name}, born {c.date_of_birth:%d/%m/%Y}") for c in children]
    form = CtfExportForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        content, name = exports.export_ctf(
            actor=actor_from_request(request),
            setting=setting,
            child_ids=[int(v) for v in form.cleaned_data["children"]],
        )
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    record_children_shown(
        actor_from_request(request),
        children,
        object_type="ctf_export_choice",
        summary=f"Children who may be put in a Common Transfer File from {setting.name}",
        detail={"setting_id": setting.pk},
    )
    return render(
        request,
        "exchange/ctf_export.html",
        {
            "setting": setting,
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "back": reverse("exchange:setting", kwargs={"pk": setting.pk}),
        },
    )
