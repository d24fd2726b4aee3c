"""Provision in the API: the catalogue, a child's provision and costed map, the setting's map,
what provision achieves, and the authority's (suppressed for LA officers) tables. The same
selectors and computations as the pages."""

from decimal import Decimal
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

from vsend.api.insights import TableOut
from vsend.api.problems import problem_responses
from vsend.audit.models import Action, Channel
from vsend.audit.services import actor_from_request, record
from vsend.insights import dashboards, published, suppression
from vsend.insights.terms import parse_term, previous_term, term_containing
from vsend.provision import selectors
from vsend.provision.authority import NOTE, cached_authority_provision
from vsend.provision.evaluation import CAVEAT, MIN_GROUP, evaluate
from vsend.provision.maps import child_map, money, setting_map, tenth, three_terms
from vsend.provision.models import Provision

TERM = OpenApiParameter(
    "term", OpenApiTypes.STR, description="A term such as autumn-2026 (default: the current term)"
)


def _term(request: Request) -> Any:
    return parse_term(str(request.query_params.get("term", ""))[:20])


def _d(value: Decimal, places: str = "money") -> str:
    return str(money(value) if places == "money" else tenth(value))


class ProvisionOut(serializers.ModelSerializer[Provision]):
    staff_role = serializers.CharField(source="staff_role.name", allow_null=True, default=None)
    hourly_cost = serializers.DecimalField(
        source="staff_role.hourly_cost",
        max_digits=7,
        decimal_places=2,
        allow_null=True,
        default=None,
    )

    class Meta:
        model = Provision
        fields = [
            "id",
            "name",
            "description",
            "areas",
            "kind",
            "staff_role",
            "hourly_cost",
            "provider",
            "sessions_per_week",
            "session_minutes",
            "cost_basis",
            "cost",
        ]


@extend_schema(
    responses={200: ProvisionOut(many=True), **problem_responses(400, 403, 404)},
    summary="A setting's provision catalogue",
)
@api_view(["GET"])
def catalogue(request: Request, pk: int) -> Response:
    setting = selectors.managed_setting(request._request, pk)
    record(
        actor_from_request(request, channel=Channel.API),
        Action.VIEW,
        object_type="provision_catalogue",
        object_id=setting.pk,
        authority_id=setting.authority_id,
        summary="Provision catalogue",
    )
    items = Provision.objects.filter(setting=setting).select_related("staff_role")
    return Response(ProvisionOut(items, many=True).data)


class CellOut(serializers.Serializer[Any]):
    term = serializers.CharField()
    sessions_planned = serializers.CharField()
    sessions_missed = serializers.CharField()
    hours = serializers.CharField()
    cost = serializers.CharField(help_text="Pounds, as a decimal string")


class MapRowOut(serializers.Serializer[Any]):
    provision = serializers.CharField()
    group = serializers.CharField()
    delivered_by = serializers.CharField(allow_blank=True)
    areas = serializers.ListField(child=serializers.CharField())
    terms = CellOut(many=True)
    total_hours = serializers.CharField()
    total_cost = serializers.CharField()


class ChildMapOut(serializers.Serializer[Any]):
    child = serializers.IntegerField()
    terms = serializers.ListField(child=serializers.CharField())
    provision = MapRowOut(many=True)
    term_costs = serializers.ListField(child=serializers.CharField())
    total_cost = serializers.CharField()
    total_hours = serializers.CharField()


@extend_schema(
    parameters=[TERM],
    responses={200: ChildMapOut, **problem_responses(400, 403, 404)},
    summary="A child's provision and costed map over three terms (the one before, the term, the one after)",
)
@api_view(["GET"])
def child_provision(request: Request, pk: int) -> Response:
    actor = actor_from_request(request, channel=Channel.API)
    child = selectors.child_for_map(actor, pk)
    terms = three_terms(_term(request))
    cmap = child_map(child.pk, terms)
    record(actor, Action.VIEW, obj=child, summary="Costed provision map (API)")

    def cell(term: Any, c: Any) -> dict[str, str]:
        return {
            "term": term.slug,
            "sessions_planned": _d(c.planned, "tenth"),
            "sessions_missed": _d(c.missed, "tenth"),
            "hours": _d(c.hours, "tenth"),
            "cost": _d(c.cost),
        }

    return Response(
        {
            "child": child.pk,
            "terms": [t.slug for t in terms],
            "provision": [
                {
                    "provision": r.provision,
                    "group": r.group,
                    "delivered_by": r.staff_role,
                    "areas": r.areas,
                    "terms": [cell(t, c) for t, c in zip(terms, r.cells, strict=True)],
                    "total_hours": _d(r.total.hours, "tenth"),
                    "total_cost": _d(r.total.cost),
                }
                for r in cmap.rows
            ],
            "term_costs": [_d(c.cost) for c in cmap.totals],
            "total_cost": _d(cmap.total.cost),
            "total_hours": _d(cmap.total.hours, "tenth"),
        }
    )


class SettingMapOut(serializers.Serializer[Any]):
    setting = serializers.IntegerField()
    terms = serializers.ListField(child=serializers.CharField())
    by_area = serializers.ListField(child=serializers.DictField())
    by_staff_role = serializers.ListField(child=serializers.DictField())
    by_provision = serializers.ListField(child=serializers.DictField())
    budget = serializers.DictField()


