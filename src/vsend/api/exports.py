"""PDFs in the API: asked for, made in the background, polled, then downloaded.

GET /profiles/{id}/pdf answers 202 Accepted with a Location to poll (or 303 straight to the file
when it is ready); the poll answers 200 with the status while it is being made, then 303 See
Other to the file."""

from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.api.problems import Conflict, problem_responses
from vsend.audit.models import Channel
from vsend.audit.services import actor_from_request
from vsend.exports import access
from vsend.exports.models import Export, Status
from vsend.exports.views import REFRESH_SECONDS, file_response


class ExportOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    file = serializers.CharField(
        allow_null=True, help_text="Where to download the file, once it is ready"
    )


def _data(export: Export) -> dict[str, Any]:
    return {
        "id": export.pk,
        "kind": export.kind,
        "status": export.status,
        "created_at": export.created_at,
        "expires_at": export.expires_at,
        "file": reverse("api:export-file", kwargs={"pk": export.pk})
        if export.status == Status.READY
        else None,
    }


class SeeOther(HttpResponseRedirect):
    status_code = status.HTTP_303_SEE_OTHER


def export_answer(export: Export) -> HttpResponse:
    if export.status == Status.READY:
        body = JSONRenderer().render(ExportOut(_data(export)).data)
        return SeeOther(
            reverse("api:export-file", kwargs={"pk": export.pk}),
            content=body,
            content_type="application/json",
        )
    return Response(
        _data(export),
        status=status.HTTP_200_OK,
        headers={"Retry-After": str(REFRESH_SECONDS)} if not export.done else {},
    )


@extend_schema(
    responses={
        202: OpenApiResponse(ExportOut, description="Being made: poll the Location"),
        303: OpenApiResponse(ExportOut, description="Ready: the Location is the file"),
        **problem_responses(403, 404),
    },
    summary="The whole profile as a PDF, made in the background",
)
@api_view(["GET"])
def profile_pdf(request: Request, pk: int) -> HttpResponse:
    export = access.request_profile_pdf(actor_from_request(request, channel=Channel.API), pk)
    if export.status == Status.READY:
        return export_answer(export)
    location = reverse("api:export", kwargs={"pk": export.pk})
    return Response(
        _data(export),
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": location, "Retry-After": str(REFRESH_SECONDS)},
    )


@extend_schema(
    responses={
        200: OpenApiResponse(ExportOut, description="Still being made, or it failed"),
        303: OpenApiResponse(ExportOut, description="Ready: the Location is the file"),
        **problem_responses(404),
    },
    summary="How a file being made is getting on",
)
@api_view(["GET"])
def export_status(request: Request, pk: str) -> HttpResponse:
    return export_answer(access.export_for(request.user, pk))


@extend_schema(
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        **problem_responses(403, 404, 409),
    },
    summary="Download a file made in the background (the download is audited)",
)
@api_view(["GET"])
def export_file(request: Request, pk: str) -> HttpResponse:
    export = access.export_for(request.user, pk)
    if export.status != Status.READY:
        raise Conflict("The file is not ready yet: poll its status until it is.")
    return file_response(
        export, access.open_export(actor_from_request(request, channel=Channel.API), export)
    )
