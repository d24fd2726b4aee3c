"""The maps: a child's costed three-term map (page, PDF, Excel), the setting's provision map and
what its provision achieves, and the authority's view."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from vsend.accounts.policy import Disclosure
from vsend.audit.models import Action
from vsend.audit.services import actor_from_request, record, record_children_shown
from vsend.insights import dashboards, published
from vsend.insights.terms import Term, parse_term, previous_term, term_containing
from vsend.provision import exports, selectors
from vsend.provision.authority import cached_authority_provision
from vsend.provision.evaluation import CAVEAT, MIN_GROUP, evaluate
from vsend.provision.maps import child_map, domain_names, setting_map, three_terms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_terms(request: HttpRequest) -> list[Term]:
    term = parse_term(request.GET.get("term", "")[:20])
    return three_terms(term)


def term_choices(around: Term, count: int = 6) -> list[Term]:
    out = [around]
    for _ in range(count):
        out.append(previous_term(out[-1]))
    return out[::-1]


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def child_map_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = selectors.child_for_map(actor, pk)
    terms = chosen_terms(request)
    cmap = child_map(child.pk, terms)
    record(actor, Action.VIEW, obj=child, summary="Costed provision map viewed")
    current = term_containing(timezone.localdate())
    return render(
        request,
        "provision/child_map.html",
        {
            "child": child,
            "map": cmap,
            "names": domain_names(),
            "term": terms[1],
            "choices": [*term_choices(current, 6), three_terms(current)[2]],
        },
    )


@require_safe
def child_map_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    child = selectors.child_for_map(actor, pk)
    terms = chosen_terms(request)
    record(actor, Action.VIEW, obj=child, summary="Costed provision map downloaded (Excel)")
    return download(
        exports.child_map_xlsx(child, child_map(child.pk, terms)),
        f"provision-map-{child.pk}-{terms[1].slug}.xlsx",
    )


@require_safe
def child_map_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Made by a background job; the user is sent to its progress page, then the file."""
    from vsend.exports.views import progress_or_redirect

    terms = chosen_terms(request)
    export = exports.request_child_map_pdf(actor_from_request(request), pk, terms[1].slug)
    return progress_or_redirect(request, export)


@require_safe
def setting_map_page(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    terms = chosen_terms(request)
    smap = setting_map(setting.pk, terms)
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="provision_map",
        object_id=setting.pk,
        authority_id=setting.authority_id,
        summary=f"Provision map for {setting.name}",
    )
    current = term_containing(timezone.localdate())
    return render(
        request,
        "provision/setting_map.html",
        {
            "setting": setting,
            "map": smap,
            "names": domain_names(),
            "term": terms[1],
            "choices": [*term_choices(current, 6), three_terms(current)[2]],
        },
    )


@require_safe
def setting_map_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    terms = chosen_terms(request)
    record(
        actor_from_request(request),
        Action.VIEW,
        object_type="provision_map",
        object_id=setting.pk,
        authority_id=setting.authority_id,
        summary=f"Provision map for {setting.name} downloaded (Excel)",
    )
    return download(
        exports.setting_map_xlsx(setting, setting_map(setting.pk, terms)),
        f"provision-map-setting-{setting.pk}.xlsx",
    )


@require_safe
def achieves(request: HttpRequest, pk: int) -> HttpResponse:
    setting = selectors.managed_setting(request, pk)
    current = term_containing(timezone.localdate())
    end = parse_term(request.GET.get("term", "")[:20]) or current
    terms = [previous_term(previous_term(end)), previous_term(end), end]
    result = evaluate(setting.pk, terms)
    children = {c.pk: c for c in selectors.children_listed([c.child_id for c in result.children])}
    record_children_shown(
        actor_from_request(request),
        children.values(),
        summary=f"What provision achieves at {setting.name}",
    )
    return render(
        request,
        "provision/achieves.html",
        {
            "setting": setting,
            "result": result,
            "children": children,
            "names": domain_names(),
            "caveat": CAVEAT,
            "min_group": MIN_GROUP,
            "term": end,
            "choices": term_choices(current, 6),
        },
    )


def _authority(request: HttpRequest) -> tuple[Any, Term, bool]:
    actor = actor_from_request(request)
    authority = dashboards.authority_for(actor, request.GET.get("authority", "")[:20] or None)
    identifiable = dashboards.authority_identifiable(request.user, authority)
    asked = parse_term(request.GET.get("term", "")[:20])
    last_ended = term_containing(published.as_at_term_end(timezone.localdate()))
    if identifiable:
        term = asked or last_ended
    else:  # term ends only, and only ended terms (ADR 11)
        term = asked if asked is not None and asked.ends <= last_ended.ends else last_ended
    record(
        actor,
        Action.VIEW,
        object_type="provision_authority",
        object_id=authority.pk,
        authority_id=authority.pk,
        summary=f"Provision across {authority.name}, {term.label}",
        detail={"disclosure": Disclosure.IDENTIFIABLE if identifiable else Disclosure.ANONYMOUS},
    )
    return authority, term, identifiable


@require_safe
def authority_page(request: HttpRequest) -> HttpResponse:
    authority, term, identifiable = _authority(request)
    view = cached_authority_provision(authority, term, identifiable)
    last_ended = term_containing(published.as_at_term_end(timezone.localdate()))
    return render(
        request,
        "provision/authority.html",
        {"view": view, "choices": term_choices(last_ended, 5), "term": term},
    )


@require_safe
def authority_xlsx(request: HttpRequest) -> HttpResponse:
    authority, term, identifiable = _authority(request)
    view = cached_authority_provision(authority, term, identifiable)
    header = [
        [f"Provision across {authority.name}"],
        [f"{term.label} ({term.starts.isoformat()} to {term.ends.isoformat()})"],
        [view.note or "Exact figures (not for publication)"],
    ]
    return download(
        exports.workbook(header, view.tables), f"provision-{authority.pk}-{term.slug}.xlsx"
    )