@extend_schema(
    parameters=[TERM],
    responses={200: SettingMapOut, **problem_responses(400, 403, 404)},
    summary="A setting's provision map: spend by area (beside need), staff role and provision",
)
@api_view(["GET"])
def setting_map_api(request: Request, pk: int) -> Response:
    setting = selectors.managed_setting(request._request, pk)
    terms = three_terms(_term(request))
    smap = setting_map(setting.pk, terms)
    record(
        actor_from_request(request, channel=Channel.API),
        Action.VIEW,
        object_type="provision_map",
        object_id=setting.pk,
        authority_id=setting.authority_id,
        summary="Provision map (API)",
    )
    return Response(
        {
            "setting": setting.pk,
            "terms": [t.slug for t in terms],
            "by_area": [
                {
                    "area": r["area"],
                    "cost": [_d(c.cost) for c in r["cells"]],
                    "children_profiled": smap.need.get(r["area"], (0, 0))[0],
                    "children_at_significant_need": smap.need.get(r["area"], (0, 0))[1],
                }
                for r in smap.by_area
            ],
            "by_staff_role": [
                {
                    "role": r["role"],
                    "hours": [_d(c.hours, "tenth") for c in r["cells"]],
                    "cost": [_d(c.cost) for c in r["cells"]],
                }
                for r in smap.by_role
            ],
            "by_provision": [
                {
                    "provision": r["provision"].pk if r["provision"] else None,
                    "name": r["provision"].name if r["provision"] else "",
                    "children": r["children"],
                    "cost": [_d(c.cost) for c in r["cells"]],
                }
                for r in smap.by_provision
            ],
            "budget": {
                "year": smap.budget_year,
                "amount": str(smap.budget.amount) if smap.budget else None,
                "spend": _d(smap.year_spend),
            },
        }
    )


class AchievesOut(serializers.Serializer[Any]):
    setting = serializers.IntegerField()
    terms = serializers.ListField(child=serializers.CharField())
    caveat = serializers.CharField()
    provisions = serializers.ListField(child=serializers.DictField())
    children = serializers.ListField(child=serializers.DictField())


@extend_schema(
    parameters=[TERM],
    responses={200: AchievesOut, **problem_responses(400, 403, 404)},
    summary="What provision achieves at a setting: change in need beside provision and cost",
)
@api_view(["GET"])
def achieves_api(request: Request, pk: int) -> Response:
    setting = selectors.managed_setting(request._request, pk)
    end = _term(request) or term_containing(timezone.localdate())
    terms = [previous_term(previous_term(end)), previous_term(end), end]
    result = evaluate(setting.pk, terms)
    record(
        actor_from_request(request, channel=Channel.API),
        Action.VIEW,
        object_type="child_list",
        authority_id=setting.authority_id,
        summary="What provision achieves (API)",
        detail={
            "child_ids": [c.child_id for c in result.children][:200],
            "count": len(result.children),
        },
    )
    return Response(
        {
            "setting": setting.pk,
            "terms": [t.slug for t in terms],
            "caveat": CAVEAT,
            "provisions": [
                {
                    "provision": p.provision.pk,
                    "name": p.provision.name,
                    "children": p.children,
                    "compared": p.compared,
                    "mean_change": round(p.mean_change, 2) if p.mean_change is not None else None,
                    "cost_per_child": _d(p.cost_per_child)
                    if p.cost_per_child is not None
                    else None,
                    "too_few_to_judge": p.too_small,
                    "min_group": MIN_GROUP,
                }
                for p in result.provisions
            ],
            "children": [
                {
                    "child": c.child_id,
                    "compared": c.compared,
                    "left_out": not c.compared,
                    "before": c.before,
                    "after": c.after,
                    "change": c.change,
                    "hours": _d(c.hours, "tenth"),
                    "cost": _d(c.cost),
                }
                for c in result.children
            ],
        }
    )


class AuthorityOut(serializers.Serializer[Any]):
    authority = serializers.IntegerField()
    term = serializers.CharField()
    suppressed = serializers.BooleanField()
    tables = TableOut(many=True)
    disclosure = serializers.DictField(allow_null=True)


@extend_schema(
    parameters=[
        TERM,
        OpenApiParameter(
            "authority", OpenApiTypes.INT64, description="An authority the user may see"
        ),
    ],
    responses={200: AuthorityOut, **problem_responses(400, 403, 404)},
    summary="Provision spend and change in need across the authority (suppressed for LA officers)",
)
@api_view(["GET"])
def authority_api(request: Request) -> Response:
    actor = actor_from_request(request, channel=Channel.API)
    raw = str(request.query_params.get("authority", ""))[:20]
    authority = dashboards.authority_for(actor, raw or None)
    identifiable = dashboards.authority_identifiable(request.user, authority)
    last_ended = term_containing(published.as_at_term_end(timezone.localdate()))
    asked = _term(request)
    term = (
        (asked or last_ended)
        if identifiable
        else (asked if asked and asked.ends <= last_ended.ends else last_ended)
    )
    view = cached_authority_provision(authority, term, identifiable)
    record(
        actor,
        Action.VIEW,
        object_type="provision_authority",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary=f"Provision across the authority (API), {term.label}",
    )
    return Response(
        {
            "authority": authority.pk,
            "term": term.slug,
            "suppressed": not identifiable,
            "tables": [t.as_dict() for t in view.tables],
            "disclosure": {**suppression.api_note(), "note": NOTE} if not identifiable else None,
        }
    )


urlpatterns = [
    path(
        "provision/settings/<id:pk>/catalogue/",
        login_not_required(catalogue),
        name="provision-catalogue",
    ),
    path(
        "provision/settings/<id:pk>/map/",
        login_not_required(setting_map_api),
        name="provision-setting-map",
    ),
    path(
        "provision/settings/<id:pk>/achieves/",
        login_not_required(achieves_api),
        name="provision-achieves",
    ),
    path("provision/authority/", login_not_required(authority_api), name="provision-authority"),
    path(
        "children/<id:pk>/provision/", login_not_required(child_provision), name="child-provision"
    ),
]
