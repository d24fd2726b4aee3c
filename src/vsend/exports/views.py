"""The progress page of a file being made, and its download. Works without JavaScript: the page
refreshes itself (and has a "Check again" link) until the file is ready, then sends the user on."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from vsend.audit.services import actor_from_request
from vsend.exports import access
from vsend.exports.models import Export, Kind, Status

REFRESH_SECONDS = 2


def file_response(export: Export, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _again(export: Export) -> str:
    if export.kind == Kind.PROFILE_PDF:
        return reverse("profiles:pdf", kwargs={"pk": export.object_id})
    if export.kind == Kind.PROVISION_MAP_PDF:
        return reverse("provision:child-map", kwargs={"pk": export.object_id})
    return reverse("insights:governors", kwargs={"pk": export.object_id})


def progress_or_redirect(request: HttpRequest, export: Export) -> HttpResponse:
    if export.status == Status.READY:
        return redirect("exports:file", pk=export.pk)
    return redirect("exports:detail", pk=export.pk)


@require_safe
def detail(request: HttpRequest, pk: str) -> HttpResponse:
    export = access.export_for(request.user, pk)
    if export.status == Status.READY:
        return redirect("exports:file", pk=export.pk)
    response = render(
        request,
        "exports/progress.html",
        {"export": export, "refresh_seconds": REFRESH_SECONDS, "again_url": _again(export)},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def file(request: HttpRequest, pk: str) -> HttpResponse:
    export = access.export_for(request.user, pk)
    if export.status != Status.READY:
        return redirect("exports:detail", pk=export.pk)
    return file_response(export, access.open_export(actor_from_request(request), export))
