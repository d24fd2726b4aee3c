"""The portable record in the API: the same document as the download from the record page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.api.problems import problem_responses
from vsend.audit.models import Channel
from vsend.audit.services import actor_from_request
from vsend.records.views import open_record


@extend_schema(
    responses={
        200: OpenApiResponse(
            response=OpenApiTypes.OBJECT,
            description="The child's portable record, as published in "
            "docs/schema/child-record-v1.json (JSON Schema 2020-12, version 1).",
        ),
        **problem_responses(403, 404),
    },
    summary="A child's portable Valuing SEND record (the copy is audited)",
)
@api_view(["GET"])
def child_record(request: Request, pk: int) -> Response:
    return Response(open_record(actor_from_request(request, channel=Channel.API), pk))
