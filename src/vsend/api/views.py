"""The REST API: thin views over the same selectors as the pages."""

from typing import cast

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.accounts.models import User
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.api.problems import problem_responses
from vsend.api.schema import ALL
from vsend.api.serializers import ChildDetailSerializer, ChildSerializer, MeSerializer
from vsend.audit.models import Action, Channel
from vsend.audit.services import Actor, actor_from_request, record, record_children_shown
from vsend.children import selectors
from vsend.children.census import NeedType, SENProvision
from vsend.children.forms import ChildFilterForm
from vsend.organisations.models import NATIONAL_CURRICULUM_YEARS
from vsend.organisations.selectors import classes_visible_to


def _actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


@extend_schema(responses={200: MeSerializer}, summary="The signed-in user and their roles")
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(MeSerializer(cast(User, request.user)).data)


CHILD_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the child's name"),
    OpenApiParameter(
        "year",
        OpenApiTypes.STR,
        enum=ALL + [c for c, _ in NATIONAL_CURRICULUM_YEARS],
        description="National curriculum year of the current year group",
    ),
    OpenApiParameter(
        "school_class",
        OpenApiTypes.INT64,
        description="The id of a class the user can see; any other id is refused (400)",
    ),
    OpenApiParameter("sen_provision", OpenApiTypes.STR, enum=ALL + SENProvision.values),
    OpenApiParameter(
        "need",
        OpenApiTypes.STR,
        enum=ALL + NeedType.values,
        description="Census type of need, primary or secondary",
    ),
    OpenApiParameter(
        "page", OpenApiTypes.INT, description="Page number; past the last page is a 404"
    ),
]


class ChildPage(serializers.Serializer[object]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ChildSerializer(many=True)


def page_number(paginator: PageNumberPagination) -> int:
    page = getattr(paginator, "page", None)
    return page.number if page is not None else 1


@extend_schema(
    parameters=CHILD_FILTERS,
    responses={200: ChildPage, **problem_responses(400, 403, 404)},
    summary="Children the user may see (each page is audited, naming the children in it)",
    operation_id="children_list",
)
@api_view(["GET"])
def child_list(request: Request) -> Response:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.VIEW_CHILD):
        record(
            _actor(request),
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": Perm.VIEW_CHILD},
        )
        raise PermissionDenied
    form = ChildFilterForm(request.query_params, classes=classes_visible_to(request.user))
    if not form.is_valid():
        raise ValidationError({name: [str(e) for e in errs] for name, errs in form.errors.items()})
    filters = selectors.ChildFilters(
        **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    )
    qs = selectors.filter_children(policy.children(Perm.VIEW_CHILD), filters)
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request)
    ids = [c.pk for c in page or []]
    children = list(selectors.with_current_enrolment(qs.filter(pk__in=ids)))
    record_children_shown(
        _actor(request),
        children,
        summary="Children listed",
        detail={
            "page": page_number(paginator),
            "filters": filters.as_audit(),
        },
    )
    return paginator.get_paginated_response(ChildSerializer(children, many=True).data)


@extend_schema(
    responses={200: ChildDetailSerializer, **problem_responses(403, 404)},
    summary="One child's record (the view is audited)",
)
@api_view(["GET"])
def child_detail(request: Request, pk: int) -> Response:
    child = selectors.open_child_record(_actor(request), pk)
    return Response(ChildDetailSerializer(child).data)
