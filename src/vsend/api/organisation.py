"""The authority's organisation (localities, settings) and its people, for its administrators.

Read only, scoped to the authorities the user administers (every authority for a platform
administrator), paginated, and audited: each page writes one row naming what it listed. A list
the user's role does not allow is 403; a setting or person outside their reach is 404.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from vsend.accounts.models import Membership, User
from vsend.accounts.policy import AccessPolicy
from vsend.accounts.roles import Perm
from vsend.accounts.selectors import people_for
from vsend.api.problems import problem_responses
from vsend.api.serializers import MembershipSerializer
from vsend.api.views import page_number
from vsend.audit.models import Action, Channel
from vsend.audit.services import Actor, actor_from_request, record
from vsend.organisations.models import Locality, Setting
from vsend.organisations.selectors import localities_for, settings_for

MAX_IDS = 200


class LocalitySerializer(serializers.ModelSerializer[Locality]):
    authority = serializers.CharField(source="authority.name")
    settings_count = serializers.IntegerField(help_text="Settings in the locality")

    class Meta:
        model = Locality
        fields = ["id", "name", "authority_id", "authority", "settings_count"]


class SettingSerializer(serializers.ModelSerializer[Setting]):
    urn = serializers.CharField(help_text="Unique reference number (GIAS)")
    setting_type_name = serializers.CharField(source="get_setting_type_display")
    authority = serializers.CharField(source="authority.name")
    locality = serializers.CharField(source="locality.name")
    trust = serializers.CharField(source="trust.name", allow_null=True, default=None)

    class Meta:
        model = Setting
        fields = [
            "id",
            "urn",
            "name",
            "setting_type",
            "setting_type_name",
            "authority_id",
            "authority",
            "locality_id",
            "locality",
            "trust",
        ]


class PersonSerializer(serializers.ModelSerializer[User]):
    authenticator = serializers.BooleanField(help_text="Has set up an authenticator app")
    memberships = serializers.SerializerMethodField(
        help_text="Their roles in the authorities you administer"
    )

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_active", "authenticator", "memberships"]

    def get_memberships(self, person: User) -> list[dict[str, Any]]:
        held: list[Membership] = getattr(person, "visible_memberships", [])
        return MembershipSerializer(held, many=True).data  # type: ignore[return-value]


def _page(name: str, item: type[serializers.Serializer[Any]]) -> Any:
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


LocalityPage = _page("LocalityPage", LocalitySerializer)
SettingPage = _page("SettingPage", SettingSerializer)
PersonPage = _page("PersonPage", PersonSerializer)
PAGE = [OpenApiParameter("page", OpenApiTypes.INT)]


def _actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


def _policy_allowing(request: Request, perm: str) -> AccessPolicy:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(perm):
        record(
            _actor(request),
            Action.ACCESS_REFUSED,
            summary="The user's role does not allow this",
            detail={"permission": perm},
        )
        raise PermissionDenied
    return policy


def _listed(
    request: Request,
    qs: QuerySet[Any],
    serializer: type[serializers.Serializer[Any]],
    *,
    kind: str,
    authority_of: Any,
) -> Response:
    """One page of the list, and one audit row naming what is on it."""
    paginator = PageNumberPagination()
    rows = list(paginator.paginate_queryset(qs, request) or [])
    authorities = sorted({a for row in rows for a in authority_of(row)})
    ids = [row.pk for row in rows]
    record(
        _actor(request),
        Action.VIEW,
        object_type=f"{kind}_list",
        authority_id=authorities[0] if len(authorities) == 1 else None,
        summary=f"{kind.capitalize()} list",
        detail={
            "count": len(ids),
            f"{kind}_ids": ids[:MAX_IDS],
            "page": page_number(paginator),
            **({"authority_ids": authorities} if len(authorities) > 1 else {}),
        },
    )
    return paginator.get_paginated_response(serializer(rows, many=True).data)


def _found(request: Request, qs: QuerySet[Any], pk: int, *, kind: str, perm: str) -> Any:
    """One record within reach, audited; outside it, a 404 (the refusal audited too)."""
    found = qs.filter(pk=pk).first()
    if found is None:
        # A setting that exists elsewhere: the refusal belongs to its own authority's trail.
        owner = (
            Setting.objects.filter(pk=pk).values_list("authority_id", flat=True).first()
            if kind == "setting"
            else None
        )
        record(
            _actor(request),
            Action.ACCESS_REFUSED,
            object_type=kind,
            object_id=pk,
            authority_id=owner,
            summary=f"{kind.capitalize()} not in the user's scope",
            detail={"permission": perm, "reason": "outside_scope"},
        )
        raise Http404(f"No {kind} found")
    return found


def _people_authorities(person: User) -> set[int]:
    return {m.authority_id for m in getattr(person, "visible_memberships", []) if m.authority_id}


@extend_schema(
    parameters=PAGE,
    responses={200: LocalityPage, **problem_responses(400, 403, 404)},
    operation_id="localities_list",
    summary="Localities of the authorities you administer (each page is audited)",
)
@api_view(["GET"])
def locality_list(request: Request) -> Response:
    policy = _policy_allowing(request, Perm.VIEW_ORGANISATION)
    qs = localities_for(policy, Perm.VIEW_ORGANISATION)
    return _listed(
        request, qs, LocalitySerializer, kind="locality", authority_of=lambda r: [r.authority_id]
    )


@extend_schema(
    parameters=PAGE,
    responses={200: SettingPage, **problem_responses(400, 403, 404)},
    operation_id="settings_list",
    summary="Settings of the authorities you administer, with URN and type (audited)",
)
@api_view(["GET"])
def setting_list(request: Request) -> Response:
    policy = _policy_allowing(request, Perm.VIEW_ORGANISATION)
    qs = settings_for(policy, Perm.VIEW_ORGANISATION)
    return _listed(
        request, qs, SettingSerializer, kind="setting", authority_of=lambda r: [r.authority_id]
    )


@extend_schema(
    responses={200: SettingSerializer, **problem_responses(400, 404)},
    summary="One setting (the view is audited)",
)
@api_view(["GET"])
def setting_detail(request: Request, pk: int) -> Response:
    policy = AccessPolicy.for_request(request)
    setting = _found(
        request,
        settings_for(policy, Perm.VIEW_ORGANISATION),
        pk,
        kind="setting",
        perm=Perm.VIEW_ORGANISATION,
    )
    record(
        _actor(request),
        Action.VIEW,
        obj=setting,
        authority_id=setting.authority_id,
        summary="Setting viewed",
    )
    return Response(SettingSerializer(setting).data)


@extend_schema(
    parameters=PAGE,
    responses={200: PersonPage, **problem_responses(400, 403, 404)},
    operation_id="people_list",
    summary="People with roles in the authorities you administer, with those roles (audited)",
)
@api_view(["GET"])
def person_list(request: Request) -> Response:
    policy = _policy_allowing(request, Perm.VIEW_PEOPLE)
    qs = people_for(policy, Perm.VIEW_PEOPLE)
    return _listed(request, qs, PersonSerializer, kind="person", authority_of=_people_authorities)


@extend_schema(
    responses={200: PersonSerializer, **problem_responses(400, 404)},
    summary="One person and their roles (audited)",
)
@api_view(["GET"])
def person_detail(request: Request, pk: int) -> Response:
    policy = AccessPolicy.for_request(request)
    person = _found(
        request, people_for(policy, Perm.VIEW_PEOPLE), pk, kind="person", perm=Perm.VIEW_PEOPLE
    )
    authorities = sorted(_people_authorities(person))
    record(
        _actor(request),
        Action.VIEW,
        obj=person,
        object_type="person",
        authority_id=authorities[0] if len(authorities) == 1 else None,
        summary="Person viewed",
    )
    return Response(PersonSerializer(person).data)
