"""Dashboard aggregates in the API: the same tables, suppressed the same way, as the pages."""

from datetime import date
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.api.problems import problem_responses
from vsend.api.schema import ALL
from vsend.audit.models import Action, Channel
from vsend.audit.services import actor_from_request, record
from vsend.children.census import NeedType
from vsend.insights import dashboards, suppression
from vsend.insights.forms import InsightFilterForm
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS, Setting

PARAMETERS = [
    OpenApiParameter(
        "as_at",
        OpenApiTypes.DATE,
        description="Figures as at this date (default today). For viewers who may not see "
        "children, the end of the term containing it (or of the term before, if it is not a "
        "term end); cohort filters do not apply to them.",
    ),
    OpenApiParameter(
        "term", OpenApiTypes.STR, description="Or as at the end of a term, e.g. summer-2026"
    ),
    OpenApiParameter(
        "year", OpenApiTypes.STR, enum=ALL + [c for c, _ in NATIONAL_CURRICULUM_YEARS]
    ),
    OpenApiParameter("sen_provision", OpenApiTypes.STR, enum=["", "K", "E"]),
    OpenApiParameter(
        "need", OpenApiTypes.STR, enum=ALL + NeedType.values, description="Primary need"
    ),
    OpenApiParameter("sex", OpenApiTypes.STR, enum=["", "F", "M"]),
]


class TableOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(), help_text="Counts are numbers; hidden ones are text"
    )


class DashboardOut(serializers.Serializer[Any]):
    scope = serializers.CharField()
    as_at = serializers.DateField()
    term = serializers.CharField()
    suppressed = serializers.BooleanField()
    filters = serializers.DictField()
    tables = TableOut(many=True)
    disclosure = serializers.DictField(
        allow_null=True,
        help_text="For viewers who may not see children: how counts are rounded and hidden "
        "(null when the figures are exact)",
    )


def _form(request: Request, **kwargs: Any) -> InsightFilterForm:
    form = InsightFilterForm(request.query_params, **kwargs)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form


def _as_at(request: Request, form: InsightFilterForm) -> Any:
    raw = request.query_params.get("as_at")
    if not raw:
        return form.as_at()
    value = serializers.DateField().run_validation(raw)
    earliest, today = date(2000, 1, 1), timezone.localdate()
    if not earliest <= value <= today:
        raise ValidationError({"as_at": [f"Choose a date from {earliest.isoformat()} to today"]})
    return value


def _out(dashboard: dashboards.Dashboard, scope: str) -> dict[str, Any]:
    return {
        "scope": scope,
        "as_at": dashboard.as_at,
        "term": dashboard.term.label,
        "suppressed": dashboard.suppressed,
        "filters": dashboard.filters.as_query(),
        "tables": [t.as_dict() for t in dashboard.tables],
        "disclosure": suppression.api_note() if dashboard.suppressed else None,
    }


@extend_schema(
    parameters=[
        *PARAMETERS,
        OpenApiParameter(
            "school_class",
            OpenApiTypes.INT64,
            description="The id of one of the setting's classes the user can see; any other id "
            "is refused (400)",
        ),
    ],
    responses={200: DashboardOut, **problem_responses(400, 403, 404)},
    summary="A setting's needs dashboard",
)
@api_view(["GET"])
def setting_insight(request: Request, pk: int) -> Response:
    actor = actor_from_request(request, channel=Channel.API)
    setting = dashboards.setting_for(actor, pk)
    classes = list(setting.classes.all())
    anonymous = not dashboards.setting_view(request.user, setting).identifiable
    form = _form(request, classes=classes, anonymous=anonymous)
    dashboard = dashboards.setting_dashboard(
        request.user, setting, form.filters(), _as_at(request, form)
    )
    record(
        actor,
        Action.VIEW,
        object_type="setting_insight",
        object_id=pk,
        authority_id=setting.authority_id,
        summary="Setting dashboard viewed",
    )
    return Response(_out(dashboard, f"setting:{setting.pk}"))


@extend_schema(
    parameters=[
        *PARAMETERS,
        OpenApiParameter(
            "authority",
            OpenApiTypes.INT64,
            description="The id of an authority whose dashboard the user may open (default: "
            "their own); any other is a 404",
        ),
        OpenApiParameter(
            "setting",
            OpenApiTypes.INT64,
            description="Benchmark this setting: the id of one of the authority's settings; any "
            "other id is refused (400)",
        ),
    ],
    responses={200: DashboardOut, **problem_responses(400, 403, 404)},
    summary="The authority's needs dashboard",
)
@api_view(["GET"])
def authority_insight(request: Request) -> Response:
    actor = actor_from_request(request, channel=Channel.API)
    authority = dashboards.authority_for(actor, request.query_params.get("authority"))
    settings_list = list(Setting.objects.filter(authority=authority))
    anonymous = not dashboards.authority_identifiable(request.user, authority)
    form = _form(request, settings=settings_list, anonymous=anonymous)
    benchmark = next((s for s in settings_list if s.pk == form.cleaned_data.get("setting")), None)
    dashboard = dashboards.authority_dashboard(
        request.user, authority, form.filters(), _as_at(request, form), benchmark
    )
    record(
        actor,
        Action.VIEW,
        object_type="authority_insight",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary="Authority dashboard viewed",
    )
    return Response(_out(dashboard, f"authority:{authority.pk}"))
