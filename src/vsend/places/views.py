"""Place-planning pages. Thin: authorise through the access policy (via the organisations and
insights helpers), read through planning.py, write through services.py."""

import csv
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from vsend.accounts.policy import AccessPolicy, Disclosure
from vsend.accounts.roles import Perm
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown
from vsend.children.selectors import get_child_for
from vsend.config.forms import error_list
from vsend.insights import charts, dashboards
from vsend.insights.exports import safe_cell
from vsend.organisations.admin_views import managed_authority, refuse
from vsend.organisations.models import LocalAuthority, Setting
from vsend.places import forecast, planning, selectors, services
from vsend.places.forms import CentroidsForm, DesignationForm, PlacementForm, initial_designation
from vsend.places.models import Centroid, Designation
from vsend.places.tables import PlaceTables, build
from vsend.provision.exports import workbook
from vsend.provision.views_maps import XLSX, download

PHASE_YEARS = {"primary": (2, 8), "secondary": (9, 15), "all_through": (2, 15), "post_16": (14, 16)}


def _plan(request: HttpRequest) -> tuple[LocalAuthority, PlaceTables]:
    actor = actor_from_request(request)
    authority = dashboards.authority_for(actor, request.GET.get("authority", "")[:20] or None)
    identifiable = dashboards.authority_identifiable(request.user, authority)
    plan = planning.compute(authority, timezone.localdate())
    return authority, build(plan, identifiable)


def _record_view(
    request: HttpRequest, authority: LocalAuthority, view: PlaceTables, how: str
) -> None:
    """One row per request: the figures seen, and how much of them (ADR 11)."""
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="place_planning",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary=f"Special-school place planning for {authority.name}{how}",
        detail={
            "disclosure": Disclosure.IDENTIFIABLE if view.identifiable else Disclosure.ANONYMOUS
        },
    )


MAX_LISTED = 300


def _funnel_children(request: HttpRequest, view: PlaceTables) -> list[tuple[Any, Any, str]]:
    """For those who may see the children: the first MAX_LISTED funnel children, by funnel and
    name, with the school each needs; the listing is audited."""
    if not view.identifiable or not view.plan.funnel:
        return []
    funnel = view.plan.funnel
    names = {s.id: s.name for s in view.plan.schools}
    names.update(
        {planning.NO_SCHOOL: "No suitable school found", planning.NO_AREA: "Home area not recorded"}
    )
    shown = (
        AccessPolicy.for_request(request)
        .children()
        .filter(pk__in=list(funnel))
        .only("id", "first_name", "last_name", "preferred_name", "authority_id")
    )
    rows = sorted(
        ((funnel[c.pk], c, names.get(funnel[c.pk].target, "")) for c in shown),
        key=lambda r: (r[0].funnel, r[1].last_name, r[1].first_name, r[1].pk),
    )[:MAX_LISTED]
    record_children_shown(  # the page's one row: it names the children listed
        actor_from_request(request),
        [c for _, c, _ in rows],
        object_type="place_planning",
        summary="Special-school place planning, with the children in the priority funnels",
        detail={"disclosure": Disclosure.IDENTIFIABLE},
    )
    return rows


@require_safe
def authority_page(request: HttpRequest) -> HttpResponse:
    authority, view = _plan(request)
    manages = AccessPolicy.for_request(request).may_manage_authority(authority)
    listed = _funnel_children(request, view)
    if not listed:
        _record_view(request, authority, view, "")
    chart_for = {
        t.key: charts.bars(t, col=len(t.columns) - 1 if t.key == "funnels" else 1)
        for t in view.tables
        if t.chart
    }
    return render(
        request,
        "places/authority.html",
        {
            "authority": authority,
            "view": view,
            "charts": chart_for,
            "method": forecast.METHOD,
            "manages": manages,
            "listed": listed,
            "max_listed": MAX_LISTED,
        },
    )


def _header(authority: LocalAuthority, view: PlaceTables) -> list[list[Any]]:
    return [
        [f"Special-school place planning: {authority.name}"],
        [f"As at {view.plan.today.isoformat()}"],
        [view.note or "Exact figures (not for publication)"],
    ]


