"""Special-school place planning in the API: the authority's tables (places and roll, the
priority funnels, nearest schools and travel past them, the forecast), built by the page's own
table builders. Exact for those who may see the children (the authority's administrators),
through disclosure control for LA officers (ADR 11); no child is ever listed. Read only and
audited, one row a request."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.accounts.policy import Disclosure
from vsend.api.insights import TableOut
from vsend.api.problems import problem_responses
from vsend.audit.models import Action, Channel
from vsend.audit.services import actor_from_request, record
from vsend.insights import dashboards, suppression
from vsend.places import forecast, planning
from vsend.places.tables import build


class PlacePlanningOut(serializers.Serializer[Any]):
    authority = serializers.IntegerField()
    as_at = serializers.DateField()
    suppressed = serializers.BooleanField()
    tables = TableOut(many=True)
    method = serializers.ListField(
        child=serializers.CharField(), help_text="How the forecast is worked out"
    )
    disclosure = serializers.DictField(
        allow_null=True,
        help_text="For viewers who may not see children: how counts are rounded and hidden "
        "(null when the figures are exact)",
    )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "authority",
            OpenApiTypes.INT64,
            description="The id of an authority whose figures the user may open (default: "
            "their own); any other is a 404",
        ),
    ],
    responses={200: PlacePlanningOut, **problem_responses(403, 404)},
    summary="The authority's special-school place planning tables",
)
@api_view(["GET"])
def place_planning(request: Request) -> Response:
    actor = actor_from_request(request, channel=Channel.API)
    chosen = request.query_params.get("authority", "")[:20] or None
    authority = dashboards.authority_for(actor, chosen)
    identifiable = dashboards.authority_identifiable(request.user, authority)
    view = build(planning.compute(authority, timezone.localdate()), identifiable)
    record(
        actor,
        Action.VIEW,
        object_type="place_planning",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary=f"Special-school place planning for {authority.name} (API)",
        detail={"disclosure": Disclosure.IDENTIFIABLE if identifiable else Disclosure.ANONYMOUS},
    )
    return Response(
        PlacePlanningOut(
            {
                "authority": authority.pk,
                "as_at": view.plan.today,
                "suppressed": not identifiable,
                "tables": [t.as_dict() for t in view.tables],
                "method": forecast.METHOD,
                "disclosure": None if identifiable else suppression.api_note(),
            }
        ).data
    )


urlpatterns = [
    path("place-planning/", login_not_required(place_planning), name="place-planning"),
]