@require_safe
def authority_csv(request: HttpRequest) -> HttpResponse:
    authority, view = _plan(request)
    _record_view(request, authority, view, " downloaded (CSV)")
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _header(authority, view):
        writer.writerow([safe_cell(v) for v in row])
    for table in view.tables:
        writer.writerow([])
        writer.writerow([safe_cell(table.title)])
        writer.writerow([safe_cell(c) for c in table.columns])
        writer.writerows([[safe_cell(v) for v in row] for row in table.rows])
    return download(
        out.getvalue().encode(), f"places-{authority.pk}.csv", "text/csv; charset=utf-8"
    )


@require_safe
def authority_xlsx(request: HttpRequest) -> HttpResponse:
    authority, view = _plan(request)
    _record_view(request, authority, view, " downloaded (Excel)")
    return download(
        workbook(_header(authority, view), view.tables), f"places-{authority.pk}.xlsx", XLSX
    )


@require_safe
def schools(request: HttpRequest, pk: int) -> HttpResponse:
    authority = managed_authority(request, pk)
    settings = list(
        Setting.objects.filter(authority=authority).select_related("designation").order_by("name")
    )
    designated = [s for s in settings if hasattr(s, "designation")]
    special = [s for s in settings if s.setting_type == "special" and not hasattr(s, "designation")]
    others = [s for s in settings if s.setting_type != "special" and not hasattr(s, "designation")]
    return render(
        request,
        "places/schools.html",
        {
            "authority": authority,
            "designated": designated,
            "undesignated": special,
            "others": others,
            "areas": Centroid.objects.filter(authority=authority).count(),
        },
    )


def _managed_setting(request: HttpRequest, pk: int) -> Setting:
    policy = AccessPolicy.for_request(request)
    if not policy.can_anywhere(Perm.MANAGE_SETTINGS):
        refuse(request, Perm.MANAGE_SETTINGS)
    setting = Setting.objects.filter(pk=pk).select_related("authority").first()
    if setting is None or not policy.may_manage_authority(setting.authority):
        raise Http404
    return setting


@require_http_methods(["GET", "HEAD", "POST"])
def designation(request: HttpRequest, pk: int) -> HttpResponse:
    setting = _managed_setting(request, pk)
    found = Designation.objects.filter(setting=setting).first()
    initial = initial_designation(found, PHASE_YEARS.get(setting.setting_type, (2, 16)))
    if found is None and setting.setting_type != "special":
        initial["kind"] = Designation.Kind.RESOURCED
    initial.update(easting=setting.easting, northing=setting.northing)
    form = DesignationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_designation(actor_from_request(request), setting, form.cleaned_data)
        return redirect("places:schools", pk=setting.authority_id)
    return render(
        request,
        "places/designation.html",
        {"form": form, "errors": error_list(form) if form.is_bound else [], "setting": setting},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def areas(request: HttpRequest, pk: int) -> HttpResponse:
    authority = managed_authority(request, pk)
    existing = list(Centroid.objects.filter(authority=authority))
    text = "\n".join(f"{c.name}, {c.kind}, {c.easting}, {c.northing}" for c in existing)
    form = CentroidsForm(request.POST or None, initial={"rows": text})
    if request.method == "POST" and form.is_valid():
        services.replace_centroids(
            actor_from_request(request), authority, form.cleaned_data["rows"]
        )
        return redirect("places:schools", pk=authority.pk)
    return render(
        request,
        "places/areas.html",
        {
            "form": form,
            "errors": error_list(form) if form.is_bound else [],
            "authority": authority,
            "existing": existing,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = get_child_for(actor, pk, Perm.MANAGE_CASE)
    found = selectors.placement_of(child)
    initial: dict[str, Any] = {}
    if found is not None:
        initial = {
            "home_area": str(found.home_area_id or ""),
            "awaiting_since": found.awaiting_since,
            "home_tuition_since": found.home_tuition_since,
            "out_of_authority_since": found.out_of_authority_since,
            "out_of_authority_provider": found.out_of_authority_provider,
        }
    areas_ = list(Centroid.objects.filter(authority_id=child.authority_id))
    form = PlacementForm(request.POST or None, initial=initial, areas=areas_)
    if request.method == "POST" and form.is_valid():
        services.save_placement(actor, child, form.cleaned_data)
        return redirect(reverse("children:detail", args=[child.pk]))
    if request.method != "POST":
        record(actor, Action.VIEW, obj=child, summary="Placement facts for place planning viewed")
    return render(
        request,
        "places/placement.html",
        {"form": form, "errors": error_list(form) if form.is_bound else [], "child": child},
    )
